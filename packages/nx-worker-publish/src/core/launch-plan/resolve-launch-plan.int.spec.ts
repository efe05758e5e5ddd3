import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readWorkerManifest } from '../manifest/read-worker-manifest';
import { hostReleaseTarget } from '../release-assets/release-targets';
import { ReleaseAssetError } from '../release-assets/release-asset-error';
import { type ReleaseServer, startReleaseServer } from '../release-assets/test-support/release-server';
import { makeTarGz, sha256Hex } from '../release-assets/test-support/tarball';
import type { LaunchPlanInput } from './launch-plan';
import { renderLaunchCommand } from './render-launch-command';
import { resolveLaunchPlan } from './resolve-launch-plan';

/** A worker "binary" that records where and how it was started. */
const reportingScript = (reportFile: string) =>
  `#!/bin/sh\n{ echo "cwd=$(pwd)"; echo "args=$*"; echo "III_URL=$III_URL"; echo "III_ENGINE_URL=$III_ENGINE_URL"; } > '${reportFile}'\n`;

describe('resolveLaunchPlan with a release binary (real release server on 127.0.0.1)', () => {
  let server: ReleaseServer;
  let workspaceRoot: string;
  let input: LaunchPlanInput;
  let report: string;
  const tag = 'skills/v0.1.4';

  beforeEach(async () => {
    server = await startReleaseServer();
    workspaceRoot = mkdtempSync(join(tmpdir(), 'launch-int-'));
    report = join(workspaceRoot, 'report.txt');
    const dir = join(workspaceRoot, 'skills');
    mkdirSync(dir);
    writeFileSync(join(dir, 'iii.worker.yaml'), 'name: skills\nlanguage: rust\ndeploy: binary\nmanifest: Cargo.toml\nbin: skills\n');
    writeFileSync(join(dir, 'Cargo.toml'), '[package]\nname = "skills"\nversion = "0.1.4"\n');
    input = {
      workspaceRoot,
      projectRoot: 'skills',
      manifest: readWorkerManifest(dir),
      tag,
      releaseBaseUrl: server.releaseBaseUrl,
      retry: { attempts: 2, baseDelayMs: 5 },
    };
  });
  afterEach(async () => {
    await server.close();
    rmSync(workspaceRoot, { recursive: true, force: true });
  });

  it('downloads, verifies and runs the host target asset from the worker folder, with the engine URL filled in', async () => {
    const target = hostReleaseTarget();
    const { sha256 } = server.publish({ tag, bin: 'skills', target, archive: await makeTarGz({ skills: { content: reportingScript(report), mode: 0o755 } }) });

    const plan = await resolveLaunchPlan(input);

    expect(plan.mode).toBe('release-binary');
    expect(plan.download).toMatchObject({ sha256, target, fromCache: false });
    expect(plan.command).toBe(plan.download?.binaryPath);
    // Default cache: inside the workspace's .nx/cache.
    expect(plan.command.startsWith(join(workspaceRoot, '.nx', 'cache', 'worker-publish'))).toBe(true);
    expect(plan.reason).toBe(`release asset skills-${target} of ${tag} (sha256 ${sha256.slice(0, 12)}…)`);
    expect(plan.skipped).toEqual([]);

    const rendered = renderLaunchCommand(plan, 'ws://127.0.0.1:49999');
    const run = spawnSync(rendered.command, rendered.args, { cwd: rendered.cwd, env: { ...process.env, ...rendered.env } });
    expect(run.status).toBe(0);
    expect(readFileSync(report, 'utf8')).toBe(
      `cwd=${join(workspaceRoot, 'skills')}\nargs=--url ws://127.0.0.1:49999\nIII_URL=ws://127.0.0.1:49999\nIII_ENGINE_URL=ws://127.0.0.1:49999\n`,
    );

    const again = await resolveLaunchPlan(input);
    expect(again.download?.fromCache).toBe(true);
    expect(again.reason).toContain(', from cache)');
  });

  it('uses the given hostTarget and cacheDir', async () => {
    const cacheDir = join(workspaceRoot, 'my-cache');
    server.publish({ tag, bin: 'skills', target: 'aarch64-unknown-linux-gnu', archive: await makeTarGz({ skills: 'x' }) });
    const plan = await resolveLaunchPlan({ ...input, hostTarget: 'aarch64-unknown-linux-gnu', cacheDir });
    expect(plan.command.startsWith(cacheDir)).toBe(true);
    expect(server.requests.some((r) => r.asset === `${tag}/skills-aarch64-unknown-linux-gnu.tar.gz`)).toBe(true);
  });

  it('fails (never falls back to cargo run) when the release asset is refused', async () => {
    const target = hostReleaseTarget();
    server.publish({ tag, bin: 'skills', target, archive: await makeTarGz({ skills: { content: reportingScript(report), mode: 0o755 } }), checksum: sha256Hex('other') });

    const error = await resolveLaunchPlan(input).then(
      () => undefined,
      (caught: unknown) => caught,
    );

    expect(error).toBeInstanceOf(ReleaseAssetError);
    expect((error as ReleaseAssetError).kind).toBe('checksum-mismatch');
    expect(existsSync(report)).toBe(false);
  });

  it('runs the release, not a stale build output left in target/ (it is never looked at)', async () => {
    const target = hostReleaseTarget();
    const { sha256 } = server.publish({ tag, bin: 'skills', target, archive: await makeTarGz({ skills: { content: reportingScript(report), mode: 0o755 } }) });
    mkdirSync(join(workspaceRoot, 'skills', 'target', 'release'), { recursive: true });
    writeFileSync(join(workspaceRoot, 'skills', 'target', 'release', 'skills'), '#!/bin/sh\necho stale build\n');
    const plan = await resolveLaunchPlan(input);
    expect(plan.mode).toBe('release-binary');
    expect(plan.download?.sha256).toBe(sha256);
    expect(plan.command).not.toBe(join(workspaceRoot, 'skills', 'target', 'release', 'skills'));
    expect(plan.warnings).toEqual([]);
  });

  it('runs a build output only when launch forces it, warning that the interface is not the release\'s (no request made)', async () => {
    mkdirSync(join(workspaceRoot, 'skills', 'target', 'release'), { recursive: true });
    writeFileSync(join(workspaceRoot, 'skills', 'target', 'release', 'skills'), '');
    const plan = await resolveLaunchPlan({ ...input, launch: 'build-output' });
    expect(plan.mode).toBe('build-output');
    expect(plan.warnings).toEqual([
      `the published interface comes from the local build skills/target/release/skills, not from the release ${tag} (launch is forced to build-output)`,
    ]);
    expect(server.requests).toHaveLength(0);
  });
});
