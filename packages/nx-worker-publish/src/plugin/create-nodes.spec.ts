import type { CreateNodesContextV2 } from '@nx/devkit';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createNodes, createNodesV2 } from './create-nodes';
import { removeTemps, tempDir } from '../test-support/temp-dirs';

afterAll(removeTemps);

function workspace(files: Record<string, string>): string {
  const root = tempDir('create-nodes');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

const context = (workspaceRoot: string): CreateNodesContextV2 => ({ workspaceRoot, nxJsonConfiguration: {} });
const run = (root: string, files: string[], options?: Record<string, unknown>) => createNodes[1](files, options, context(root));

const RUST_WORKER = 'iii: v1\nname: skills\nlanguage: rust\ndeploy: binary\nmanifest: Cargo.toml\nbin: skills\n';

describe('createNodes', () => {
  it('is exported under both names', () => {
    expect(createNodesV2).toBe(createNodes);
    expect(createNodes[0]).toBe('{**/iii.worker.yaml,**/package.json,**/project.json,package-lock.json,pnpm-lock.yaml,yarn.lock,bun.lock,bun.lockb}');
  });

  it('makes a folder with only iii.worker.yaml a project named after the folder', async () => {
    const root = workspace({ 'workers/skills/iii.worker.yaml': RUST_WORKER });
    const result = await run(root, ['workers/skills/iii.worker.yaml']);
    const { version } = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));
    expect(result[0][1].projects!['workers/skills'].targets!['collect-interface'].options.pluginVersion).toBe(version);
    expect(JSON.parse(JSON.stringify(result).replaceAll(`"pluginVersion":"${version}"`, '"pluginVersion":"<version>"'))).toMatchInlineSnapshot(`
[
  [
    "workers/skills/iii.worker.yaml",
    {
      "projects": {
        "workers/skills": {
          "metadata": {
            "targetGroups": {
              "iii worker": [
                "collect-interface",
                "publish-interface",
                "interface-diff",
                "finalize-release",
              ],
            },
            "technologies": [
              "iii",
              "rust",
            ],
          },
          "name": "skills",
          "projectType": "application",
          "root": "workers/skills",
          "targets": {
            "collect-interface": {
              "cache": true,
              "executor": "nx-worker-publish:collect-interface",
              "inputs": [
                "{projectRoot}/**/*",
                "!{projectRoot}/**/*.md",
                "!{projectRoot}/**/Dockerfile",
                "!{projectRoot}/**/*.Dockerfile",
                "!{projectRoot}/**/.dockerignore",
                "!{projectRoot}/project.json",
                {
                  "externalDependencies": [],
                },
                {
                  "env": "GITHUB_REPOSITORY",
                },
                {
                  "env": "GITHUB_SERVER_URL",
                },
                {
                  "runtime": "if [ -e "workers/skills/target/release/skills" ] || [ -e "workers/skills/target/release/skills.exe" ]; then node -e "const{createHash}=require('crypto'),{readFileSync}=require('fs');for(const f of process.argv.slice(1)){let h='none';try{h=createHash('sha256').update(readFileSync(f)).digest('hex')}catch{}console.log(f,h)}" "workers/skills/target/release/skills" "workers/skills/target/release/skills.exe"; else echo "workers/skills/target/release/skills none"; echo "workers/skills/target/release/skills.exe none"; fi",
                },
              ],
              "metadata": {
                "description": "Start an engine and the worker, wait for it to register, and write its interface (functions and trigger types). Cached.",
                "help": {
                  "command": "npx worker-publish collect --help",
                  "example": {
                    "options": {
                      "waitSeconds": 60,
                    },
                  },
                },
                "technologies": [
                  "iii",
                ],
              },
              "options": {
                "bin": "skills",
                "deploy": "binary",
                "outputFile": "dist/{projectRoot}/worker-interface.json",
                "pluginVersion": "<version>",
                "worker": "skills",
              },
              "outputs": [
                "{options.outputFile}",
              ],
            },
            "finalize-release": {
              "cache": false,
              "executor": "nx-worker-publish:finalize-release",
              "metadata": {
                "description": "rc-first: mint the stable X.Y.Z from the release candidate on next and move next and latest to it (--tag=<worker>/vX.Y.Z). No worker runs.",
                "help": {
                  "command": "npx worker-publish finalize --help",
                  "example": {
                    "options": {
                      "tag": "skills/v1.0.0",
                    },
                  },
                },
                "technologies": [
                  "iii",
                ],
              },
              "options": {
                "worker": "skills",
              },
            },
            "interface-diff": {
              "cache": false,
              "dependsOn": [
                "collect-interface",
              ],
              "executor": "nx-worker-publish:interface-diff",
              "metadata": {
                "description": "Compare the collected interface with the registry channel's version (or the base commit's interface), write interface-diff.md/.json and fail on breaking changes the version bump does not allow.",
                "technologies": [
                  "iii",
                ],
              },
              "options": {
                "bin": "skills",
                "deploy": "binary",
                "outputFile": "dist/{projectRoot}/worker-interface.json",
                "worker": "skills",
              },
            },
            "publish-interface": {
              "cache": false,
              "configurations": {
                "dry-run": {
                  "dryRun": true,
                },
              },
              "dependsOn": [
                {
                  "params": "forward",
                  "target": "collect-interface",
                },
              ],
              "executor": "nx-worker-publish:publish-interface",
              "inputs": [
                "{projectRoot}/**/*",
                "^default",
              ],
              "metadata": {
                "description": "Build the registry payload from the collected interface and POST it to the workers registry (the dry-run configuration writes it only).",
                "help": {
                  "command": "npx worker-publish publish --help",
                  "example": {
                    "options": {
                      "dryRun": true,
                    },
                  },
                },
                "technologies": [
                  "iii",
                ],
              },
              "options": {
                "bin": "skills",
                "deploy": "binary",
                "outputFile": "dist/{projectRoot}/worker-interface.json",
                "worker": "skills",
              },
            },
          },
        },
      },
    },
  ],
]
`);
  });

  it('adds the targets to a project.json project without renaming it, depending on its build target', async () => {
    const root = workspace({
      'skills/iii.worker.yaml': RUST_WORKER,
      'skills/project.json': JSON.stringify({ name: 'skills-worker', targets: { build: { command: 'cargo build --release' } } }),
    });
    const [[, { projects }]] = await run(root, ['skills/iii.worker.yaml']);
    const project = projects!['skills'];
    expect(project.name).toBeUndefined();
    expect(project.targets!['collect-interface'].dependsOn).toEqual(['build']);
    expect(project.targets!['collect-interface'].inputs).toContainEqual({ dependentTasksOutputFiles: '**/*', transitive: false });
  });

  it('does not depend on a build target that does not exist', async () => {
    const root = workspace({ 'todo/iii.worker.yaml': 'deploy: image\n', 'todo/package.json': '{"name":"todo","scripts":{"start":"node ."}}' });
    const [[, { projects }]] = await run(root, ['todo/iii.worker.yaml']);
    expect(projects!['todo'].targets!['collect-interface'].dependsOn).toBeUndefined();
    expect(JSON.stringify(projects!['todo'].targets!['collect-interface'].inputs)).not.toContain('dependentTasksOutputFiles');
  });

  it('honours plugin options: target names and executor defaults', async () => {
    const root = workspace({ 'skills/iii.worker.yaml': RUST_WORKER });
    const [[, { projects }]] = await run(root, ['skills/iii.worker.yaml'], {
      collectTargetName: 'interface',
      publishTargetName: 'publish',
      diffTargetName: 'diff',
      collectOptions: { waitSeconds: 30 },
      publishOptions: { apiUrl: 'https://registry.example' },
      diffOptions: { registryTag: 'next' },
    });
    const targets = projects!['skills'].targets!;
    expect(Object.keys(targets)).toEqual(['interface', 'publish', 'diff', 'finalize-release']);
    expect(targets.diff.dependsOn).toEqual(['interface']);
    expect(targets.diff.options).toMatchObject({ apiUrl: 'https://registry.example', registryTag: 'next' });
    expect(targets.interface.options.waitSeconds).toBe(30);
    expect(targets.publish.options.apiUrl).toBe('https://registry.example');
    // The registry settings a workspace gives every publish reach the finalization too.
    expect(targets['finalize-release'].options.apiUrl).toBe('https://registry.example');
    expect(targets.publish.dependsOn).toEqual([{ target: 'interface', params: 'forward' }]);
  });

  it('gives a broken manifest targets instead of breaking the graph', async () => {
    const root = workspace({ 'broken/iii.worker.yaml': 'deploy: lambda\n', 'skills/iii.worker.yaml': RUST_WORKER });
    const results = await run(root, ['broken/iii.worker.yaml', 'skills/iii.worker.yaml']);
    const broken = results[0][1].projects!['broken'];
    expect(Object.keys(broken.targets!)).toEqual(['collect-interface', 'publish-interface', 'interface-diff', 'finalize-release']);
    expect(broken.targets!['collect-interface'].options.deploy).toBeUndefined();
    expect(broken.targets!['collect-interface'].metadata!.description).toContain('iii.worker.yaml is invalid: key `deploy`');
    expect(results[1][1].projects!['skills'].targets!['collect-interface'].options.deploy).toBe('binary');
  });

  it('an alias bomb, an oversized or a non-UTF-8 manifest breaks only its own project (issue 12 #8)', async () => {
    let bomb = 'a: &a [x, x, x, x, x, x, x, x, x]\n';
    for (let level = 0, previous = 'a'; level < 12; previous = `l${level}`, level++) {
      bomb += `l${level}: &l${level} [${Array(9).fill(`*${previous}`).join(', ')}]\n`;
    }
    const root = workspace({
      'bomb/iii.worker.yaml': `${bomb}deploy: binary\n`,
      'huge/iii.worker.yaml': `deploy: binary\ndescription: ${'x'.repeat(1024 * 1024 + 1)}\n`,
      'latin1/iii.worker.yaml': 'deploy: image\n',
      'skills/iii.worker.yaml': RUST_WORKER,
    });
    writeFileSync(join(root, 'latin1/iii.worker.yaml'), Buffer.from([...Buffer.from('deploy: image\nname: caf'), 0xe9, 0x0a]));
    const files = ['bomb/iii.worker.yaml', 'huge/iii.worker.yaml', 'latin1/iii.worker.yaml', 'skills/iii.worker.yaml'];
    const results = await run(root, files);
    expect(results.map(([file]) => file)).toEqual(files);
    for (const name of ['bomb', 'huge', 'latin1']) {
      const project = results.find(([file]) => file.startsWith(`${name}/`))![1].projects![name];
      expect(Object.keys(project.targets!)).toEqual(['collect-interface', 'publish-interface', 'interface-diff', 'finalize-release']);
      expect(project.targets!['collect-interface'].metadata!.description).toContain('iii.worker.yaml is invalid');
    }
    expect(results[3][1].projects!['skills'].targets!['collect-interface'].options.deploy).toBe('binary');
  });

  it('names only the npm packages the worker depends on as external inputs, when the lockfile Nx reads has them', async () => {
    const lock = {
      lockfileVersion: 3,
      packages: {
        'node_modules/iii-sdk': { version: '0.22.1' },
        'node_modules/left-pad': { version: '1.3.0' },
        'node_modules/nx-worker-publish': { version: '0.1.0' },
        'node_modules/shared-lib': { resolved: 'libs/shared', link: true },
      },
    };
    const root = workspace({
      'package-lock.json': JSON.stringify(lock),
      'todo/iii.worker.yaml': 'deploy: image\n',
      'todo/package.json': JSON.stringify({ name: 'todo', dependencies: { 'iii-sdk': '^0.22.0', 'nx-worker-publish': '*', 'shared-lib': '*', 'not-installed': '1' } }),
    });
    const [[, { projects }]] = await run(root, ['package-lock.json', 'todo/iii.worker.yaml', 'todo/package.json']);
    expect(projects!['todo'].targets!['collect-interface'].inputs).toContainEqual({ externalDependencies: ['iii-sdk', 'nx-worker-publish'] });
  });

  it("hashes the cargo workspace's Cargo.lock and Cargo.toml for a Rust worker inside one (what cargo-run compiles against)", async () => {
    const root = workspace({
      'Cargo.toml': '[workspace]\nmembers = ["workers/skills"]\n',
      'Cargo.lock': 'version = 4\n',
      'workers/skills/iii.worker.yaml': RUST_WORKER,
      'workers/skills/Cargo.toml': '[package]\nname = "skills"\n',
      'workers/own-lock/iii.worker.yaml': RUST_WORKER.replace('skills', 'own-lock'),
      'workers/own-lock/Cargo.lock': 'version = 4\n',
    });
    const [[, { projects }]] = await run(root, ['workers/skills/iii.worker.yaml']);
    const inputs = projects!['workers/skills'].targets!['collect-interface'].inputs!;
    expect(inputs).toContain('{workspaceRoot}/Cargo.lock');
    expect(inputs).toContain('{workspaceRoot}/Cargo.toml');
    // A worker with its own lockfile is covered by {projectRoot}/**/* already.
    const [[, own]] = await run(root, ['workers/own-lock/iii.worker.yaml']);
    expect(JSON.stringify(own.projects!['workers/own-lock'].targets!['collect-interface'].inputs)).not.toContain('Cargo.lock');
  });

  it('names no external package when the lockfile is git-ignored (Nx then has no npm nodes), and still keys on the plugin version (issue 19 #1)', async () => {
    const lock = { lockfileVersion: 3, packages: { 'node_modules/iii-sdk': { version: '0.22.1' }, 'node_modules/nx-worker-publish': { version: '0.1.0' } } };
    const root = workspace({
      'package-lock.json': JSON.stringify(lock), // on disk, but Nx does not list it: .gitignore leaves it out
      'todo/iii.worker.yaml': 'deploy: image\n',
      'todo/package.json': JSON.stringify({ name: 'todo', dependencies: { 'iii-sdk': '^0.22.0' } }),
    });
    const [[, { projects }]] = await run(root, ['todo/iii.worker.yaml', 'todo/package.json']);
    const collect = projects!['todo'].targets!['collect-interface'];
    expect(collect.inputs).toContainEqual({ externalDependencies: [] });
    expect(JSON.stringify(collect.inputs)).not.toContain('nx-worker-publish');
    expect(collect.options.pluginVersion).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('gives a manifest without deploy (a test harness, an example) collection only (issue 19 #4)', async () => {
    const root = workspace({
      'iii-database/tests/e2e/workers/harness/iii.worker.yaml': 'name: harness\nscripts:\n  start: npm run dev\n',
      'image-resize/example/iii.worker.yaml': 'iii: v1\nname: image-resize-demo\nversion: 1.0.0\n',
      'skills/iii.worker.yaml': RUST_WORKER,
    });
    const files = ['iii-database/tests/e2e/workers/harness/iii.worker.yaml', 'image-resize/example/iii.worker.yaml', 'skills/iii.worker.yaml'];
    const results = await run(root, files);
    const project = (file: string) => Object.values(results.find(([f]) => f === file)![1].projects!)[0];
    for (const file of files.slice(0, 2)) {
      expect(Object.keys(project(file).targets!)).toEqual(['collect-interface']);
      expect(project(file).metadata!.targetGroups).toEqual({ 'iii worker': ['collect-interface'] });
    }
    expect(Object.keys(project('skills/iii.worker.yaml').targets!)).toEqual(['collect-interface', 'publish-interface', 'interface-diff', 'finalize-release']);
  });

  it('does not take a name another project file holds: the manifest name, else <folder>-worker (issue 19 #3)', async () => {
    const root = workspace({
      'package.json': JSON.stringify({ name: 'workers', workspaces: ['iii-lsp-vscode'] }), // makes iii-lsp-vscode a project
      'iii-lsp/iii.worker.yaml': 'iii: v1\nname: iii-lsp\ndeploy: binary\n',
      'iii-lsp-vscode/package.json': JSON.stringify({ name: 'iii-lsp' }),
      'search/iii.worker.yaml': 'name: search-worker\ndeploy: image\n',
      'apps/search/project.json': JSON.stringify({ name: 'search' }),
      'todo/iii.worker.yaml': 'deploy: image\n',
    });
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const results = await run(root, ['apps/search/project.json', 'iii-lsp-vscode/package.json', 'iii-lsp/iii.worker.yaml', 'search/iii.worker.yaml', 'todo/iii.worker.yaml']);
      const names = Object.fromEntries(results.map(([file, result]) => [file, Object.values(result.projects ?? {})[0]?.name]));
      expect(names).toEqual({ 'iii-lsp/iii.worker.yaml': 'iii-lsp-worker', 'search/iii.worker.yaml': 'search-worker', 'todo/iii.worker.yaml': 'todo' });
      // The registry name stays the folder's.
      expect(Object.values(results[0][1].projects!)[0].targets!['publish-interface'].options.worker).toBe('iii-lsp');
      const warnings = stderr.mock.calls.map(([text]) => String(text)).join('');
      expect(warnings).toContain('the project name "iii-lsp" of iii-lsp/iii.worker.yaml is taken by iii-lsp-vscode/package.json, so this worker\'s project is "iii-lsp-worker"');
      expect(warnings).toContain('add iii-lsp/project.json with {"name": "<name>"}');
    } finally {
      stderr.mockRestore();
    }
  });

  it('keeps the folder name a package.json holds when Nx makes no project of it: no root package.json, as in the workers repository', async () => {
    const root = workspace({
      'iii-lsp/iii.worker.yaml': 'iii: v1\nname: iii-lsp\ndeploy: binary\n',
      'iii-lsp-vscode/package.json': JSON.stringify({ name: 'iii-lsp' }), // outside any workspaces list, no project.json
      'search/iii.worker.yaml': 'name: search-worker\ndeploy: image\n',
      'apps/search/package.json': JSON.stringify({ name: 'search' }),
      'apps/search/project.json': JSON.stringify({}), // beside a project.json, the package.json names that project
    });
    const files = ['apps/search/package.json', 'apps/search/project.json', 'iii-lsp-vscode/package.json', 'iii-lsp/iii.worker.yaml', 'search/iii.worker.yaml'];
    const names = async () =>
      Object.fromEntries((await run(root, files)).map(([file, result]) => [file, Object.values(result.projects ?? {})[0]?.name]));
    expect(await names()).toEqual({ 'iii-lsp/iii.worker.yaml': 'iii-lsp', 'search/iii.worker.yaml': 'search-worker' });
    const previous = process.env.NX_INFER_ALL_PACKAGE_JSONS;
    process.env.NX_INFER_ALL_PACKAGE_JSONS = 'true'; // Nx then makes a project of every package.json
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect((await names())['iii-lsp/iii.worker.yaml']).toBe('iii-lsp-worker');
    } finally {
      stderr.mockRestore();
      if (previous === undefined) delete process.env.NX_INFER_ALL_PACKAGE_JSONS;
      else process.env.NX_INFER_ALL_PACKAGE_JSONS = previous;
    }
  });

  it('uses a workerInterface named input from nx.json instead of its own file inputs', async () => {
    const root = workspace({ 'skills/iii.worker.yaml': RUST_WORKER });
    const nxJsonConfiguration = { namedInputs: { workerInterface: ['{projectRoot}/src/**/*'] } };
    const [[, { projects }]] = await createNodes[1](['skills/iii.worker.yaml'], {}, { workspaceRoot: root, nxJsonConfiguration });
    const inputs = projects!['skills'].targets!['collect-interface'].inputs!;
    expect(inputs[0]).toBe('workerInterface');
    expect(inputs).not.toContain('{projectRoot}/**/*');
  });

  it('gives help commands that print the options without running anything, whatever the project is called', async () => {
    const root = workspace({ 'workers/search-svc/iii.worker.yaml': RUST_WORKER, 'workers/search-svc/package.json': '{"name":"@acme/search"}' });
    const [[, { projects }]] = await run(root, ['workers/search-svc/iii.worker.yaml']);
    const targets = projects!['workers/search-svc'].targets!;
    expect(targets['collect-interface'].metadata!.help!.command).toBe('npx worker-publish collect --help');
    expect(targets['publish-interface'].metadata!.help!.command).toBe('npx worker-publish publish --help');
    expect(targets['finalize-release'].metadata!.help!.command).toBe('npx worker-publish finalize --help');
  });

  it('runs the help command from an .nx/installation when the workspace has no node_modules install (issue 19 #2)', async () => {
    const root = workspace({
      'skills/iii.worker.yaml': RUST_WORKER,
      '.nx/installation/node_modules/nx-worker-publish/package.json': '{"name":"nx-worker-publish","version":"0.1.0"}',
    });
    const [[, { projects }]] = await run(root, ['skills/iii.worker.yaml']);
    expect(projects!['skills'].targets!['collect-interface'].metadata!.help!.command).toBe(
      'node .nx/installation/node_modules/nx-worker-publish/bin/worker-publish.js collect --help',
    );
  });

  it('is deterministic: two calls give the same result, with no absolute path in it', async () => {
    const root = workspace({ 'a/iii.worker.yaml': RUST_WORKER, 'b/iii.worker.yaml': 'deploy: image\nname: b\n' });
    const first = await run(root, ['a/iii.worker.yaml', 'b/iii.worker.yaml']);
    const second = await run(root, ['a/iii.worker.yaml', 'b/iii.worker.yaml']);
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
    expect(JSON.stringify(first)).not.toContain(root);
  });
});
