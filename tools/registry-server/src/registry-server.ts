import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { checkPublishContract } from './publish-contract';

/** Misbehaviours switched on per test; counters count down as requests use them. */
export interface RegistryFaults {
  /** Answer this many requests with 503 before behaving. */
  fail503Times?: number;
  /** Destroy the socket of this many requests without answering (after reading the body). */
  resetTimes?: number;
  /** Hold every answer back this long. */
  slowMs?: number;
  /** Answer with this status and body instead of handling the request (`times` defaults to every request). */
  respondWith?: { status: number; body?: string; times?: number };
}

export interface RecordedRequest {
  method: string;
  path: string;
  /** The request headers, except that `x-api-key` holds whether the key matched, never the key itself. */
  headers: Record<string, string | string[] | boolean | undefined>;
  keyMatched: boolean;
  body: string;
}

export interface RegistryServer {
  url: string;
  port: number;
  /** Every payload the stand-in accepted, parsed, in order. */
  published: Record<string, unknown>[];
  requests: RecordedRequest[];
  setFaults(faults: RegistryFaults): void;
  stop(): Promise<void>;
}

const KEY_HEADER = 'x-api-key';

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function recordHeaders(headers: IncomingHttpHeaders, keyMatched: boolean): RecordedRequest['headers'] {
  const copy: RecordedRequest['headers'] = { ...headers };
  if (KEY_HEADER in headers) copy[KEY_HEADER] = keyMatched;
  return copy;
}

/**
 * A stand-in for the workers registry on 127.0.0.1 (random port): `POST /publish` with the real registry's
 * answers (401 without the key, 422 `<field path>: <problem>` on a contract break, 200 on success).
 */
export async function startRegistryServer(options: { apiKey: string; faults?: RegistryFaults }): Promise<RegistryServer> {
  // Copied so counting down never touches the caller's object.
  const copyFaults = (next: RegistryFaults = {}): RegistryFaults => ({ ...next, respondWith: next.respondWith && { ...next.respondWith } });
  let faults = copyFaults(options.faults);
  const published: Record<string, unknown>[] = [];
  const requests: RecordedRequest[] = [];
  const stopping = new AbortController();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const keyMatched = req.headers[KEY_HEADER] === options.apiKey;
    requests.push({ method: req.method ?? '', path, headers: recordHeaders(req.headers, keyMatched), keyMatched, body });

    if (faults.resetTimes) {
      faults.resetTimes--;
      req.socket.destroy();
      return;
    }
    if (faults.slowMs) await delay(faults.slowMs, undefined, { signal: stopping.signal });
    if (faults.fail503Times) {
      faults.fail503Times--;
      return send(res, 503, { error: 'service unavailable' });
    }
    const forced = faults.respondWith;
    if (forced && (forced.times ?? Infinity) > 0) {
      if (forced.times !== undefined) forced.times--;
      return send(res, forced.status, forced.body ?? '');
    }

    if (path !== '/publish') return send(res, 404, { error: 'not found' });
    if (req.method !== 'POST') return send(res, 405, { error: 'method not allowed' });
    if (!keyMatched) return send(res, 401, { error: 'unauthorized' });
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return send(res, 415, { error: 'content-type must be application/json' });
    }

    let payload: unknown;
    try {
      payload = JSON.parse(body);
    } catch (error) {
      return send(res, 400, { error: `invalid JSON: ${(error as Error).message}` });
    }
    const problem = checkPublishContract(payload);
    if (problem) return send(res, 422, { error: problem });

    const accepted = payload as Record<string, unknown>;
    published.push(accepted);
    send(res, 200, { ok: true, worker_name: accepted.worker_name, version: accepted.version, tag: accepted.tag });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (stopping.signal.aborted) return;
      if (!res.headersSent) send(res, 500, { error: `stand-in failure: ${(error as Error).message}` });
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    published,
    requests,
    setFaults(next) {
      faults = copyFaults(next);
    },
    async stop() {
      stopping.abort();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
