import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readWorkerManifest } from '../manifest/read-worker-manifest';
import { ReleaseAssetError } from '../release-assets/release-asset-error';
import { type ReleaseServer, startReleaseServer } from '../release-assets/test-support/release-server';
import { makeTarGz, sha256Hex } from '../release-assets/test-support/tarball';
import type { LaunchPlanInput } from './launch-plan';
import { LaunchPlanError } from './launch-plan-error';
import { renderLaunchCommand } from './render-launch-command';
import { resolveLaunchPlan } from './resolve-launch-plan';

describe('resolveLaunchPlan with a release bundle (real release server on 127.0.0.1)', () => {
  let server: ReleaseServer;
  let workspaceRoot: string;
  let input: LaunchPlanInput;
  let report: string;
  const tag = 'claude-code/v0.3.1';

  /** The bundle's start script records where and how it runs; its install script leaves a file behind. */
  const bundleManifest = (scripts: string) => `name: claude-code\nscripts:\n${scripts}`;
  const startLine = () => `  start: "echo cwd=$(pwd) III_URL=$III_URL KEY=\${SECRET_KEY:-unset} > '${report}'"\n`;

  function publishBundle(files: Record<string, string>, checksum?: string) {
    const archive = files;
    return makeTarGz(archive).then((body) => {
      server.setAsset(`${tag}/claude-code.tar.gz`, body);
      server.setAsset(`${tag}/claude-code.sha256`, `${checksum ?? sha256Hex(body)}  claude-code.tar.gz\n`);
      return sha256Hex(body);
    });
  }

  beforeEach(async () => {
    server = await startReleaseServer();
    workspaceRoot = mkdtempSync(join(tmpdir(), 'bundle-launch-int-'));
    report = join(workspaceRoot, 'report.txt');
    const dir = join(workspaceRoot, 'workers', 'claude-code');
    mkdirSync(dir, { recursive: true });
    // The source manifest's start differs from the packed one: the packed one must win.
    writeFileSync(join(dir, 'iii.worker.yaml'), 'name: claude-code\nlanguage: javascript\ndeploy: bundle\nmanifest: package.json\nscripts: {start: "exit 7"}\n');
    input = {
      workspaceRoot,
      projectRoot: 'workers/claude-code',
      manifest: readWorkerManifest(dir),
      tag,
      releaseBaseUrl: server.releaseBaseUrl,
      withheldEnv: ['SECRET_KEY'],
      retry: { attempts: 2, baseDelayMs: 5 },
    };
  });
  afterEach(async () => {
    await server.close();
    rmSync(workspaceRoot, { recursive: true, force: true });
  });

  it('downloads {worker}.tar.gz, verifies it, runs install once, then the extracted start in the extracted folder', async () => {
    const sha256 = await publishBundle({
      'iii.worker.yaml': bundleManifest(`  install: "echo ran >> installs.txt"\n${startLine()}`),
      'index.mjs': 'export {};\n',
    });
    const plan = await resolveLaunchPlan(input);
    expect(plan.mode).toBe('release-bundle');
    expect(plan.skipped.map((s) => s.mode)).toEqual(['release-binary']);
    expect(plan.download).toMatchObject({ sha256, url: `${server.releaseBaseUrl}/${tag}/claude-code.tar.gz`, fromCache: false });
    expect(plan.shell).toBe(true);
    expect(plan.cwd).not.toBe(join(workspaceRoot, 'workers', 'claude-code'));
    expect(existsSync(join(plan.cwd, 'index.mjs'))).toBe(true);
    expect(readFileSync(join(plan.cwd, 'installs.txt'), 'utf8')).toBe('ran\n');

    const rendered = renderLaunchCommand(plan, 'ws://127.0.0.1:49999');
    const run = spawnSync(rendered.command, { shell: '/bin/sh', cwd: rendered.cwd, env: { ...process.env, ...rendered.env, SECRET_KEY: undefined } });
    expect(run.status).toBe(0);
    expect(readFileSync(report, 'utf8').trim()).toBe(`cwd=${plan.cwd} III_URL=ws://127.0.0.1:49999 KEY=unset`);

    // A second collection reuses the verified, installed bundle: install does not run again.
    const again = await resolveLaunchPlan(input);
    expect(again.download?.fromCache).toBe(true);
    expect(readFileSync(join(again.cwd, 'installs.txt'), 'utf8')).toBe('ran\n');
  });

  it('accepts the later archive layout, entries prefixed ./ (tar -C stage -czf … .)', async () => {
    await publishBundle({ './iii.worker.yaml': bundleManifest(startLine()), './dist/bundle/index.mjs': 'export {};\n' });
    const plan = await resolveLaunchPlan(input);
    expect(plan.mode).toBe('release-bundle');
    expect(existsSync(join(plan.cwd, 'dist', 'bundle', 'index.mjs'))).toBe(true);
  });

  it('install does not see withheld secrets', async () => {
    process.env.SECRET_KEY = 'must-not-leak';
    try {
      await publishBundle({ 'iii.worker.yaml': bundleManifest(`  install: "echo \${SECRET_KEY:-unset} > seen.txt"\n${startLine()}`) });
      const plan = await resolveLaunchPlan(input);
      expect(readFileSync(join(plan.cwd, 'seen.txt'), 'utf8').trim()).toBe('unset');
    } finally {
      delete process.env.SECRET_KEY;
    }
  });

  it('a failing install fails the task with its log tail, and nothing is started', async () => {
    await publishBundle({ 'iii.worker.yaml': bundleManifest(`  install: "echo resolving deps; echo ERR_MISSING_PEER >&2; exit 3"\n${startLine()}`) });
    const error = await resolveLaunchPlan(input).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(LaunchPlanError);
    expect(error?.message).toMatch(/scripts\.install `echo resolving deps; echo ERR_MISSING_PEER >&2; exit 3` failed \(exit code 3\)/);
    expect(error?.message).toMatch(/resolving deps\nERR_MISSING_PEER$/);
    expect(existsSync(report)).toBe(false);
  });

  it('a bundle whose sha256 does not match is refused before anything is extracted or run', async () => {
    await publishBundle({ 'iii.worker.yaml': bundleManifest(`  install: "touch installed"\n${startLine()}`) }, 'f'.repeat(64));
    const error = await resolveLaunchPlan(input).then(
      () => undefined,
      (e: unknown) => e as ReleaseAssetError,
    );
    expect(error).toBeInstanceOf(ReleaseAssetError);
    expect(error?.kind).toBe('checksum-mismatch');
    expect(existsSync(join(workspaceRoot, '.nx', 'cache', 'worker-publish', 'extracted', 'f'.repeat(64)))).toBe(false);
  });

  it('a bundle obeys the archive limits of release binaries, and its install never runs', async () => {
    await publishBundle({ 'iii.worker.yaml': bundleManifest(`  install: "touch installed"\n${startLine()}`), 'a.js': '', 'b.js': '' });
    const error = await resolveLaunchPlan({ ...input, archiveLimits: { maxEntries: 2 } }).then(
      () => undefined,
      (e: unknown) => e as ReleaseAssetError,
    );
    expect(error).toBeInstanceOf(ReleaseAssetError);
    expect(error?.message).toContain('the maxArchiveEntries limit');
    expect(existsSync(report)).toBe(false);
  });

  it('a packed manifest without scripts.start is a clear error naming the archive', async () => {
    await publishBundle({ 'iii.worker.yaml': 'name: claude-code\n' });
    await expect(resolveLaunchPlan(input)).rejects.toThrow(/bundle scripts\.start is required: the iii\.worker\.yaml inside http:\/\/127\.0\.0\.1:\d+\/.*claude-code\.tar\.gz/);
  });

  it('without a tag, a bundle runs from source like a start script', async () => {
    const plan = await resolveLaunchPlan({ ...input, tag: undefined });
    expect(plan).toMatchObject({ mode: 'start-script', command: 'exit 7', cwd: join(workspaceRoot, 'workers', 'claude-code') });
    expect(plan.skipped.find((s) => s.mode === 'release-bundle')?.reason).toBe('no release tag given');
  });
});

describe('config.collect.yaml', () => {
  it('is passed as --config ./config.collect.yaml to cargo-run and build-output (and release-binary) workers, from their folder', async () => {
    const workspaceRoot = mkdtempSync(join(tmpdir(), 'collect-config-'));
    try {
      const dir = join(workspaceRoot, 'storage');
      mkdirSync(dir);
      writeFileSync(join(dir, 'iii.worker.yaml'), 'name: storage\nlanguage: rust\ndeploy: binary\nmanifest: Cargo.toml\n');
      writeFileSync(join(dir, 'Cargo.toml'), '[package]\nname = "storage"\nversion = "0.1.0"\n');
      const input: LaunchPlanInput = { workspaceRoot, projectRoot: 'storage', manifest: readWorkerManifest(dir) };
      expect((await resolveLaunchPlan(input)).args).toEqual(['--url', '{engineUrl}']);
      writeFileSync(join(dir, 'config.collect.yaml'), 'backend: memory\n');
      expect((await resolveLaunchPlan(input)).args).toEqual(['--url', '{engineUrl}', '--config', './config.collect.yaml']);
      // A build output gets it the same way (it did not before issue 25).
      mkdirSync(join(dir, 'target', 'release'), { recursive: true });
      writeFileSync(join(dir, 'target', 'release', 'storage'), '#!/bin/sh\n', { mode: 0o755 });
      const built = await resolveLaunchPlan(input);
      expect(built.mode).toBe('build-output');
      expect(built.args).toEqual(['--url', '{engineUrl}', '--config', './config.collect.yaml']);
    } finally {
      rmSync(workspaceRoot, { recursive: true, force: true });
    }
  });
});
