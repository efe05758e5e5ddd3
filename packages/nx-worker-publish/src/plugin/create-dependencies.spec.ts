import type { CreateDependenciesContext, ProjectConfiguration } from '@nx/devkit';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createDependencies } from './create-dependencies';
import { removeTemps, tempDir } from '../test-support/temp-dirs';

afterAll(removeTemps);

function workspace(files: Record<string, string>): string {
  const root = tempDir('create-dependencies');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

const workerProject = (root: string, name: string, worker?: string): ProjectConfiguration => ({
  root,
  name,
  targets: { 'collect-interface': { executor: 'nx-worker-publish:collect-interface', options: worker ? { worker } : {} } },
});

const contextFor = (workspaceRoot: string, projects: Record<string, ProjectConfiguration>) =>
  ({ workspaceRoot, projects, nxJsonConfiguration: {}, externalNodes: {}, fileMap: { projectFileMap: {}, nonProjectFiles: [] }, filesToProcess: { projectFileMap: {}, nonProjectFiles: [] } }) as unknown as CreateDependenciesContext;

describe('createDependencies', () => {
  it('adds a static edge per in-repo worker listed under dependencies, in any accepted form; registry-only workers stay out', async () => {
    const root = workspace({
      'auth-credentials/iii.worker.yaml': 'deploy: binary\n',
      'provider-openai/iii.worker.yaml': 'deploy: binary\ndependencies:\n  auth-credentials: "^0.1.0"\n  kebab-db: ^1.0.0\n',
      'turn-orchestrator/iii.worker.yaml': 'deploy: binary\ndependencies: [durable-queue, {name: state-flag, version: ^0.1.0}]\n',
      'queues/durable/iii.worker.yaml': 'deploy: binary\n',
      'state-flag/iii.worker.yaml': 'deploy: binary\n',
      'broken/iii.worker.yaml': 'deploy: binary\ndependencies: 7\n',
      'apps/web/package.json': '{"name":"web"}',
    });
    // As Nx passes them: keyed by project name.
    const projects = {
      'auth-credentials': workerProject('auth-credentials', 'auth-credentials'),
      'provider-openai': workerProject('provider-openai', 'provider-openai'),
      'turn-orchestrator': workerProject('turn-orchestrator', 'turn-orchestrator'),
      // Its registry name is set in project.json, and its project has another name.
      queue: workerProject('queues/durable', 'queue', 'durable-queue'),
      'state-flag': workerProject('state-flag', 'state-flag'),
      broken: workerProject('broken', 'broken'),
      web: { root: 'apps/web', name: 'web', targets: {} },
    };
    const edges = await createDependencies({}, contextFor(root, projects));
    expect(edges).toEqual([
      { source: 'provider-openai', target: 'auth-credentials', type: 'static', sourceFile: 'provider-openai/iii.worker.yaml' },
      { source: 'turn-orchestrator', target: 'queue', type: 'static', sourceFile: 'turn-orchestrator/iii.worker.yaml' },
      { source: 'turn-orchestrator', target: 'state-flag', type: 'static', sourceFile: 'turn-orchestrator/iii.worker.yaml' },
    ]);
  });
});
