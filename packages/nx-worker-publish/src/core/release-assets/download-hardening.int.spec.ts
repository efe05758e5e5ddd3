import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { downloadStream } from './download-stream';
import { fetchChecksum } from './fetch-checksum';
import type { HttpGetOptions } from './http-get';
import { ReleaseAssetError } from './release-asset-error';

// Hostile release hosts (issue 12 #6): each test serves one behaviour on 127.0.0.1 and counts the requests.
jest.setTimeout(30_000);

let server: Server;
let base: string;
let requests: string[];
let handler: (req: IncomingMessage, res: ServerResponse, n: number) => void;
let agent: Agent;
const logLines: string[] = [];

beforeEach(async () => {
  requests = [];
  logLines.length = 0;
  agent = new Agent();
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    handler(req, res, requests.length);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await agent.close();
});

const options = (extra: Partial<HttpGetOptions> = {}): HttpGetOptions => ({
  retry: { attempts: 4, baseDelayMs: 10 },
  log: (line) => logLines.push(line),
  ...extra,
});
const failure = async (promise: Promise<unknown>): Promise<ReleaseAssetError> => {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(ReleaseAssetError);
  return error as ReleaseAssetError;
};
/** Keeps what the attempt that succeeded received; a failed attempt's bytes are dropped. */
const memorySink = async () => {
  const chunks: Buffer[] = [];
  return { chunks, write: (chunk: Buffer) => void chunks.push(chunk), discard: async () => void chunks.splice(0) };
};
const download = (extra: Partial<HttpGetOptions> = {}) => downloadStream(`${base}/asset.tar.gz`, agent, options(extra), memorySink);

it('a slow-drip body is cut at the total deadline, naming the option, and not retried', async () => {
  handler = (_req, res) => {
    res.writeHead(200, { 'content-length': '1000000' });
    const drip = setInterval(() => res.write('x'), 50);
    res.on('close', () => clearInterval(drip));
  };
  const error = await failure(download({ timeouts: { idleMs: 10_000, totalMs: 700 } }));
  expect(error.kind).toBe('timeout');
  expect(error.message).toContain(`GET ${base}/asset.tar.gz did not complete within 0.7 s (downloadTimeoutSeconds)`);
  expect(requests).toHaveLength(1);
});

it('a body that stops sending fails after the idle timeout, naming the option', async () => {
  handler = (_req, res) => {
    res.writeHead(200, { 'content-length': '1000' });
    res.write('partial');
  };
  const error = await failure(download({ retry: { attempts: 2, baseDelayMs: 10 }, timeouts: { idleMs: 300, totalMs: 20_000 } }));
  expect(error.message).toContain('sent no data for 0.3 s (downloadIdleTimeoutSeconds)');
  expect(requests).toHaveLength(2);
});

it('HTTP 429 waits as long as Retry-After says, then succeeds', async () => {
  handler = (_req, res, n) => {
    if (n === 1) res.writeHead(429, { 'retry-after': '1' }).end('slow down');
    else res.writeHead(200).end('archive bytes');
  };
  const result = await download({ timeouts: { totalMs: 20_000 } });
  expect(result.bytes).toBe('archive bytes'.length);
  expect(Buffer.concat(result.sink.chunks).toString()).toBe('archive bytes');
  expect(requests).toHaveLength(2);
  expect(logLines.join('\n')).toContain('(HTTP 429); retrying in 1000 ms');
});

it('HTTP 429 asking for longer than the deadline leaves fails at once, saying so', async () => {
  handler = (_req, res) => res.writeHead(429, { 'retry-after': '3600' }).end();
  const error = await failure(
    fetchChecksum(`${base}/asset.sha256`, agent, options({ timeouts: { totalMs: 5_000 } }), 'asset.tar.gz'),
  );
  expect(error.message).toContain('answered 429 Too Many Requests');
  expect(error.message).toContain('asked to be retried after 3600 s (Retry-After)');
  expect(error.message).toContain('download deadline (downloadTimeoutSeconds)');
  expect(requests).toHaveLength(1);
});

it.each(['file:///etc/passwd', 'ftp://127.0.0.1/asset.tar.gz', 'data:text/plain,hello'])(
  'a redirect to %s is refused at once, naming the target',
  async (target) => {
    handler = (_req, res) => res.writeHead(302, { location: target }).end();
    const error = await failure(download());
    expect(error.message).toContain(`was redirected to ${target}, which is not an http(s) URL: refused`);
    expect(requests).toHaveLength(1);
  },
);

