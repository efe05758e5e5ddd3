import type { E2eServers } from './e2e-servers';
import { layHappyWorkers } from './happy-workers';
import type { NxWorkspace } from './nx-workspace';

/**
 * What the iii workers repository holds that a fresh Nx workspace does not (issue 19): package-lock.json on disk but
 * git-ignored (Nx then has no npm nodes), a folder whose name another project takes (`iii-lsp-vscode/package.json`
 * is named `iii-lsp`), manifests without `deploy` under `tests/` and `example/`, and workers that depend on each
 * other (node-todo lists kebab-db, an in-repo worker, besides registry-only ones).
 */
export function layWorkersRepoShape(workspace: NxWorkspace, servers: E2eServers): void {
  layHappyWorkers(workspace, servers, ['node-todo', 'kebab-db']);
  // Nx makes package.json folders projects where the root package.json lists them. (The workers repository has no
  // root package.json: there Nx makes no project of iii-lsp-vscode, and the worker keeps the name iii-lsp.)
  workspace.write('package.json', `${JSON.stringify({ ...workspace.readJson('package.json'), workspaces: ['iii-lsp-vscode'] }, null, 2)}\n`);
  workspace.write('.gitignore', `${workspace.read('.gitignore')}package-lock.json\n`);
  workspace.write(
    'package-lock.json',
    `${JSON.stringify(
      {
        name: 'workers',
        lockfileVersion: 3,
        packages: { '': { name: 'workers' }, 'node_modules/nx-worker-publish': { version: '0.1.0', dev: true }, 'node_modules/iii-sdk': { version: '0.22.1' } },
      },
      null,
      2,
    )}\n`,
  );
  workspace.write('iii-lsp/iii.worker.yaml', 'iii: v1\nname: iii-lsp\nlanguage: rust\ndeploy: binary\nmanifest: Cargo.toml\nbin: iii-lsp\n');
  workspace.write('iii-lsp/Cargo.toml', '[package]\nname = "iii-lsp"\nversion = "0.1.0"\nedition = "2021"\n');
  workspace.write('iii-lsp-vscode/package.json', `${JSON.stringify({ name: 'iii-lsp', version: '0.1.0', private: true }, null, 2)}\n`);
  workspace.write(
    'iii-database/tests/e2e/workers/harness/iii.worker.yaml',
    "name: harness\nruntime:\n  language: typescript\n  package_manager: npm\n  entry: src/worker.ts\nscripts:\n  install: 'npm install'\n  start: 'npm run dev'\n",
  );
  workspace.write('image-resize/example/iii.worker.yaml', 'iii: v1\n\nname: image-resize-demo\nversion: 1.0.0\n\nscripts:\n  start: "npm run dev"\n');
}
