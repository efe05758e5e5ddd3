import { ALWAYS_WITHHELD_ENV, inheritedEnv, SDK_IDENTITY_ENV, withheldEnvNames } from './withheld-env';

test('the withheld set always holds the default key name, the CI / Nx Cloud tokens and the iii SDKs\' III_TOKEN', () => {
  expect(withheldEnvNames()).toEqual(
    [
      'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
      'ACTIONS_RUNTIME_TOKEN',
      'GH_TOKEN',
      'GITHUB_TOKEN',
      'III_TOKEN',
      'NX_CLOUD_ACCESS_TOKEN',
      'NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN',
      'WORKERS_REGISTRY_API_KEY',
    ],
  );
});

test('it adds every publish target key name and the withholdEnv names, once each', () => {
  const names = withheldEnvNames({ apiKeyEnvs: ['MY_REGISTRY_KEY', undefined, 'OTHER_KEY', 'MY_REGISTRY_KEY'], withholdEnv: ['DB_PASSWORD', ' '] });
  expect(names).toEqual(expect.arrayContaining(['MY_REGISTRY_KEY', 'OTHER_KEY', 'DB_PASSWORD', ...ALWAYS_WITHHELD_ENV]));
  expect(names).toHaveLength(ALWAYS_WITHHELD_ENV.length + 3);
});

test('inheritedEnv drops the always-withheld names even when the caller names none', () => {
  const env = inheritedEnv([], { PATH: '/bin', GITHUB_TOKEN: 'ghs_x', NX_CLOUD_ACCESS_TOKEN: 'c', MY_KEY: 'k' });
  expect(env).toEqual({ PATH: '/bin', MY_KEY: 'k' });
  expect(inheritedEnv(['MY_KEY'], { PATH: '/bin', MY_KEY: 'k' })).toEqual({ PATH: '/bin' });
});

test('inheritedEnv drops what the iii SDKs read to name, place or point a worker, and every OTEL_ setting (issue 18 §3)', () => {
  const parent = Object.fromEntries([...SDK_IDENTITY_ENV, 'III_TOKEN', 'OTEL_ENABLED', 'OTEL_EXPORTER_OTLP_HEADERS'].map((name) => [name, `parent-${name}`]));
  expect(inheritedEnv([], { PATH: '/bin', III_ENGINE_URL_NOT_READ: 'x', ...parent })).toEqual({ PATH: '/bin', III_ENGINE_URL_NOT_READ: 'x' });
  expect(SDK_IDENTITY_ENV).toEqual(
    expect.arrayContaining(['III_URL', 'III_WORKER_NAME', 'III_NAMESPACE', 'III_ISOLATION', 'III_DISABLE_TRACE_PAYLOADS', 'III_TRACE_PAYLOAD_MAX_BYTES']),
  );
});
