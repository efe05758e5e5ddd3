import { RegistryError } from './registry-error';
import { resolveApiKey } from './resolve-api-key';

describe('resolveApiKey', () => {
  it('reads the variable the option names, default WORKERS_REGISTRY_API_KEY', () => {
    expect(resolveApiKey({ WORKERS_REGISTRY_API_KEY: 'k1' })).toBe('k1');
    expect(resolveApiKey({ MY_KEY: ' k2\n', WORKERS_REGISTRY_API_KEY: 'k1' }, 'MY_KEY')).toBe('k2');
  });

  it.each([{}, { WORKERS_REGISTRY_API_KEY: '' }, { WORKERS_REGISTRY_API_KEY: '  ' }])('names the variable when it is unset or empty (%j)', (env) => {
    expect(() => resolveApiKey(env, 'WORKERS_REGISTRY_API_KEY')).toThrow(RegistryError);
    expect(() => resolveApiKey(env, 'WORKERS_REGISTRY_API_KEY')).toThrow(/^Set WORKERS_REGISTRY_API_KEY to the workers registry API key/);
  });

  it('names a custom variable', () => {
    expect(() => resolveApiKey({ WORKERS_REGISTRY_API_KEY: 'k1' }, 'STAGING_KEY')).toThrow(/^Set STAGING_KEY .*`apiKeyEnv` option/);
  });
});
