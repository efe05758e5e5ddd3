import { createServer } from 'node:net';
import { startRegistryServer, type RegistryServer } from '../../../../../tools/registry-server/src';
import type { InterfaceFunction } from '../interface/worker-interface';
import { buildPublishPayload } from '../payload/build-publish-payload';
import type { PublishPayload } from '../payload/publish-payload';
import { serializePayload } from '../payload/serialize-payload';
import { publishToRegistry, type PublishReport, type PublishToRegistryOptions } from './publish-to-registry';
import { assignChannel } from './assign-channel';
import { RegistryClient } from './registry-client';
import { RegistryError } from './registry-error';

const KEY = 'sk-test-9f8e7d6c5b4a-DO-NOT-PRINT';

const fn = (name: string, response_schema: Record<string, unknown> = { type: 'array' }): InterfaceFunction => ({
  name,
  description: `${name} does it`,
  request_schema: { type: 'object' },
  response_schema,
  metadata: {},
});

function payloadFor(version: string, functions = [fn('prompts::list'), fn('skills::list')]): PublishPayload {
  return buildPublishPayload({
    workerName: 'skills',
    version,
    deploy: 'binary',
    readme: '# skills\n',
    repoUrl: 'https://github.com/iii-hq/workers',
    description: 'Skills for agents',
    license: 'Apache-2.0',
    tags: ['agent', 'skills'],
    dependencies: { helper: '^0.1.0', alpha: '^1' },
    config: { root: './skills' },
    iface: {
      functions,
      triggers: [{ name: 'skills::on-change', description: '', invocation_schema: { type: 'object' }, return_schema: {}, metadata: {} }],
    },
    binaries: {
      'x86_64-unknown-linux-gnu': { url: `https://github.com/iii-hq/workers/releases/download/skills/v${version}/skills-x86_64-unknown-linux-gnu.tar.gz`, sha256: 'd'.repeat(64) },
    },
    manifestLabel: 'skills/iii.worker.yaml',
  });
}

let server: RegistryServer;
let logs: string[];
let warnings: string[];
let errors: string[];

beforeEach(async () => {
  server = await startRegistryServer({ apiKey: KEY });
  logs = [];
  warnings = [];
  errors = [];
});

afterEach(async () => {
  await server.stop();
  // Whatever happened in the test, the key was never printed or thrown.
  for (const text of [...logs, ...warnings, ...errors]) expect(text).not.toContain(KEY);
});

function publish(overrides: Partial<PublishToRegistryOptions> & { payload?: PublishPayload } = {}): Promise<PublishReport> {
  const payload = overrides.payload ?? payloadFor('0.1.4');
  return publishToRegistry({
    apiUrl: `${server.url}/`,
    apiKey: KEY,
    payload,
    payloadText: serializePayload(payload),
    registryTag: 'next',
    retryDelayMs: 10,
    log: (line) => logs.push(line),
    warn: (line) => warnings.push(line),
    ...overrides,
  });
}

async function publishFailure(overrides: Parameters<typeof publish>[0] = {}): Promise<RegistryError> {
  const error = await publish(overrides).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RegistryError);
  errors.push((error as RegistryError).message, JSON.stringify((error as RegistryError).details));
  return error as RegistryError;
}

/** A version published earlier, with the channel pointing at it. */
function seedCurrent(version: string, tag = 'next', payload = payloadFor(version)): void {
  server.seedVersion(JSON.parse(serializePayload(payload)));
  server.seedChannel('skills', tag, version);
}

const posts = () => server.requests.filter((r) => r.method === 'POST' && r.path === '/publish');
const puts = () => server.requests.filter((r) => r.method === 'PUT');
const route = () => server.requests.map((r) => `${r.method} ${r.path}`);

describe('publishing the version, proved by its readback', () => {
  it('new version: POST without a channel, read back equivalent, then the channel moved from unassigned', async () => {
    const report = await publish();
    expect(report.lines).toEqual(['published skills 0.1.4 (new)', 'channel next: (unassigned) → 0.1.4']);
    expect(report.version).toEqual({ state: 'new', attempts: 1 });
    expect(route()).toEqual(['GET /w/skills/versions', 'POST /publish', 'GET /w/skills', 'POST /resolve', 'PUT /w/skills/tags/next', 'GET /w/skills/versions']);
    const post = posts()[0];
    expect(post).toMatchObject({ keyMatched: true, body: serializePayload(payloadFor('0.1.4')) });
    expect(JSON.parse(post.body)).not.toHaveProperty('tag');
    expect(JSON.parse(puts()[0].body)).toEqual({ version: '0.1.4', expected_current_version: null });
    expect(server.channel('skills', 'next')).toBe('0.1.4');
  });

  it('a 200 whose body says {"ok":false} is not a success', async () => {
    server.setFaults({ okFalseTimes: 1 });
    const error = await publishFailure();
    expect(error.message).toMatch(/answered 200, but its body reports a failure: \{"ok":false,"error":"storage write failed"\}/);
    expect(posts()).toHaveLength(1);
    expect(puts()).toHaveLength(0);
    expect(server.channel('skills', 'next')).toBeNull();
  });

  it('a 200 whose readback diverges fails, naming the differing fields', async () => {
    server.setFaults({ alterStored: (p) => ({ ...p, description: 'something else', tags: ['other'] }) });
    const error = await publishFailure();
    expect(error.message).toContain('is stored, but not as sent (the registry answered 200)');
    expect(error.message).toContain('description differs at line 1, column 1 (character 1): sent "Skills for agents", stored "something else"');
    expect(error.message).toContain('tags: sent ["agent","skills"], stored ["other"]');
    expect(puts()).toHaveLength(0);
  });

  it('409 with an identical stored version is success: already published, identical', async () => {
    server.seedVersion(JSON.parse(serializePayload(payloadFor('0.1.4'))));
    const report = await publish();
    expect(report.lines[0]).toBe('published skills 0.1.4 (already published, identical)');
    expect(posts()).toHaveLength(1);
  });

  it('409 with a different stored version fails, listing the differences', async () => {
    server.seedVersion(JSON.parse(serializePayload(payloadFor('0.1.4', [fn('skills::list', { type: 'object' }), fn('old::gone')]))));
    const error = await publishFailure();
    expect(error.message).toContain('skills 0.1.4 is already published with other contents, and a published version is immutable');
    expect(error.message).toContain('functions: not stored: prompts::list; stored but not sent: old::gone; stored differently: skills::list');
    expect(error.message).toContain('To ship the change, release a new version');
    expect(posts()).toHaveLength(1);
    expect(puts()).toHaveLength(0);
  });

  it('the 409 fault switches: identical is success, different fails naming the field', async () => {
    server.setFaults({ conflictIdenticalTimes: 1 });
    expect((await publish()).lines[0]).toBe('published skills 0.1.4 (already published, identical)');
    server.forgetVersions();
    server.setFaults({ conflictDifferentTimes: 1 });
    const error = await publishFailure();
    // The first differing position, not the common prefix: the stored text goes on where ours ends.
    expect(error.message).toContain('description differs at line 1, column 18 (character 18): sent …"s for agents" (it ends there), stored …"s for agents (published earlier)"');
  });

  it('an answer lost after the registry stored the version: read back, recovered, never sent twice', async () => {
    server.setFaults({ dropPublishResponseTimes: 5 });
    const report = await publish();
    expect(report.lines[0]).toBe('published skills 0.1.4 (recovered after a dropped connection)');
    expect(posts()).toHaveLength(1);
    expect(server.published).toHaveLength(1);
  });

  it('a registry that stores but answers too late: recovered after a timeout, one POST', async () => {
    server.setFaults({ holdPublishResponseMs: 10_000 });
    const report = await publish({ requestTimeoutMs: 300 });
    expect(report.lines[0]).toBe('published skills 0.1.4 (recovered after a timeout)');
    expect(report.version).toMatchObject({ state: 'recovered', attempts: 1 });
    expect(posts()).toHaveLength(1);
  });

  it('503 twice: read back absent each time, retried, then new', async () => {
    server.setFaults({ respondWith: { status: 503, body: '{"error":"busy"}', times: 2, method: 'POST', path: '/publish' } });
    const report = await publish();
    expect(report.version).toEqual({ state: 'new', attempts: 3 });
    expect(route().slice(0, 7)).toEqual([
      'GET /w/skills/versions', 'POST /publish', 'GET /w/skills', 'POST /resolve', 'POST /publish', 'GET /w/skills', 'POST /resolve',
    ]);
    expect(logs.filter((line) => line.includes('the readback proves nothing was written') && line.includes('retrying'))).toHaveLength(2);
  });

  it('a gateway error before anything was stored: read back absent, retried once', async () => {
    server.setFaults({ respondWith: { status: 502, times: 1, method: 'POST', path: '/publish' } });
    const report = await publish();
    expect(report.version).toEqual({ state: 'new', attempts: 2 });
    expect(posts()).toHaveLength(2);
  });

  it('stays unavailable: at most 3 attempts, then a failure that says the version stayed absent', async () => {
    server.setFaults({ respondWith: { status: 503, body: '{"error":"busy"}', method: 'POST', path: '/publish' } });
    const error = await publishFailure();
    expect(error.message).toMatch(/the publish was not verified \(the registry answered 503; the version stayed absent\) within 3 attempts/);
    expect(posts()).toHaveLength(3);
  });

  it('a 5xx whose readback is unavailable is not retried', async () => {
    server.setFaults({ respondWith: { status: 500, body: '{"error":"db down"}', path: '/' } });
    // Even the first read fails here, so nothing at all is written.
    const error = await publishFailure();
    expect(error.message).toMatch(/Cannot read the channels of skills before publishing: GET .*\/w\/skills\/versions answered 500/);
    expect(posts()).toHaveLength(0);
  });

  it('401: the body and the key variable are shown, nothing retried', async () => {
    const error = await publishFailure({ apiKey: 'wrong-key', apiKeyEnv: 'STAGING_REGISTRY_KEY' });
    expect(error.message).toContain(`POST ${server.url}/publish failed: the registry answered 401`);
    expect(error.message).toContain('{"error":"unauthorized"}');
    expect(error.message).toContain('STAGING_REGISTRY_KEY');
    expect(posts()).toHaveLength(1);
  });

  it('422: the field error is shown, nothing retried', async () => {
    const payload = payloadFor('0.1.4');
    const text = serializePayload(payload).replace('"skills::list"', '"prompts::list"');
    const error = await publishFailure({ payload, payloadText: text });
    expect(error.message).toContain('answered 422');
    expect(error.message).toContain('functions[1].name: duplicate of functions[0]');
    expect(posts()).toHaveLength(1);
  });

  it('publishTimeoutSeconds bounds everything, readbacks included', async () => {
    server.setFaults({ slowMs: 30_000 });
    const error = await publishFailure({ timeoutMs: 300 });
    expect(error.message).toMatch(/Cannot read the channels of skills before publishing: GET .*\/w\/skills\/versions: no answer within \d+ ms\. Nothing was written\./);
    expect(posts()).toHaveLength(0);
  });

  it('fails before sending anything without a key', async () => {
    const error = await publishFailure({ apiKey: '' });
    expect(error.message).toMatch(/No registry API key: set WORKERS_REGISTRY_API_KEY/);
    expect(server.requests).toHaveLength(0);
  });

  it('redacts the key even where it reaches the URL', async () => {
    const error = await publishFailure({ apiUrl: `${server.url}/${KEY}` });
    expect(error.message).toContain(`${server.url}/***/publish failed`);
  });
});

describe('moving the channel last, by compare-and-swap', () => {
  it('next: 0.1.3 → 0.1.4, with the pointer read before publishing as the expectation', async () => {
    seedCurrent('0.1.3');
    const report = await publish();
    expect(report.lines).toEqual(['published skills 0.1.4 (new)', 'channel next: 0.1.3 → 0.1.4']);
    expect(JSON.parse(puts()[0].body)).toEqual({ version: '0.1.4', expected_current_version: '0.1.3' });
  });

  it('a concurrent move between our read and our CAS fails, naming the current pointer', async () => {
    seedCurrent('0.1.3');
    server.seedVersion(JSON.parse(serializePayload(payloadFor('0.1.9'))));
    server.setFaults({ concurrentChannelMove: { tag: 'next', version: '0.1.9' } });
    const error = await publishFailure();
    expect(error.message).toContain('channel CAS conflict on next: this publish read next at 0.1.3 and asked the registry to move it to 0.1.4; the registry refused (409) because it now points to 0.1.9');
    expect(error.message).toContain('skills 0.1.4 itself is published');
    expect(server.channel('skills', 'next')).toBe('0.1.9');
  });

  it('a 409 whose readback already points at our version is success', async () => {
    seedCurrent('0.1.3');
    server.setFaults({ concurrentChannelMove: { tag: 'next', version: '0.1.4' } });
    const report = await publish();
    expect(report.lines[1]).toBe('channel next: 0.1.4 (unchanged)');
  });

  it('next is never moved backwards', async () => {
    seedCurrent('0.2.0');
    const report = await publish();
    expect(report.channel).toMatchObject({ state: 'kept-ahead', from: '0.2.0' });
    expect(puts()).toHaveLength(0);
    expect(server.channel('skills', 'next')).toBe('0.2.0');
  });

  it('promotion next → latest moves latest only', async () => {
    seedCurrent('0.1.4', 'next');
    server.seedChannel('skills', 'latest', '0.1.4');
    seedCurrent('0.1.3', 'latest');
    const report = await publish({ registryTag: 'latest' });
    expect(report.lines).toEqual(['published skills 0.1.4 (already published, identical)', 'channel next: 0.1.4 (unchanged)', 'channel latest: 0.1.3 → 0.1.4']);
    expect(server.channel('skills', 'next')).toBe('0.1.4');
  });

  it('registryTag none publishes the version and moves nothing', async () => {
    const report = await publish({ registryTag: 'none' });
    expect(report.lines).toEqual(['published skills 0.1.4 (new)']);
    expect(puts()).toHaveLength(0);
  });
});

describe('the gate against the version the channel points at today (the semver gate of interface-diff)', () => {
  const withDelete = () => payloadFor('0.1.3', [fn('prompts::list'), fn('skills::list'), fn('skills::delete')]);

  it('a removed function under a patch bump fails before any write, naming it and the version that allows it', async () => {
    seedCurrent('0.1.3', 'next', withDelete());
    const error = await publishFailure();
    expect(error.message).toMatch(/^skills 0\.1\.4: 1 breaking change\(s\) compared with 0\.1\.3 \(channel next\), under the patch bump 0\.1\.3 → 0\.1\.4/);
    expect(error.message).toContain('removed function skills::delete');
    expect(error.message).toContain('Release them as 0.2.0 or later');
    expect(error.message).toContain('allowBreakingChanges');
    expect(error.message).toContain('--skip-nx-cache');
    expect(error.message).toMatch(/Nothing was written\.$/);
    expect(posts()).toHaveLength(0);
    expect(puts()).toHaveLength(0);
  });

  it('a breaking schema change (a response property removed) fails as well', async () => {
    const object = (properties: Record<string, unknown>) => ({ type: 'object', properties });
    seedCurrent('0.1.3', 'next', payloadFor('0.1.3', [fn('prompts::list', object({ id: {}, name: {} })), fn('skills::list')]));
    const error = await publishFailure({ payload: payloadFor('0.1.4', [fn('prompts::list', object({ id: {} })), fn('skills::list')]) });
    expect(error.message).toContain('prompts::list response_schema: property name removed');
    expect(error.message).not.toContain('--skip-nx-cache');
    expect(posts()).toHaveLength(0);
  });

  it('a version that allows breaking changes publishes them (below 1.0: a minor bump)', async () => {
    seedCurrent('0.1.3', 'next', withDelete());
    const report = await publish({ payload: payloadFor('0.2.0') });
    expect(report.lines[0]).toBe('published skills 0.2.0 (new)');
    expect(logs).toContain('1 breaking change(s), allowed by the minor bump 0.1.3 → 0.2.0.');
  });

  it('allowBreakingChanges lets them through with a warning; compatible schema changes pass silently', async () => {
    seedCurrent('0.1.3', 'next', payloadFor('0.1.3', [fn('prompts::list', { type: 'integer' }), fn('skills::list'), fn('skills::delete')]));
    const report = await publish({ payload: payloadFor('0.1.4', [fn('prompts::list', { type: 'integer' }), fn('skills::list')]), allowBreakingChanges: true });
    expect(report.lines[0]).toBe('published skills 0.1.4 (new)');
    expect(warnings.some((line) => line.includes('removed function skills::delete') && line.includes('(allowed by allowBreakingChanges)'))).toBe(true);
    expect(warnings).toHaveLength(1);
  });
});

describe('dry run', () => {
  it('reads and compares, prints what would be written, writes nothing', async () => {
    seedCurrent('0.1.3', 'next', payloadFor('0.1.3', [fn('prompts::list'), fn('skills::list'), fn('skills::delete')]));
    const error = await publishFailure({ dryRun: true });
    expect(error.message).toContain('function skills::delete');
    server.requests.splice(0);
    const report = await publish({ dryRun: true, allowBreakingChanges: true, apiKey: undefined });
    expect(report).toMatchObject({ comparison: 'compared', lines: ['would publish skills 0.1.4', 'would move channel next: 0.1.3 → 0.1.4'] });
    expect(server.requests.every((r) => r.method === 'GET')).toBe(true);
  });

  it('without a reachable registry: one warning naming the URL, comparison skipped, success', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const report = await publish({ dryRun: true, apiUrl: `http://127.0.0.1:${port}`, apiKey: undefined });
    expect(report.comparison).toBe('skipped');
    expect(report.lines).toEqual(['would publish skills 0.1.4', 'would move channel next to 0.1.4 (current pointer unknown)']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(new RegExp(`^⚠ registry not reachable at http://127\\.0\\.0\\.1:${port}/: interface comparison skipped \\(.*ECONNREFUSED`));
  });
});

const TARGET = 'x86_64-unknown-linux-gnu';

describe('a stored version is proved by its detail and its resolved artifact (issue 23)', () => {
  it('detail equivalent, resolve divergent: a 200 whose registry keeps another sha256 fails naming the target and both sums', async () => {
    server.setFaults({ storeOtherSha256: true });
    const error = await publishFailure();
    expect(error.message).toContain(`resolved binaries.${TARGET}.sha256: sent ${'d'.repeat(64)}, stored ${'e'.repeat(64)}`);
    expect(error.message).not.toMatch(/^[^;]*description/); // the detail itself matched
    expect(posts()).toHaveLength(1);
    expect(puts()).toHaveLength(0);
  });

  it('a 409 for a version stored with other archives is not "identical": immutable, naming the target and both sums', async () => {
    const other = payloadFor('0.1.4') as Extract<PublishPayload, { type: 'binary' }>;
    other.binaries[TARGET] = { url: other.binaries[TARGET].url, sha256: 'f'.repeat(64) };
    server.seedVersion(JSON.parse(serializePayload(other)));
    const error = await publishFailure();
    expect(error.message).toContain('skills 0.1.4 is already published with other contents, and a published version is immutable');
    expect(error.message).toContain(`resolved binaries.${TARGET}.sha256: sent ${'d'.repeat(64)}, stored ${'f'.repeat(64)}`);
    expect(posts()).toHaveLength(1);
    expect(puts()).toHaveLength(0);
  });

  it('resolve absent (404) with the detail absent after a 5xx: absent, so the publish is retried', async () => {
    server.setFaults({ respondWith: { status: 502, times: 1, method: 'POST', path: '/publish' } });
    const report = await publish();
    expect(report.version).toEqual({ state: 'new', attempts: 2 });
    expect(route().filter((r) => r === 'POST /resolve')).toHaveLength(2);
  });

  it('resolve unavailable after a 5xx: fails at once, the version is not sent again', async () => {
    server.setFaults({ afterHandling: { answer: 503, method: 'POST', path: '/publish' }, respondWith: { status: 500, body: '{"error":"resolver down"}', method: 'POST', path: '/resolve' } });
    const error = await publishFailure();
    expect(error.message).toMatch(/the registry answered 503, and the version cannot be proved \(POST .*\/resolve answered 500: \{"error":"resolver down"\}\)/);
    expect(posts()).toHaveLength(1);
    expect(puts()).toHaveLength(0);
  });

  it('a 5xx after the registry stored the version: both reads prove it, recovered', async () => {
    server.setFaults({ afterHandling: { answer: 503, method: 'POST', path: '/publish' } });
    const report = await publish();
    expect(report.lines[0]).toBe('published skills 0.1.4 (recovered after HTTP 503)');
    expect(posts()).toHaveLength(1);
  });
});

describe('channel outcomes (issue 23 §2)', () => {
  it('a channel move answered 5xx whose readback shows the move is recovered, not moved', async () => {
    server.setFaults({ afterHandling: { answer: 503, method: 'PUT', path: '/w/skills/tags/next' } });
    const report = await publish();
    expect(report.channel).toMatchObject({ tag: 'next', state: 'recovered', to: '0.1.4' });
    expect(report.lines[1]).toBe("channel next: (unassigned) → 0.1.4 (recovered: the registry's answer was lost, the readback shows the move)");
    expect(puts()).toHaveLength(1);
  });

  it('a PUT answered 200 with "changed": false is unchanged', async () => {
    seedCurrent('0.1.4');
    const client = new RegistryClient({ apiUrl: server.url, apiKey: KEY, deadline: Date.now() + 30_000 });
    try {
      const moved = await assignChannel(client, { worker: 'skills', tag: 'next', version: '0.1.4', expected: '0.1.4', note: '' });
      expect(moved.state).toBe('unchanged');
      expect(puts()).toHaveLength(1);
    } finally {
      await client.close();
    }
  });

  it('a 409 while the channel still shows the pointer this publish expected says the registry contradicts itself (no "(unassigned) … (unassigned)")', async () => {
    server.setFaults({ respondWith: { status: 409, body: '{"error":"conflict"}', method: 'PUT' } });
    const error = await publishFailure();
    expect(error.message).toContain('the registry refused the move of next (409) although its own readback shows next still at unassigned, the pointer this publish expected');
    expect(error.message).not.toContain('(unassigned)');
  });

  it('a stale candidate (next moved past it) is refused before any write, naming both pointers', async () => {
    seedCurrent('0.1.4', 'next');
    seedCurrent('0.1.3', 'latest');
    server.seedVersion(JSON.parse(serializePayload(payloadFor('0.1.5'))));
    server.seedChannel('skills', 'next', '0.1.5');
    const error = await publishFailure({ registryTag: 'latest' });
    expect(error.message).toContain('Refusing to promote skills 0.1.4 to latest: it is already published, and next points to 0.1.5, not to it (latest points to 0.1.3)');
    expect(posts()).toHaveLength(0);
    expect(puts()).toHaveLength(0);
  });

  it('a first release straight to latest is allowed, and lifts an unassigned next with it', async () => {
    const report = await publish({ registryTag: 'latest' });
    expect(report.lines).toEqual(['published skills 0.1.4 (new)', 'channel next: (unassigned) → 0.1.4', 'channel latest: (unassigned) → 0.1.4']);
    expect(server.channel('skills', 'next')).toBe('0.1.4');
    expect(server.channel('skills', 'latest')).toBe('0.1.4');
  });

  it('latest takes only a pure version: an rc is refused before any request', async () => {
    const error = await publishFailure({ registryTag: 'latest', payload: payloadFor('0.2.0-rc.1') });
    expect(error.message).toContain('channel latest takes only a pure MAJOR.MINOR.PATCH version, and 0.2.0-rc.1 is not one');
    expect(server.requests).toHaveLength(0);
  });
});

describe('the next floor: publishing to latest lifts next (issue 20 §1)', () => {
  it('next semver-behind is lifted by CAS from the pointer read before publishing', async () => {
    seedCurrent('0.1.3', 'latest');
    server.seedChannel('skills', 'next', '0.1.3');
    const report = await publish({ registryTag: 'latest' });
    expect(report.lines.slice(1)).toEqual(['channel next: 0.1.3 → 0.1.4', 'channel latest: 0.1.3 → 0.1.4']);
    expect(puts().map((r) => [r.path, JSON.parse(r.body)])).toEqual([
      ['/w/skills/tags/next', { version: '0.1.4', expected_current_version: '0.1.3' }],
      ['/w/skills/tags/latest', { version: '0.1.4', expected_current_version: '0.1.3' }],
    ]);
  });

  it('next ahead (an rc of the next minor) is never moved backwards', async () => {
    seedCurrent('0.1.3', 'latest');
    seedCurrent('0.2.0-rc.1', 'next');
    const report = await publish({ registryTag: 'latest' });
    expect(report.nextFloor).toEqual({ from: '0.2.0-rc.1', to: '0.2.0-rc.1', state: 'kept-ahead' });
    expect(server.channel('skills', 'next')).toBe('0.2.0-rc.1');
    expect(server.channel('skills', 'latest')).toBe('0.1.4');
  });

  it('next changed by someone else meanwhile fails naming both pointers, and latest is not moved', async () => {
    seedCurrent('0.1.3', 'latest');
    server.seedChannel('skills', 'next', '0.1.3');
    // Another release moves next while ours is being published.
    server.setFaults({
      alterStored: (p) => {
        server.seedVersion(JSON.parse(serializePayload(payloadFor('0.1.9'))));
        server.seedChannel('skills', 'next', '0.1.9');
        return p;
      },
    });
    const error = await publishFailure({ registryTag: 'latest' });
    expect(error.message).toContain('channel next of skills changed outside this publish: it points to 0.1.9 now, but it was 0.1.3 when this publish read it');
    expect(puts()).toHaveLength(0);
    expect(server.channel('skills', 'latest')).toBe('0.1.3');
  });
});

const SKILLS = { 'SKILL.md': '# skills\nWhat it offers.\n', 'skills/list.md': '# list\nLists skills.\n' };
const skillPosts = () => server.requests.filter((r) => r.method === 'POST' && r.path === '/w/skills/skills');

describe('the skills snapshot: after the version, before the channel, read back exactly (issue 20 §1)', () => {
  it('version, skills and channel in that order, each proved', async () => {
    const report = await publish({ skills: SKILLS });
    expect(report.lines).toEqual(['published skills 0.1.4 (new)', 'skills of skills 0.1.4: 2 documents (published)', 'channel next: (unassigned) → 0.1.4']);
    const writes = route().filter((r) => !r.startsWith('GET') && r !== 'POST /resolve');
    expect(writes).toEqual(['POST /publish', 'POST /w/skills/skills', 'PUT /w/skills/tags/next']);
    expect(route()).toContain('GET /w/skills/skills');
    expect(JSON.parse(skillPosts()[0].body)).toEqual({ version: '0.1.4', skills: SKILLS });
  });

  it('a divergent skills readback fails naming the document and position; the channel is not moved', async () => {
    server.setFaults({ alterSkills: (rows) => rows.map((row) => (row.path === 'skills/list.md' ? { ...row, content: '# list\nLists nothing.\n' } : row)) });
    const error = await publishFailure({ skills: SKILLS });
    expect(error.message).toContain('the skills snapshot diverges: skills/list.md differs at line 2, column 7 (character 14)');
    expect(error.message).toContain('skills 0.1.4 itself is published and no channel was moved');
    expect(skillPosts()).toHaveLength(1);
    expect(puts()).toHaveLength(0);
  });

  it('a repeated path in the readback is divergent', async () => {
    server.setFaults({ alterSkills: (rows) => [...rows, rows[0]] });
    const error = await publishFailure({ skills: SKILLS });
    expect(error.message).toContain('the skills readback repeats path SKILL.md');
  });

  it('an answer lost after the skills were stored: recovered, sent once', async () => {
    server.setFaults({ afterHandling: { answer: 'drop', method: 'POST', path: '/w/skills/skills' } });
    const report = await publish({ skills: SKILLS });
    expect(report.skills).toEqual({ state: 'recovered', documents: 2, cleared: false });
    expect(skillPosts()).toHaveLength(1);
  });

  it('a 503 before anything was stored: absent, retried', async () => {
    server.setFaults({ respondWith: { status: 503, times: 1, method: 'POST', path: '/w/skills/skills' } });
    const report = await publish({ skills: SKILLS });
    expect(report.skills).toMatchObject({ state: 'changed' });
    expect(skillPosts()).toHaveLength(2);
  });

  it('no skills now, none before: nothing is sent', async () => {
    seedCurrent('0.1.3');
    await publish({ skills: {} });
    expect(skillPosts()).toHaveLength(0);
  });

  it('no skills now, but the channel\'s version had some: the empty snapshot clears them, and says so', async () => {
    seedCurrent('0.1.3');
    await publish({ skills: SKILLS, payload: payloadFor('0.1.3') });
    server.requests.splice(0);
    const report = await publish({ skills: {} });
    expect(warnings).toContain('⚠ no skill documents for skills 0.1.4, but 0.1.3 has 2: sending the empty snapshot, which clears them');
    expect(JSON.parse(skillPosts()[0].body)).toEqual({ version: '0.1.4', skills: {} });
    expect(report.lines[1]).toBe('skills of skills 0.1.4: cleared (empty snapshot) (published)');
  });

  it('a dry run lists what would be sent and writes nothing', async () => {
    const report = await publish({ skills: SKILLS, dryRun: true });
    expect(report.lines).toContain('would publish the skills snapshot: SKILL.md (25 B), skills/list.md (21 B)');
    expect(server.requests.filter((r) => r.method !== 'GET')).toHaveLength(0);
  });
});

describe('a registry that misbehaves (issue 20 §2)', () => {
  it('a key with " and \\ echoed JSON-escaped and base64 in a 401 body never reaches the message', async () => {
    const key = 'sk-"quoted"\\back-slash';
    server.setFaults({ echoKey: true });
    const error = await publishFailure({ apiKey: key });
    expect(error.message).toContain('answered 401');
    for (const form of [key, JSON.stringify(key).slice(1, -1), Buffer.from(key).toString('base64'), encodeURIComponent(key)]) {
      expect(error.message).not.toContain(form);
      expect(JSON.stringify(error.details)).not.toContain(form);
    }
    expect(error.message).toContain('invalid key \\"***\\"');
  });

  it('an endless body is cut at the cap, naming the URL and the limit', async () => {
    server.setFaults({ endlessBodyPath: '/w/skills/versions' });
    const error = await publishFailure({ maxResponseBytes: 1024 * 1024 });
    expect(error.message).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/w\/skills\/versions: the response body exceeded 1 MiB, the cap of every registry answer/);
    expect(posts()).toHaveLength(0);
  });

  it('a write the caller says must not happen (nx is gone) is never sent', async () => {
    const error = await publishFailure({ stopBeforeWrite: () => 'nx (pid 1) is gone' });
    expect(error.message).toMatch(/^Stopped before POST http:\/\/127\.0\.0\.1:\d+\/publish: nx \(pid 1\) is gone\. Nothing more was written; run publish-interface again/);
    expect(server.requests.filter((r) => r.method !== 'GET')).toHaveLength(0);
  });

  it('a redirect says to set apiUrl to the final address', async () => {
    server.setFaults({ respondWith: { status: 308, body: '', method: 'GET', path: '/w/skills/versions' } });
    const error = await publishFailure();
    expect(error.message).toContain("(a redirect: set `apiUrl` to the registry's final address)");
  });

  it('a channel on two versions at once says whose inconsistency it is and what to do', async () => {
    seedCurrent('0.1.2');
    server.setFaults({
      respondWith: { status: 200, method: 'GET', path: '/w/skills/versions', body: JSON.stringify({ versions: [{ version: '0.1.2', tags: ['next'] }, { version: '0.1.3', tags: ['next'] }] }) },
    });
    const error = await publishFailure();
    expect(error.message).toContain('the registry reports channel next on 2 versions at once (0.1.2, 0.1.3)');
    expect(error.message).toContain("report it to the registry's operators");
    expect(error.message).not.toContain('when the registry answers');
  });
});
