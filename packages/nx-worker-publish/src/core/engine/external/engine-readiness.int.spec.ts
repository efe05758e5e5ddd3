import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitForEngineReady } from './engine-readiness';
import { EngineNotReadyError } from './external-engine-errors';
import { pickFreePort } from './free-port';

test('nothing listening: EngineNotReadyError naming the URL once the timeout passes', async () => {
  const url = `ws://127.0.0.1:${await pickFreePort('127.0.0.1')}`;
  const error = await waitForEngineReady(url, 500).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(EngineNotReadyError);
  expect((error as Error).message).toContain(`at ${url} within 0.5 s`);
  expect((error as Error).message).toContain('ECONNREFUSED');
  expect((error as Error).message).toContain('engineUrl');
});

test('an HTTP server that is not an engine is not taken for one', async () => {
  const server: Server = createServer((_req, res) => res.writeHead(404).end('not here'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const error = await waitForEngineReady(url, 500).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineNotReadyError);
    expect((error as Error).message).toContain('refused the WebSocket handshake');
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

test('a URL that is not ws:// is refused at once with an example', async () => {
  await expect(waitForEngineReady('http://127.0.0.1:1', 10_000)).rejects.toThrow(/use ws:\/\/host:port/);
  await expect(waitForEngineReady('localhost:49134', 10_000)).rejects.toThrow(/not an iii engine URL/);
});

test('an abort signal stops the wait', async () => {
  const url = `ws://127.0.0.1:${await pickFreePort('127.0.0.1')}`;
  const controller = new AbortController();
  const waiting = waitForEngineReady(url, 60_000, { signal: controller.signal });
  setTimeout(() => controller.abort(new Error('stopped by test')), 200);
  await expect(waiting).rejects.toThrow('stopped by test');
});
