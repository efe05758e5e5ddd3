import { ALWAYS_WITHHELD_ENV, inheritedEnv, withheldEnvNames } from './withheld-env';

test('the withheld set always holds the default key name and the CI / Nx Cloud tokens', () => {
  expect(withheldEnvNames()).toEqual(
    [
      'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
      'ACTIONS_RUNTIME_TOKEN',
      'GH_TOKEN',
      'GITHUB_TOKEN',
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
