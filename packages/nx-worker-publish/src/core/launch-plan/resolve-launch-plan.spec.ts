import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readWorkerManifest } from '../manifest/read-worker-manifest';
import type { LaunchPlanInput } from './launch-plan';
import { LaunchPlanError } from './launch-plan-error';
import { renderLaunchArgs, renderLaunchCommand, shellQuote } from './render-launch-command';
import { resolveLaunchPlan } from './resolve-launch-plan';

describe('resolveLaunchPlan', () => {
  let workspaceRoot: string;
  beforeEach(() => {
    workspaceRoot = mkdtempSync(join(tmpdir(), 'launch-plan-'));
  });
  afterEach(() => rmSync(workspaceRoot, { recursive: true, force: true }));

  /** A worker folder at workers/<name> with the given iii.worker.yaml and files. */
  const worker = (yaml: string, files: Record<string, string> = {}, name = 'skills') => {
    const projectRoot = join('workers', name);
    const dir = join(workspaceRoot, projectRoot);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'iii.worker.yaml'), yaml);
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    return { workspaceRoot, projectRoot, manifest: readWorkerManifest(dir) } satisfies LaunchPlanInput;
  };
  const rust = (files: Record<string, string> = {}) =>
    worker('name: skills\nlanguage: rust\ndeploy: binary\nmanifest: Cargo.toml\nbin: skills\n', { 'Cargo.toml': '[package]\nversion = "0.1.0"\n', ...files });
  const node = (scripts = 'scripts: {start: "npm run dev"}\n') => worker(`name: todo\nlanguage: node\ndeploy: image\n${scripts}`, {}, 'todo');
  const failure = async (input: LaunchPlanInput): Promise<LaunchPlanError> => {
    const error = await resolveLaunchPlan(input).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(LaunchPlanError);
    return error as LaunchPlanError;
  };

  describe('build-output', () => {
    it('wins when target/release/{bin} exists and no tag is given, with --url {engineUrl}', async () => {
      const input = rust({ 'target/release/skills': '#!/bin/sh\n' });
      const plan = await resolveLaunchPlan(input);
      const cwd = join(workspaceRoot, 'workers/skills');
      expect(plan).toEqual({
        mode: 'build-output',
        command: join(cwd, 'target/release/skills'),
        args: ['--url', '{engineUrl}'],
        shell: false,
        cwd,
        env: { III_URL: '{engineUrl}', III_ENGINE_URL: '{engineUrl}' },
        reason: 'build output found at workers/skills/target/release/skills',
        warnings: [],
        skipped: [
          { mode: 'release-binary', reason: 'no release tag given' },
          { mode: 'release-bundle', reason: 'deploy is binary, not bundle' },
        ],
      });
    });

    it('is passed over for the release when a tag is given (a bundle worker runs its released bundle)', async () => {
      const bundle = worker('name: skills\ndeploy: bundle\nscripts: {start: "node main.js"}\n', { 'target/release/skills': '' });
      // The release server is unreachable: reaching for it proves the release was chosen over the build output.
      const error = await resolveLaunchPlan({ ...bundle, tag: 'skills/v0.1.4', releaseBaseUrl: 'http://127.0.0.1:9/never', retry: { attempts: 1, baseDelayMs: 1 } }).then(
        () => undefined,
        (caught: unknown) => caught as Error,
      );
      expect(error?.message).toContain('GET http://127.0.0.1:9/never/skills/v0.1.4/skills.sha256 failed');
    });

    it('looks at binaryPath (relative to the workspace, with {projectRoot}) instead', async () => {
      const input = rust({ 'out/skills-bin': '' });
      const plan = await resolveLaunchPlan({ ...input, binaryPath: '{projectRoot}/out/skills-bin' });
      expect(plan.command).toBe(join(workspaceRoot, 'workers/skills/out/skills-bin'));
      expect(plan.reason).toBe('build output found at workers/skills/out/skills-bin');
    });

    it('when forced, says which file is missing and how to fix it', async () => {
      const error = await failure({ ...rust(), launch: 'build-output' });
      expect(error.message).toContain('launch is forced to build-output, but no file at workers/skills/target/release/skills');
      expect(error.message).toContain('cargo build --release');
      expect(error.message).toContain('binaryPath');
    });
  });

  describe('start-script', () => {
    it('runs scripts.start through a shell with no default args', async () => {
      const plan = await resolveLaunchPlan(node());
      expect(plan).toMatchObject({ mode: 'start-script', command: 'npm run dev', args: [], shell: true, cwd: join(workspaceRoot, 'workers/todo') });
      expect(plan.reason).toBe('start command from scripts.start `npm run dev`');
      expect(plan.skipped.map((s) => s.mode)).toEqual(['release-binary', 'release-bundle', 'build-output']);
    });

    it.each([
      ['typescript', 'src/index.ts', 'npx', ['tsx', 'src/index.ts']],
      ['javascript', 'dist/main.js', 'node', ['dist/main.js']],
      ['python', 'src/main.py', 'python3', ['src/main.py']],
      ['python', 'src.main', 'python3', ['-m', 'src.main']],
      ['bun', 'index.ts', 'bun', ['index.ts']],
    ])('infers runtime %s %s', async (language, entry, command, args) => {
      const plan = await resolveLaunchPlan(node(`runtime: {language: ${language}, entry: ${entry}}\n`));
      expect(plan).toMatchObject({ mode: 'start-script', command, args, shell: false });
    });

    it('prefers runtime.kind over runtime.language', async () => {
      const plan = await resolveLaunchPlan(node('runtime: {kind: javascript, language: typescript, entry: a.js}\n'));
      expect(plan.command).toBe('node');
    });

    it('is preferred over cargo-run for a Rust worker with scripts.start', async () => {
      const input = worker('language: rust\ndeploy: image\nscripts: {start: "./run.sh"}\n', { 'Cargo.toml': '' });
      expect((await resolveLaunchPlan(input)).mode).toBe('start-script');
    });
  });

  describe('cargo-run', () => {
    it('is the Rust fallback: a dev-profile compile of the bin, then the binary run like a build output', async () => {
      const plan = await resolveLaunchPlan(rust());
      expect(plan).toMatchObject({
        mode: 'cargo-run',
        args: ['--url', '{engineUrl}'],
        shell: false,
        cwd: join(workspaceRoot, 'workers/skills'),
        compile: { cwd: join(workspaceRoot, 'workers/skills'), bin: 'skills', profile: 'dev', locked: false, timeoutMs: undefined },
      });
      expect(plan.reason).toContain('cargo build --bin skills (dev profile)');
      expect(plan.skipped).toEqual([
        { mode: 'release-binary', reason: 'no release tag given' },
        { mode: 'release-bundle', reason: 'deploy is binary, not bundle' },
        { mode: 'build-output', reason: 'no file at workers/skills/target/release/skills' },
        { mode: 'start-script', reason: 'iii.worker.yaml has no scripts.start and no runtime' },
      ]);
    });

    it('passes custom args to the built binary, and the compile options to the compile', async () => {
      const plan = await resolveLaunchPlan({
        ...rust(),
        args: ['--engine-url', '{engineUrl}'],
        compile: { profile: 'release', locked: true, timeoutMs: 60_000 },
      });
      expect(plan.args).toEqual(['--engine-url', '{engineUrl}']);
      expect(plan.compile).toMatchObject({ profile: 'release', locked: true, timeoutMs: 60_000 });
    });
  });

  it('fails listing every mode tried, why it did not apply, and how to fix it', async () => {
    const error = await failure(worker('name: proof\nlanguage: node\ndeploy: image\nmanifest: package.json\n', {}, 'proof'));
    expect(error.message).toContain('Worker proof (workers/proof/iii.worker.yaml): no way to start the worker was found');
    expect(error.message).toContain('build-output (no file at workers/proof/target/release/proof)');
    expect(error.message).toContain('release-binary (deploy is image, not binary)');
    expect(error.message).toContain('start-script (iii.worker.yaml has no scripts.start and no runtime)');
    expect(error.message).toContain('cargo-run (language is node, not rust)');
    expect(error.message).toContain('set binaryPath');
    expect(error.message).toContain('add scripts.start');
  });

  it('explains a runtime without an entry', async () => {
    const error = await failure(node('runtime: {language: typescript}\n'));
    expect(error.message).toContain('start-script (runtime typescript has no runtime.entry to run)');
  });

  describe('release-binary', () => {
    it('is skipped without a tag, and says so when forced', async () => {
      const error = await failure({ ...rust(), launch: 'release-binary' });
      expect(error.message).toContain('launch is forced to release-binary, but no release tag given');
      expect(error.message).toContain('--tag=skills/v<version>');
    });

    it('needs a releaseBaseUrl', async () => {
      const error = await failure({ ...rust(), launch: 'release-binary', tag: 'skills/v1.0.0' });
      expect(error.message).toContain('no releaseBaseUrl given');
    });

    it('does not apply to image workers', async () => {
      const error = await failure({ ...node(), launch: 'release-binary', tag: 'todo/v1.0.0', releaseBaseUrl: 'http://127.0.0.1:9' });
      expect(error.message).toContain('deploy is image, not binary');
    });
  });

  describe('forcing', () => {
    it('forces cargo-run over an existing build output', async () => {
      const plan = await resolveLaunchPlan({ ...rust({ 'target/release/skills': '' }), launch: 'cargo-run' });
      expect(plan.mode).toBe('cargo-run');
    });

    it('offers iii-worker-add only when forced, warning about KVM', async () => {
      const input = node();
      expect((await resolveLaunchPlan(input)).mode).not.toBe('iii-worker-add');
      const plan = await resolveLaunchPlan({ ...input, launch: 'iii-worker-add' });
      expect(plan).toMatchObject({ mode: 'iii-worker-add', command: 'iii', args: ['worker', 'add', join(workspaceRoot, 'workers/todo')] });
      expect(plan.warnings[0]).toContain('KVM');
    });

    it('rejects an unknown mode', async () => {
      const error = await failure({ ...rust(), launch: 'docker' as never });
      expect(error.message).toContain('Unknown launch mode "docker"');
    });
  });

  it('merges env: manifest env < env option < III_URL/III_ENGINE_URL', async () => {
    const input = worker('deploy: image\nenv: {III_URL: "ws://localhost:49134", LOG: info, KEEP: a}\nscripts: {start: run}\n');
    const plan = await resolveLaunchPlan({ ...input, env: { LOG: 'debug', III_ENGINE_URL: 'x', TOKEN_URL: '{engineUrl}/t' } });
    expect(plan.env).toEqual({ III_URL: '{engineUrl}', III_ENGINE_URL: '{engineUrl}', LOG: 'debug', KEEP: 'a', TOKEN_URL: '{engineUrl}/t' });
  });
});

describe('renderLaunchCommand / renderLaunchArgs', () => {
  const base = { mode: 'build-output' as const, cwd: '/w', reason: '', warnings: [], skipped: [] };

  it('substitutes {engineUrl} in args and env values, every occurrence', () => {
    const plan = { ...base, command: '/w/bin', args: ['--url', '{engineUrl}', '--x={engineUrl}{engineUrl}'], shell: false, env: { III_URL: '{engineUrl}', A: 'b' } };
    expect(renderLaunchCommand(plan, 'ws://127.0.0.1:4000')).toEqual({
      command: '/w/bin',
      args: ['--url', 'ws://127.0.0.1:4000', '--x=ws://127.0.0.1:4000ws://127.0.0.1:4000'],
      shell: false,
      cwd: '/w',
      env: { III_URL: 'ws://127.0.0.1:4000', A: 'b' },
    });
    expect(plan.args[1]).toBe('{engineUrl}'); // the plan itself keeps the placeholder
    expect(renderLaunchArgs(plan, 'ws://h:1').args[1]).toBe('ws://h:1');
  });

  it('quotes args onto a shell command line', () => {
    const plan = { ...base, mode: 'start-script' as const, command: 'npm run dev --', args: ['--url', '{engineUrl}', "it's"], shell: true, env: {} };
    expect(renderLaunchCommand(plan, 'ws://127.0.0.1:4000/x?a=1&b')).toMatchObject({
      command: "npm run dev -- --url 'ws://127.0.0.1:4000/x?a=1&b' 'it'\\''s'",
      args: [],
      shell: true,
    });
    expect(shellQuote('plain-word_1.2')).toBe('plain-word_1.2');
  });
});
