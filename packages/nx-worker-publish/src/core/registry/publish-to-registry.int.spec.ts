import { createServer } from 'node:net';
import { startRegistryServer, type RegistryServer } from '../../../../../tools/registry-server/src';
import { buildPublishPayload } from '../payload/build-publish-payload';
import { serializePayload } from '../payload/serialize-payload';
import { publishToRegistry, type PublishOptions } from './publish-to-registry';
import { RegistryError } from './registry-error';
import { resolveApiKey } from './resolve-api-key';

const KEY = 'sk-test-9f8e7d6c5b4a-DO-NOT-PRINT';
const FAST_RETRY = { attempts: 4, baseDelayMs: 10 };

const payloadText = serializePayload(
  buildPublishPayload({
    workerName: 'skills',
    version: '0.1.4',
    registryTag: 'next',
    deploy: 'binary',
    readme: '# skills\n',
    repoUrl: 'https://github.com/iii-hq/workers',
    description: null,
    dependencies: ['helper'],
    config: { root: './skills' },
    iface: {
      functions: [
        { name: 'prompts::list', description: 'List prompts', request_schema: {}, response_schema: { type: 'array' }, metadata: {} },
        { name: 'skills::list', description: 'List skills', request_schema: {}, response_schema: { type: 'array' }, metadata: {} },
      ],
      triggers: [{ name: 'skills::on-change', description: '', invocation_schema: {}, return_schema: {}, metadata: {} }],
    },
    binaries: {
      'x86_64-unknown-linux-gnu': {
        url: 'https://github.com/iii-hq/workers/releases/download/skills/v0.1.4/skills-x86_64-unknown-linux-gnu.tar.gz',
        sha256: 'd'.repeat(64),
      },
    },
    manifestLabel: 'skills/iii.worker.yaml',
  }),
);

let server: RegistryServer;
let logs: string[];
let errors: string[];

beforeEach(async () => {
  server = await startRegistryServer({ apiKey: KEY });
  logs = [];
  errors = [];
});

afterEach(async () => {
  await server.stop();
  // Whatever happened in the test, the key was never printed or thrown.
  for (const text of [...logs, ...errors]) expect(text).not.toContain(KEY);
});

function publish(overrides: Partial<PublishOptions> = {}) {
  return publishToRegistry({
    apiUrl: `${server.url}/`,
    payload: payloadText,
    apiKey: KEY,
    retry: FAST_RETRY,
    log: (line) => logs.push(line),
    ...overrides,
  });
}

async function publishFailure(overrides: Partial<PublishOptions> = {}): Promise<RegistryError> {
  const error = await publish(overrides).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RegistryError);
  errors.push((error as RegistryError).message, JSON.stringify((error as RegistryError).details));
  return error as RegistryError;
}

describe('publishToRegistry against the registry stand-in', () => {
  it('publishes on 200: the registry receives the exact bytes, with key and content type', async () => {
    const result = await publish();
    expect(result.status).toBe(200);
    expect(result.attempts).toBe(1);
    expect(JSON.parse(result.body)).toEqual({ ok: true, worker_name: 'skills', version: '0.1.4', tag: 'next' });
    expect(server.published).toEqual([JSON.parse(payloadText)]);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({ method: 'POST', path: '/publish', keyMatched: true, body: payloadText });
    expect(server.requests[0].headers['content-type']).toBe('application/json');
    expect(logs.some((line) => line.includes('/publish'))).toBe(true);
  });

  it('shows a 401 with the registry body and a hint about the key variable, without retrying', async () => {
    const error = await publishFailure({ apiKey: 'wrong-key', apiKeyEnv: 'STAGING_REGISTRY_KEY' });
    expect(error.message).toContain('answered 401');
    expect(error.message).toContain(`${server.url}/publish`);
    expect(error.message).toContain('{"error":"unauthorized"}');
    expect(error.message).toContain('STAGING_REGISTRY_KEY');
    expect(error.details).toMatchObject({ status: 401, attempts: 1 });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0].keyMatched).toBe(false);
    expect(server.published).toEqual([]);
  });

  it('shows the 422 field error and does not retry', async () => {
    const duplicate = JSON.parse(payloadText);
    duplicate.functions.push({ ...duplicate.functions[0] });
    const error = await publishFailure({ payload: JSON.stringify(duplicate) });
    expect(error.message).toContain('answered 422');
    expect(error.message).toContain('functions[2].name: duplicate of functions[0]');
    expect(error.message).toMatch(/rejected the payload/);
    expect(server.requests).toHaveLength(1);
  });

  it('retries 503 twice and then succeeds', async () => {
    server.setFaults({ fail503Times: 2 });
    const result = await publish();
    expect(result).toMatchObject({ status: 200, attempts: 3 });
    expect(server.requests).toHaveLength(3);
    expect(server.published).toHaveLength(1);
    expect(logs.filter((line) => line.includes('answered 503; retrying'))).toHaveLength(2);
  });

  it('retries after a connection reset and then succeeds', async () => {
    server.setFaults({ resetTimes: 1 });
    const result = await publish();
    expect(result).toMatchObject({ status: 200, attempts: 2 });
    expect(server.requests).toHaveLength(2);
    expect(server.published).toHaveLength(1);
  });

  it('gives up after the bounded number of attempts when the registry stays unavailable', async () => {
    server.setFaults({ fail503Times: 10 });
    const error = await publishFailure({ retry: { attempts: 3, baseDelayMs: 10 } });
    expect(error.message).toContain('answered 503');
    expect(error.message).toContain('after 3 attempts');
    expect(server.requests).toHaveLength(3);
  });

  it('does not retry a 500', async () => {
    server.setFaults({ respondWith: { status: 500, body: '{"error":"database unavailable"}' } });
    const error = await publishFailure();
    expect(error.message).toContain('answered 500');
    expect(error.message).toContain('database unavailable');
    expect(server.requests).toHaveLength(1);
  });

  it('treats 201 as a failure', async () => {
    server.setFaults({ respondWith: { status: 201, body: '{"created":true}' } });
    const error = await publishFailure();
    expect(error.message).toMatch(/the registry answered 201, expected 200/);
    expect(server.requests).toHaveLength(1);
  });

  it('truncates a huge error body', async () => {
    server.setFaults({ respondWith: { status: 400, body: 'x'.repeat(10_000) } });
    const error = await publishFailure();
    expect(error.message).toContain('(7952 more characters)');
    expect(error.message.length).toBeLessThan(3000);
  });

  it('throws the missing-key error before anything is sent', async () => {
    const send = async () => publishToRegistry({ apiUrl: server.url, payload: payloadText, apiKey: resolveApiKey({}, 'WORKERS_REGISTRY_API_KEY') });
    await expect(send()).rejects.toThrow(/Set WORKERS_REGISTRY_API_KEY/);
    const error = await publishFailure({ apiKey: '' });
    expect(error.message).toMatch(/No registry API key/);
    expect(server.requests).toHaveLength(0);
  });

  it('times out a registry that does not answer, retrying within the bound', async () => {
    server.setFaults({ slowMs: 30_000 });
    const error = await publishFailure({ timeoutMs: 200, retry: { attempts: 2, baseDelayMs: 10 } });
    expect(error.message).toMatch(/could not reach the registry \(no answer within 200 ms/);
    expect(server.requests).toHaveLength(2);
  });

  it('redacts the key even where it reaches a URL, a status message or a transport error', async () => {
    const error = await publishFailure({ apiUrl: `${server.url}/${KEY}` });
    expect(error.message).toContain('answered 404');
    expect(error.message).toContain('/***/publish');
    expect(logs.some((line) => line.includes('/***/publish'))).toBe(true);
  });
});

describe('publishToRegistry without a registry', () => {
  it('retries a refused connection and then fails with the URL and the cause', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const lines: string[] = [];
    const error = await publishToRegistry({
      apiUrl: `http://127.0.0.1:${port}/${KEY}`,
      payload: payloadText,
      apiKey: KEY,
      retry: { attempts: 3, baseDelayMs: 10 },
      log: (line) => lines.push(line),
    }).then(
      () => undefined,
      (e: unknown) => e as RegistryError,
    );
    expect(error).toBeInstanceOf(RegistryError);
    if (!error) return;
    expect(error.message).toContain(`http://127.0.0.1:${port}/***/publish failed after 3 attempts`);
    expect(error.message).toContain('ECONNREFUSED');
    expect(lines.filter((line) => line.includes('retrying'))).toHaveLength(2);
    for (const text of [...lines, error.message, String(error.stack)]) expect(text).not.toContain(KEY);
  });

  it('rejects an apiUrl that is not http(s) before sending', async () => {
    await expect(publishToRegistry({ apiUrl: 'ftp://registry', payload: '{}', apiKey: KEY })).rejects.toThrow(/`apiUrl` option "ftp:\/\/registry" is not an http\(s\) URL/);
  });
});
