import { startRegistryServer, type RegistryServer } from '../../../../../tools/registry-server/src';
import { buildPublishPayload } from '../payload/build-publish-payload';
import { serializePayload } from '../payload/serialize-payload';
import { finalizeToRegistry, type FinalizeToRegistryOptions } from './finalize-to-registry';
import { RegistryError } from './registry-error';

const KEY = 'sk-finalize-test-key';
let server: RegistryServer;
let messages: string[];

function stored(version: string): Record<string, unknown> {
  return JSON.parse(
    serializePayload(
      buildPublishPayload({
        workerName: 'skills',
        version,
        deploy: 'image',
        readme: '# skills\n',
        repoUrl: 'https://github.com/iii-hq/workers',
        description: 'Skills',
        dependencies: {},
        config: {},
        iface: { functions: [{ name: 'skills::list', description: '', request_schema: {}, response_schema: {}, metadata: {} }], triggers: [] },
        imageTag: `ghcr.io/iii-hq/skills:${version}`,
        manifestLabel: 'skills/iii.worker.yaml',
      }),
    ),
  );
}

beforeEach(async () => {
  server = await startRegistryServer({ apiKey: KEY });
  messages = [];
  // 0.1.0 is latest; 0.2.0-rc.1 is the candidate on next.
  server.seedVersion(stored('0.1.0'));
  server.seedVersion(stored('0.2.0-rc.1'));
  server.seedChannel('skills', 'latest', '0.1.0');
  server.seedChannel('skills', 'next', '0.2.0-rc.1');
});

afterEach(async () => {
  await server.stop();
  for (const text of messages) expect(text).not.toContain(KEY);
});

const finalize = (overrides: Partial<FinalizeToRegistryOptions> = {}) =>
  finalizeToRegistry({ apiUrl: server.url, apiKey: KEY, worker: 'skills', stable: '0.2.0', retryDelayMs: 10, log: (line) => messages.push(line), ...overrides });

async function failure(overrides: Partial<FinalizeToRegistryOptions> = {}): Promise<string> {
  const error = await finalize(overrides).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RegistryError);
  messages.push((error as Error).message);
  return (error as Error).message;
}

const finalizes = () => server.requests.filter((r) => r.path === '/w/skills/releases/finalize');

describe('finalize-release: the rc on next becomes the stable version on latest', () => {
  it('mints the stable from the candidate next points at; both pointers are proved on it', async () => {
    const report = await finalize();
    expect(report).toMatchObject({ state: 'changed', candidate: '0.2.0-rc.1' });
    expect(JSON.parse(finalizes()[0].body)).toEqual({ candidate_version: '0.2.0-rc.1', stable_version: '0.2.0', expected_latest_version: '0.1.0' });
    expect(server.channel('skills', 'latest')).toBe('0.2.0');
    expect(server.channel('skills', 'next')).toBe('0.2.0');
  });

  it('already final: succeeds without writing', async () => {
    await finalize();
    server.requests.splice(0);
    expect((await finalize()).state).toBe('unchanged');
    expect(finalizes()).toHaveLength(0);
  });

  it('a 409 whose readback shows both pointers on the stable version is success (unchanged)', async () => {
    server.setFaults({ afterHandling: { answer: 409, method: 'POST', path: '/w/skills/releases/finalize' } });
    expect((await finalize()).state).toBe('unchanged');
  });

  it('an answer lost after the registry finalized: recovered, sent once', async () => {
    server.setFaults({ afterHandling: { answer: 'drop', method: 'POST', path: '/w/skills/releases/finalize' } });
    expect((await finalize()).state).toBe('recovered');
    expect(finalizes()).toHaveLength(1);
  });

  it('a 503 before anything happened: absent, retried', async () => {
    server.setFaults({ respondWith: { status: 503, times: 1, method: 'POST', path: '/w/skills/releases/finalize' } });
    expect(await finalize()).toMatchObject({ state: 'changed' });
    expect(finalizes()).toHaveLength(2);
  });

  it('a finalize race (latest moved meanwhile) fails naming both pointers, nothing overwritten', async () => {
    server.seedVersion(stored('0.1.1'));
    server.setFaults({ concurrentChannelMove: { tag: 'latest', version: '0.1.1' } });
    const message = await failure();
    expect(message).toContain('finalize CAS conflict');
    expect(message).toContain('latest points to 0.1.1 and next to 0.2.0-rc.1');
    expect(server.channel('skills', 'latest')).toBe('0.1.1');
  });

  it('a 5xx after the registry finalized: the readback shows both pointers, recovered', async () => {
    server.setFaults({ afterHandling: { answer: 503, method: 'POST', path: '/w/skills/releases/finalize' } });
    expect((await finalize()).state).toBe('recovered');
    expect(finalizes()).toHaveLength(1);
  });

  it.each<[string, Partial<FinalizeToRegistryOptions>, string]>([
    ['a stable that does not share the core', { stable: '0.3.0' }, 'the finalized version 0.3.0 must share the candidate\'s core 0.2.0'],
    ['a prerelease as the stable', { stable: '0.2.0-beta' }, 'the finalized version must be a pure MAJOR.MINOR.PATCH version, got 0.2.0-beta'],
    ['a candidate that is not an rc', { candidate: '0.2.0-beta' }, 'the finalization candidate must be an X.Y.Z-rc.N version, got 0.2.0-beta'],
    ['an rc.0 candidate', { candidate: '0.2.0-rc.0' }, 'the finalization candidate must be an X.Y.Z-rc.N version'],
  ])('refuses %s before any write', async (_case, overrides, expected) => {
    const message = await failure(overrides);
    expect(message).toContain(expected);
    expect(message).toContain('Nothing was written.');
    expect(finalizes()).toHaveLength(0);
  });

  it('refuses a candidate next no longer points at, naming both pointers', async () => {
    server.seedVersion(stored('0.2.0-rc.2'));
    server.seedChannel('skills', 'next', '0.2.0-rc.2');
    const message = await failure({ candidate: '0.2.0-rc.1' });
    expect(message).toContain('Cannot finalize skills 0.2.0-rc.1 as 0.2.0: it is not the candidate on next (latest points to 0.1.0, next to 0.2.0-rc.2)');
    expect(finalizes()).toHaveLength(0);
  });

  it('a dry run says what it would do and writes nothing', async () => {
    const report = await finalize({ dryRun: true, apiKey: undefined });
    expect(report.lines).toEqual(['would finalize skills 0.2.0-rc.1 as 0.2.0 (latest 0.1.0 → 0.2.0, next 0.2.0-rc.1 → 0.2.0)']);
    expect(server.requests.filter((r) => r.method !== 'GET')).toHaveLength(0);
  });
});
