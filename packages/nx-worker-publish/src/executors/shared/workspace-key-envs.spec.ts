import type { ExecutorContext } from '@nx/devkit';
import { apiKeyEnvsFromFiles, workspaceApiKeyEnvs } from './workspace-key-envs';

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

test('without Nx, the names come from nx.json and the worker project.json', () => {
  const { mkdtempSync, mkdirSync, writeFileSync, rmSync } = require('node:fs') as typeof import('node:fs');
  const { join } = require('node:path') as typeof import('node:path');
  const root = mkdtempSync(join(require('node:os').tmpdir(), 'key-envs-'));
  try {
    mkdirSync(join(root, 'workers/calc'), { recursive: true });
    writeFileSync(join(root, 'nx.json'), JSON.stringify({ plugins: [{ plugin: 'nx-worker-publish', options: { publishOptions: { apiKeyEnv: 'MY_REGISTRY_KEY' } } }] }));
    writeFileSync(
      join(root, 'workers/calc/project.json'),
      JSON.stringify({ targets: { publish: { executor: 'nx-worker-publish:publish-interface', options: { apiKeyEnv: 'CALC_KEY' } } } }),
    );
    expect(apiKeyEnvsFromFiles(root, 'workers/calc')).toEqual(['CALC_KEY', 'MY_REGISTRY_KEY']);
    expect(apiKeyEnvsFromFiles(join(root, 'nowhere'), 'x')).toEqual([]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
