import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { checkPublishContract } from './publish-contract';
import { RegistryState, resolvedGraph, versionDetail, type StoredPayload } from './registry-state';

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
  /**
   * PUT /w/<w>/tags/<tag> and POST /w/<w>/releases/finalize: another publisher moves the channel to this version
   * between the client's read and its write (a CAS race, or a finalize race).
   */
  concurrentChannelMove?: { tag: string; version: string };
  /**
   * Handle the matching request (store, move, finalize), then lose the answer: `drop` destroys the socket, a status
   * answers it with that status instead (a 5xx after the write happened). `times` defaults to 1.
   */
  afterHandling?: { answer: 'drop' | number; method?: string; path?: string; times?: number };
  /** POST /publish: store binaries (and a bundle) with another sha256 than the one sent; the detail still matches. */
  storeOtherSha256?: boolean;
  /** GET /w/<w>/skills: answer a snapshot altered by this function (a registry that keeps other skills). */
  alterSkills?: (rows: { path: string; content: string }[]) => { path: string; content: string }[];
  /** Answer every request whose path starts with this with an endless 200 body (it never ends). */
  endlessBodyPath?: string;
  /** Hold every request until this settles (a registry that answers only when the test says so). */
  holdRequests?: Promise<unknown>;
  /** Writes answer 401 with a body echoing the key received: raw, JSON-escaped and base64 (a server that leaks it). */
  echoKey?: boolean;
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
/** The registry's skill key rule (spec publish-pipeline-later §6.1). */
const SKILL_KEY = /^[a-z0-9][a-z0-9._/-]*\.md$/i;
const OTHER_SHA256 = 'e'.repeat(64);
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

/** Another sha256 for every binary (and the bundle): the bytes the registry would hand out are not the ones sent. */
function withOtherSha256(payload: StoredPayload): StoredPayload {
  const copy = structuredClone(payload);
  if (copy.binaries && typeof copy.binaries === 'object') {
    for (const asset of Object.values(copy.binaries as Record<string, { sha256: string }>)) asset.sha256 = OTHER_SHA256;
  }
  if (typeof copy.sha256 === 'string') copy.sha256 = OTHER_SHA256;
  return copy;
}

/** A 200 body that never ends, as a broken proxy or a hostile server may send. */
function endless(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  const pump = () => {
    while (!res.destroyed && res.write(chunk));
    if (!res.destroyed) res.once('drain', pump);
  };
  res.write('{"versions": [');
  pump();
}

/**
 * A response whose answer is lost after the request was handled: the handler's writes go nowhere, then the socket
 * is destroyed (`drop`) or answered with `status` instead.
 */
function loseAnswer(req: IncomingMessage, res: ServerResponse, answer: 'drop' | number): ServerResponse {
  const sink = new Proxy(res, {
    get(target, property) {
      if (property === 'writeHead') return () => sink;
      if (property === 'end') {
        return () => {
          if (answer === 'drop') req.socket.destroy();
          else send(target, answer, { error: 'upstream failure after the write' });
          return sink;
        };
      }
      const value = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return sink;
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

  async function handle(req: IncomingMessage, original: ServerResponse): Promise<void> {
    let res = original;
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
    if (faults.holdRequests) await faults.holdRequests;
    if (faults.fail503Times) {
      faults.fail503Times--;
      return send(res, 503, { error: 'service unavailable' });
    }
    if (faults.endlessBodyPath && path.startsWith(faults.endlessBodyPath)) return endless(res);
    if (faults.echoKey && method !== 'GET') {
      const received = String(req.headers[KEY_HEADER] ?? '');
      return send(res, 401, { error: `invalid key "${received}"`, key_b64: Buffer.from(received).toString('base64') });
    }
    const after = faults.afterHandling;
    if (after && (!after.method || after.method === method) && (!after.path || path.startsWith(after.path)) && (after.times ?? 1) > 0) {
      after.times = (after.times ?? 1) - 1;
      res = loseAnswer(req, res, after.answer);
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
    if (path === '/resolve') {
      if (method !== 'POST') return send(res, 405, { error: 'method not allowed' });
      return resolve(res, body);
    }
    const match = /^\/w\/([^/]+)(?:\/(versions|skills|releases\/finalize|tags\/([^/]+)))?$/.exec(path);
    if (!match) return send(res, 404, { error: 'not found' });
    const worker = decodeURIComponent(match[1]);
    if (match[2] === 'skills') {
      if (method === 'GET') return readSkills(res, worker, url.searchParams.get('version'));
      if (method !== 'POST') return send(res, 405, { error: 'method not allowed' });
      return writeSkills(res, body, keyMatched, worker);
    }
    if (match[2] === 'releases/finalize') {
      if (method !== 'POST') return send(res, 405, { error: 'method not allowed' });
      return finalize(res, body, keyMatched, worker);
    }
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
    let stored = faults.alterStored ? faults.alterStored(structuredClone(payload)) : payload;
    if (faults.storeOtherSha256) stored = withOtherSha256(stored);
    if (!state.store(stored)) {
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

  function resolve(res: ServerResponse, body: string): void {
    const parsed = parseJson(body);
    if (!parsed.ok) return send(res, 400, { error: parsed.error });
    const request = parsed.value as { worker?: unknown; version?: unknown };
    if (typeof request?.worker !== 'string' || typeof request.version !== 'string') return send(res, 422, { error: 'worker and version: expected strings' });
    if (!state.has(request.worker)) return send(res, 422, { error: { code: 'worker_not_found', message: `worker ${request.worker} not found` } });
    // A channel name resolves to the version it points at; anything else is an exact version.
    const version = CHANNELS.includes(request.version) ? state.channel(request.worker, request.version) : request.version;
    const stored = version ? state.get(request.worker, version) : undefined;
    if (!stored) return send(res, 422, { error: { code: 'version_not_found', message: `version ${request.version} of ${request.worker} not found` } });
    send(res, 200, resolvedGraph(stored));
  }

  function readSkills(res: ServerResponse, worker: string, version: string | null): void {
    if (!version) return send(res, 400, { error: 'version query parameter is required' });
    const rows = state.skillsOf(worker, version);
    if (!rows) return send(res, 404, { error: `no skills for ${worker} ${version}` });
    const shown = faults.alterSkills ? faults.alterSkills(structuredClone(rows)) : rows;
    send(res, 200, { name: worker, version, skills: shown, prompts: [] });
  }

  function writeSkills(res: ServerResponse, body: string, keyMatched: boolean, worker: string): void {
    if (!keyMatched) return send(res, 401, { error: 'unauthorized' });
    const parsed = parseJson(body);
    if (!parsed.ok) return send(res, 400, { error: parsed.error });
    const request = parsed.value as { version?: unknown; skills?: unknown; prompts?: unknown };
    if (!request || typeof request !== 'object' || (!('skills' in request) && !('prompts' in request))) return send(res, 422, { error: 'skills or prompts: required' });
    if (typeof request.version !== 'string') return send(res, 422, { error: 'version: expected a string' });
    if (!state.get(worker, request.version)) return send(res, 422, { error: { code: 'version_not_found', message: `version ${request.version} of ${worker} not found` } });
    const skills = request.skills ?? {};
    if (!skills || typeof skills !== 'object' || Array.isArray(skills)) return send(res, 422, { error: 'skills: expected an object' });
    const rows: { path: string; content: string }[] = [];
    for (const [key, content] of Object.entries(skills as Record<string, unknown>)) {
      if (!SKILL_KEY.test(key)) return send(res, 422, { error: `skills.${key}: path must match ${SKILL_KEY.source}` });
      if (typeof content !== 'string' || content.trim() === '') return send(res, 422, { error: `skills.${key}: expected non-empty markdown` });
      rows.push({ path: key, content });
    }
    const keys = rows.map((row) => row.path);
    if (keys.some((key) => key !== 'SKILL.md') && !keys.includes('SKILL.md')) return send(res, 422, { error: 'skills: SKILL.md is required when other skill documents exist' });
    state.setSkills(worker, request.version, rows);
    send(res, 200, { version: request.version });
  }

  function finalize(res: ServerResponse, body: string, keyMatched: boolean, worker: string): void {
    if (!keyMatched) return send(res, 401, { error: 'unauthorized' });
    const parsed = parseJson(body);
    if (!parsed.ok) return send(res, 400, { error: parsed.error });
    const request = parsed.value as { candidate_version?: unknown; stable_version?: unknown; expected_latest_version?: unknown };
    const { candidate_version: candidate, stable_version: stable, expected_latest_version: expectedLatest } = request ?? {};
    if (typeof candidate !== 'string' || typeof stable !== 'string' || !(expectedLatest === null || typeof expectedLatest === 'string')) {
      return send(res, 422, { error: 'candidate_version, stable_version: strings; expected_latest_version: a string or null' });
    }
    if (!/^(\d+\.\d+\.\d+)-rc\.[1-9]\d*$/.test(candidate) || !candidate.startsWith(`${stable}-rc.`)) {
      return send(res, 422, { error: `finalization stable ${stable} must share the candidate core of ${candidate}` });
    }
    const source = state.get(worker, candidate);
    if (!source) return send(res, 422, { error: { code: 'version_not_found', message: `version ${candidate} of ${worker} not found` } });
    if (state.channel(worker, 'latest') === stable && state.channel(worker, 'next') === stable) {
      return send(res, 200, { finalize: { stable_version: stable }, changed: false });
    }
    const raced = faults.concurrentChannelMove;
    if (raced) {
      faults.concurrentChannelMove = undefined;
      state.setChannel(worker, raced.tag, raced.version);
    }
    const latest = state.channel(worker, 'latest');
    const next = state.channel(worker, 'next');
    if (latest !== expectedLatest || next !== candidate) {
      return send(res, 409, { error: 'finalize conflict', latest_version: latest, next_version: next });
    }
    // The stable version reuses the candidate's bytes: the same artifact, under the stable version.
    if (!state.get(worker, stable)) state.store({ ...structuredClone(source), version: stable });
    state.setChannel(worker, 'latest', stable);
    state.setChannel(worker, 'next', stable);
    send(res, 200, { finalize: { stable_version: stable }, changed: true });
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
