import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { checkPublishContract } from './publish-contract';
import { RegistryState, versionDetail, type StoredPayload } from './registry-state';

/** Misbehaviours switched on per test; counters count down as requests use them. */
export interface RegistryFaults {
  /** Answer this many requests (any endpoint) with 503 before behaving. */
  fail503Times?: number;
  /** Destroy the socket of this many requests without handling them (nothing is stored). */
  resetTimes?: number;
  /** Hold every answer back this long, before handling. */
  slowMs?: number;
  /** Answer with this status and body instead of handling the request (`times` defaults to every request). */
  respondWith?: { status: number; body?: string; times?: number; method?: string; path?: string };
  /** POST /publish: store the version, then drop the connection without answering (an answer lost on the way). */
  dropPublishResponseTimes?: number;
  /** POST /publish: store the version, then hold the answer this long (a registry slower than the client). */
  holdPublishResponseMs?: number;
  /** POST /publish: answer 200 with `{"ok":false,"error":…}` and store nothing. */
  okFalseTimes?: number;
  /** POST /publish: answer 409 as if this very version had been published before, identical to what is sent. */
  conflictIdenticalTimes?: number;
  /** POST /publish: answer 409 as if this version had been published before with other contents (another description). */
  conflictDifferentTimes?: number;
  /** POST /publish: store a copy altered by this function (a registry that keeps something other than it was sent). */
  alterStored?: (payload: StoredPayload) => StoredPayload;
  /** PUT /w/<w>/tags/<tag>: another publisher moves the channel to this version between the client's read and its CAS. */
  concurrentChannelMove?: { tag: string; version: string };
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
  /** Every payload the stand-in accepted with POST /publish, parsed, in order. */
  published: Record<string, unknown>[];
  requests: RecordedRequest[];
  setFaults(faults: RegistryFaults): void;
  /** Stores a version directly, as if published earlier (e.g. to answer a later POST with 409). */
  seedVersion(payload: StoredPayload): void;
  /** Points a channel at a stored version directly. */
  seedChannel(worker: string, tag: string, version: string): void;
  /** Where the channel points now, or null when unassigned. */
  channel(worker: string, tag: string): string | null;
  /** Forgets every stored version and channel (the request log stays): a fresh registry for the next test. */
  forgetVersions(): void;
  stop(): Promise<void>;
}

const KEY_HEADER = 'x-api-key';
const CHANNELS = ['latest', 'next'];

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

function parseJson(body: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch (error) {
    return { ok: false, error: `invalid JSON: ${(error as Error).message}` };
  }
}

/**
 * A stand-in for the workers registry on 127.0.0.1 (random port unless `port` is given), with the endpoints of spec
 * publish-pipeline-later §6.1: `POST /publish` (409 on a stored version), `GET /w/<w>?version=`, `GET /w/<w>/versions`
 * and `PUT /w/<w>/tags/<tag>` (compare-and-swap, 409 on a conflict). Writes need the key; reads do not.
 */
export async function startRegistryServer(options: { apiKey: string; faults?: RegistryFaults; port?: number }): Promise<RegistryServer> {
  // Copied so counting down never touches the caller's object.
  const copyFaults = (next: RegistryFaults = {}): RegistryFaults => ({ ...next, respondWith: next.respondWith && { ...next.respondWith } });
  let faults = copyFaults(options.faults);
  let state = new RegistryState();
  const published: Record<string, unknown>[] = [];
  const requests: RecordedRequest[] = [];
  const stopping = new AbortController();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const method = req.method ?? '';
    const keyMatched = req.headers[KEY_HEADER] === options.apiKey;
    requests.push({ method, path, headers: recordHeaders(req.headers, keyMatched), keyMatched, body });

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
    const forcedMatches = forced && (!forced.method || forced.method === method) && (!forced.path || path.startsWith(forced.path));
    if (forced && forcedMatches && (forced.times ?? Infinity) > 0) {
      if (forced.times !== undefined) forced.times--;
      return send(res, forced.status, forced.body ?? '');
    }

    if (path === '/publish') {
      if (method !== 'POST') return send(res, 405, { error: 'method not allowed' });
      return publish(req, res, body, keyMatched);
    }
    const match = /^\/w\/([^/]+)(?:\/(versions|tags\/([^/]+)))?$/.exec(path);
    if (!match) return send(res, 404, { error: 'not found' });
    const worker = decodeURIComponent(match[1]);
    if (!match[2]) {
      if (method !== 'GET') return send(res, 405, { error: 'method not allowed' });
      return detail(res, worker, url.searchParams.get('version'));
    }
    if (match[2] === 'versions') {
      if (method !== 'GET') return send(res, 405, { error: 'method not allowed' });
      return listVersions(res, worker);
    }
    if (method !== 'PUT') return send(res, 405, { error: 'method not allowed' });
    return moveChannel(req, res, body, keyMatched, worker, decodeURIComponent(match[3]));
  }

  async function publish(req: IncomingMessage, res: ServerResponse, body: string, keyMatched: boolean): Promise<void> {
    if (!keyMatched) return send(res, 401, { error: 'unauthorized' });
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return send(res, 415, { error: 'content-type must be application/json' });
    }
    const parsed = parseJson(body);
    if (!parsed.ok) return send(res, 400, { error: parsed.error });
    const problem = checkPublishContract(parsed.value);
    if (problem) return send(res, 422, { error: problem });
    const payload = parsed.value as StoredPayload;
    if (faults.conflictIdenticalTimes || faults.conflictDifferentTimes) {
      const different = !faults.conflictIdenticalTimes;
      if (different) faults.conflictDifferentTimes! -= 1;
      else faults.conflictIdenticalTimes! -= 1;
      state.store(different ? { ...payload, description: `${String(payload.description ?? '')} (published earlier)` } : payload);
      return send(res, 409, { error: `version ${payload.version} of ${payload.worker_name} already exists` });
    }
    if (faults.okFalseTimes) {
      faults.okFalseTimes--;
      return send(res, 200, { ok: false, error: 'storage write failed' });
    }
    if (!state.store(faults.alterStored ? faults.alterStored(structuredClone(payload)) : payload)) {
      return send(res, 409, { error: `version ${payload.version} of ${payload.worker_name} already exists` });
    }
    published.push(payload);
    if (faults.dropPublishResponseTimes) {
      faults.dropPublishResponseTimes--;
      req.socket.destroy();
      return;
    }
    if (faults.holdPublishResponseMs) await delay(faults.holdPublishResponseMs, undefined, { signal: stopping.signal });
    send(res, 200, { version: { version: payload.version } });
  }

  function detail(res: ServerResponse, worker: string, version: string | null): void {
    if (!state.has(worker)) return send(res, 404, { error: `worker ${worker} not found` });
    if (!version) return send(res, 400, { error: 'version query parameter is required' });
    const stored = state.get(worker, version);
    if (!stored) return send(res, 404, { error: `version ${version} of ${worker} not found` });
    send(res, 200, versionDetail(stored, state.tagsOf(worker, version)));
  }

  function listVersions(res: ServerResponse, worker: string): void {
    if (!state.has(worker)) return send(res, 404, { error: `worker ${worker} not found` });
    const versions = state
      .versionsOf(worker)
      .reverse()
      .map((version) => {
        const tags = state.tagsOf(worker, version);
        return { version, tag: tags[0] ?? null, tags, dependencies: state.get(worker, version)?.dependencies ?? [] };
      });
    send(res, 200, { versions });
  }

  function moveChannel(req: IncomingMessage, res: ServerResponse, body: string, keyMatched: boolean, worker: string, tag: string): void {
    if (!keyMatched) return send(res, 401, { error: 'unauthorized' });
    if (!CHANNELS.includes(tag)) return send(res, 422, { error: `tag must be one of ${CHANNELS.join(', ')}, got ${tag}` });
    const parsed = parseJson(body);
    if (!parsed.ok) return send(res, 400, { error: parsed.error });
    const request = parsed.value as { version?: unknown; expected_current_version?: unknown };
    if (typeof request?.version !== 'string') return send(res, 422, { error: 'version: expected a string' });
    if (!('expected_current_version' in request) || (request.expected_current_version !== null && typeof request.expected_current_version !== 'string')) {
      return send(res, 422, { error: 'expected_current_version: expected a string or null' });
    }
    if (!state.has(worker)) return send(res, 404, { error: `worker ${worker} not found` });
    if (!state.get(worker, request.version)) return send(res, 422, { error: { code: 'version_not_found', message: `version ${request.version} of ${worker} not found` } });
    const raced = faults.concurrentChannelMove;
    if (raced && raced.tag === tag) {
      faults.concurrentChannelMove = undefined;
      state.setChannel(worker, tag, raced.version);
    }
    const current = state.channel(worker, tag);
    if (current !== request.expected_current_version) {
      return send(res, 409, { error: 'channel conflict', current_version: current });
    }
    const changed = current !== request.version;
    state.setChannel(worker, tag, request.version);
    send(res, 200, { tag: { version: request.version }, changed });
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
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
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
    seedVersion(payload) {
      state.store(payload);
    },
    seedChannel(worker, tag, version) {
      state.setChannel(worker, tag, version);
    },
    channel: (worker, tag) => state.channel(worker, tag),
    forgetVersions() {
      state = new RegistryState();
    },
    async stop() {
      stopping.abort();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
