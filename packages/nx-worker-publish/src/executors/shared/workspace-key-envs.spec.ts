import type { ExecutorContext } from '@nx/devkit';
import { workspaceApiKeyEnvs } from './workspace-key-envs';

const publishTarget = (options: Record<string, unknown>, configurations?: Record<string, Record<string, unknown>>) => ({
  executor: 'nx-worker-publish:publish-interface',
  options,
  ...(configurations ? { configurations } : {}),
});

test('collects the apiKeyEnv of every publish target, configuration, target default and plugin entry', () => {
  const nodes = {
    a: { name: 'a', type: 'app', data: { root: 'a', targets: { 'publish-interface': publishTarget({ apiKeyEnv: 'MY_REGISTRY_KEY' }) } } },
    b: {
      name: 'b',
      type: 'app',
      data: {
        root: 'b',
        targets: {
          release: publishTarget({}, { staging: { apiKeyEnv: 'STAGING_KEY' } }),
          other: { executor: 'nx:run-commands', options: { apiKeyEnv: 'NOT_A_PUBLISH_KEY' } },
        },
      },
    },
  };
  const context = {
    projectGraph: { nodes, dependencies: {} },
    nxJsonConfiguration: {
      targetDefaults: { 'nx-worker-publish:publish-interface': { options: { apiKeyEnv: 'DEFAULTS_KEY' } } },
      plugins: ['other-plugin', { plugin: 'nx-worker-publish', options: { publishOptions: { apiKeyEnv: 'PLUGIN_KEY' } } }],
    },
  } as unknown as ExecutorContext;
  expect(workspaceApiKeyEnvs(context)).toEqual(['DEFAULTS_KEY', 'MY_REGISTRY_KEY', 'PLUGIN_KEY', 'STAGING_KEY']);
});

test('a context without a graph gives no names', () => {
  expect(workspaceApiKeyEnvs({} as ExecutorContext)).toEqual([]);
});
