import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { downloadReleaseBinary } from '../release-assets/download-release-binary';
import { downloadReleaseBundle } from '../release-assets/release-bundle';
import { hostReleaseTarget } from '../release-assets/release-targets';
import { LaunchPlanError } from './launch-plan-error';
import { DEFAULT_BINARY_ARGS, ENGINE_URL_PLACEHOLDER, LAUNCH_MODES, type LaunchMode, type LaunchPlan, type LaunchPlanInput } from './launch-plan';
import { installBundleOnce, readBundleScripts } from './bundle-launch';
import { inferStartCommand } from './start-command';

/** `cwd` is the worker folder unless the mode runs elsewhere (an extracted bundle). */
type Candidate = Omit<LaunchPlan, 'skipped' | 'cwd' | 'env'> & { cwd?: string };
type Attempt = { applies: true; plan: () => Candidate | Promise<Candidate> } | { applies: false; reason: string; fix?: string };

/**
 * The order `auto` tries; iii-worker-add is never picked automatically (it needs KVM). The release modes come first:
 * with a release tag the artifact users install is the truth, and a build output left in target/ (a CI cache, an
 * earlier local build) may be older or newer than the release. They do not apply without a tag.
 */
const AUTO_ORDER: LaunchMode[] = ['release-binary', 'release-bundle', 'build-output', 'start-script', 'cargo-run'];

/** A lighter config for collection (storage's default spawns a sidecar); passed to binaries run from the worker folder. */
export const COLLECT_CONFIG_FILE = 'config.collect.yaml';

/**
 * Decides how to start the worker (DESIGN §4): with a release tag its released binary or bundle, else a build output,
 * its start script, or `cargo run`, in that order; `launch` forces one. Only the release modes do I/O beyond a stat.
 */
export async function resolveLaunchPlan(input: LaunchPlanInput): Promise<LaunchPlan> {
  const launch = input.launch ?? 'auto';
  if (launch !== 'auto' && !(LAUNCH_MODES as readonly string[]).includes(launch)) {
    throw new LaunchPlanError(`Unknown launch mode "${launch}". Use auto or one of: ${LAUNCH_MODES.join(', ')}.`);
  }
  const cwd = resolve(input.workspaceRoot, input.projectRoot);
  const env = {
    ...input.manifest.env,
    ...input.env,
    // Always ours: the worker must reach the engine this task started, whatever its defaults say.
    III_URL: ENGINE_URL_PLACEHOLDER,
    III_ENGINE_URL: ENGINE_URL_PLACEHOLDER,
  };
  const finish = (candidate: Candidate, skipped: LaunchPlan['skipped']): LaunchPlan => ({ ...candidate, cwd: candidate.cwd ?? cwd, env, skipped });

  if (launch !== 'auto') {
    const attempt = tryMode(launch, input, cwd);
    if (!attempt.applies) {
      throw new LaunchPlanError(
        `${workerLabel(input)}: launch is forced to ${launch}, but ${attempt.reason}. To fix: ${attempt.fix ? `${attempt.fix}, or ` : ''}set launch to auto.`,
      );
    }
    return finish(await attempt.plan(), []);
  }

  const skipped: LaunchPlan['skipped'] = [];
  const fixes: string[] = [];
  for (const mode of AUTO_ORDER) {
    const attempt = tryMode(mode, input, cwd);
    if (attempt.applies) return finish(await attempt.plan(), skipped);
    skipped.push({ mode, reason: attempt.reason });
    if (attempt.fix) fixes.push(attempt.fix);
  }
  const tried = skipped.map(({ mode, reason }) => `${mode} (${reason})`).join('; ');
  throw new LaunchPlanError(
    `${workerLabel(input)}: no way to start the worker was found. Tried ${tried}. To fix, do one of: ${fixes.join('; ')}. ` +
      '(launch: iii-worker-add is also possible where KVM is available.)',
  );
}

function tryMode(mode: LaunchMode, input: LaunchPlanInput, cwd: string): Attempt {
  switch (mode) {
    case 'build-output':
      return tryBuildOutput(input, cwd);
    case 'release-binary':
      return tryReleaseBinary(input, cwd);
    case 'release-bundle':
      return tryReleaseBundle(input);
    case 'start-script':
      return tryStartScript(input);
    case 'cargo-run':
      return tryCargoRun(input, cwd);
    case 'iii-worker-add':
      return tryIiiWorkerAdd(input, cwd);
  }
}

function tryBuildOutput(input: LaunchPlanInput, cwd: string): Attempt {
  const { manifest } = input;
  const path = input.binaryPath
    ? resolve(input.workspaceRoot, expandPathTokens(input.binaryPath, input))
    : join(cwd, 'target', 'release', manifest.bin);
  const shown = displayPath(input.workspaceRoot, path);
  const found = [path, `${path}.exe`].find((candidate) => isFile(candidate));
  if (!found) {
    return {
      applies: false,
      reason: `no file at ${shown}`,
      fix: input.binaryPath
        ? `build the worker so ${shown} exists`
        : isRustWorker(input)
          ? 'build the worker (cargo build --release, e.g. as a dependsOn build target) or set binaryPath to its binary'
          : 'set binaryPath to a built binary of the worker',
    };
  }
  // Only a forced build-output runs with a tag (auto runs the release): what is published is then not the release's.
  const notTheRelease = input.tag
    ? [`the published interface comes from the local build ${displayPath(input.workspaceRoot, found)}, not from the release ${input.tag} (launch is forced to build-output)`]
    : [];
  return {
    applies: true,
    plan: () => ({
      mode: 'build-output',
      command: found,
      args: [...binaryArgs(input), ...collectConfigArgs(cwd)],
      shell: false,
      reason: `build output found at ${displayPath(input.workspaceRoot, found)}`,
      warnings: notTheRelease,
    }),
  };
}

function tryReleaseBinary(input: LaunchPlanInput, cwd: string): Attempt {
  const { manifest } = input;
  if (manifest.deploy !== 'binary') {
    return { applies: false, reason: `deploy is ${manifest.deploy}, not binary` };
  }
  if (!input.tag) return { applies: false, reason: 'no release tag given', fix: `pass tag (e.g. --tag=${manifest.folderName}/v<version>) to run its released binary` };
  if (!input.releaseBaseUrl) {
    return { applies: false, reason: 'no releaseBaseUrl given', fix: 'set repoUrl or releaseBaseUrl so the release assets can be found' };
  }
  const { tag, releaseBaseUrl } = input;
  const target = input.hostTarget ?? hostReleaseTarget();
  return {
    applies: true,
    plan: async () => {
      const download = await downloadReleaseBinary({
        releaseBaseUrl,
        tag,
        bin: manifest.bin,
        target,
        cacheDir: input.cacheDir,
        workspaceRoot: input.workspaceRoot,
        githubToken: input.githubToken,
        retry: input.retry,
        timeouts: input.downloadTimeouts,
        archiveLimits: input.archiveLimits,
        log: input.log,
      });
      const cached = download.fromCache ? ', from cache' : '';
      return {
        mode: 'release-binary',
        command: download.binaryPath,
        args: [...binaryArgs(input), ...collectConfigArgs(cwd)],
        shell: false,
        reason: `release asset ${manifest.bin}-${target} of ${tag} (sha256 ${download.sha256.slice(0, 12)}…${cached})`,
        warnings: [],
        download,
      };
    },
  };
}

function tryReleaseBundle(input: LaunchPlanInput): Attempt {
  const { manifest } = input;
  if (manifest.deploy !== 'bundle') return { applies: false, reason: `deploy is ${manifest.deploy}, not bundle` };
  const worker = input.worker ?? manifest.folderName;
  if (!input.tag) return { applies: false, reason: 'no release tag given', fix: `pass tag (e.g. --tag=${worker}/v<version>) to run its released bundle` };
  if (!input.releaseBaseUrl) {
    return { applies: false, reason: 'no releaseBaseUrl given', fix: 'set repoUrl or releaseBaseUrl so the release assets can be found' };
  }
  const { tag, releaseBaseUrl } = input;
  return {
    applies: true,
    plan: async () => {
      // Verified against {worker}.sha256 before anything is extracted; extracted with the binary rules.
      const download = await downloadReleaseBundle({
        releaseBaseUrl,
        tag,
        worker,
        cacheDir: input.cacheDir,
        workspaceRoot: input.workspaceRoot,
        githubToken: input.githubToken,
        retry: input.retry,
        timeouts: input.downloadTimeouts,
        archiveLimits: input.archiveLimits,
        log: input.log,
      });
      const scripts = readBundleScripts(download.bundleDir, download.url);
      const warnings: string[] = [];
      let install = '';
      if (scripts.install) {
        const installed = await installBundleOnce({
          bundleDir: download.bundleDir,
          install: scripts.install,
          logFile: join(input.logDir ?? download.bundleDir, `${worker}-install.log`),
          env: input.manifest.env,
          withheldEnv: input.withheldEnv ?? [],
          log: input.log,
        });
        install = installed === 'installed' ? ', scripts.install ran' : ', scripts.install already ran for this bundle';
      }
      const cached = download.fromCache ? ', from cache' : '';
      return {
        mode: 'release-bundle',
        command: scripts.start,
        args: [...(input.args ?? [])],
        shell: true,
        cwd: download.bundleDir,
        reason: `release bundle ${worker}.tar.gz of ${tag} (sha256 ${download.sha256.slice(0, 12)}…${cached}), scripts.start \`${scripts.start}\`${install}`,
        warnings,
        download,
      };
    },
  };
}

function tryStartScript(input: LaunchPlanInput): Attempt {
  const start = inferStartCommand(input.manifest);
  if (!start.found) {
    return { applies: false, reason: start.reason, fix: 'add scripts.start (or runtime.language and runtime.entry) to iii.worker.yaml' };
  }
  return {
    applies: true,
    plan: () => ({
      mode: 'start-script',
      command: start.command,
      args: [...start.args, ...(input.args ?? [])],
      shell: start.shell,
      reason: `start command from ${start.description}`,
      warnings: [],
    }),
  };
}

function tryCargoRun(input: LaunchPlanInput, cwd: string): Attempt {
  const { manifest } = input;
  if (!isRustWorker(input)) return { applies: false, reason: `language is ${manifest.language ?? 'not set'}, not rust` };
  if (!existsSync(join(cwd, 'Cargo.toml'))) {
    return { applies: false, reason: `no Cargo.toml in ${displayPath(input.workspaceRoot, cwd)}`, fix: 'add the worker\'s Cargo.toml' };
  }
  const compile = { cwd, bin: manifest.bin, profile: input.compile?.profile ?? 'dev', locked: input.compile?.locked ?? false, timeoutMs: input.compile?.timeoutMs };
  return {
    applies: true,
    // Compiled first as a step of its own (collect), then run exactly as a build output is run.
    plan: () => ({
      mode: 'cargo-run',
      command: manifest.bin,
      args: [...binaryArgs(input), ...collectConfigArgs(cwd)],
      shell: false,
      reason: `cargo build --bin ${manifest.bin} (${compile.profile} profile), then its binary (no build output${input.tag ? '' : ' and no release tag'})`,
      warnings: [],
      compile,
    }),
  };
}

function tryIiiWorkerAdd(input: LaunchPlanInput, cwd: string): Attempt {
  return {
    applies: true,
    plan: () => ({
      mode: 'iii-worker-add',
      command: 'iii',
      args: ['worker', 'add', cwd, ...(input.args ?? [])],
      shell: false,
      reason: 'launch forced to iii-worker-add',
      warnings: [
        'iii worker add runs the worker in a KVM micro-VM (libkrun): it needs /dev/kvm, and it has no --wait flag, so registration is awaited on the engine.',
      ],
    }),
  };
}

const isRustWorker = ({ manifest }: LaunchPlanInput) => manifest.language?.toLowerCase() === 'rust' || manifest.manifest === 'Cargo.toml';

const binaryArgs = (input: LaunchPlanInput) => [...(input.args ?? DEFAULT_BINARY_ARGS)];

/** `--config ./config.collect.yaml` when the worker folder has one (spec publish-pipeline-later §1.1). */
const collectConfigArgs = (cwd: string) => (isFile(join(cwd, COLLECT_CONFIG_FILE)) ? ['--config', `./${COLLECT_CONFIG_FILE}`] : []);

/** Nx-style tokens, in case the option did not pass through Nx's own interpolation. */
function expandPathTokens(path: string, input: LaunchPlanInput): string {
  return path
    .split('{workspaceRoot}')
    .join(input.workspaceRoot)
    .split('{projectRoot}')
    .join(input.projectRoot);
}

function displayPath(workspaceRoot: string, path: string): string {
  const rel = relative(workspaceRoot, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

const isFile = (path: string) => statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;

const workerLabel = (input: LaunchPlanInput) => `Worker ${input.manifest.folderName} (${displayPath(input.workspaceRoot, input.manifest.file)})`;
