import { createServer } from 'node:net';

/** A port that is free on `host` right now (bind port 0, read it, close). Another process may still take it. */
export function pickFreePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port: 0 }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error(`could not read the port bound on ${host}`))));
    });
  });
}
