import type { WorkerManifest } from '../manifest/worker-manifest';
import type { CargoCompile } from './cargo-build';
import type { DownloadedAsset } from '../release-assets/download-release-binary';
import type { ArchiveLimits } from '../release-assets/archive-entry-rules';
import type { DownloadTimeouts } from '../release-assets/http-get';
import type { DownloadedBundle } from '../release-assets/release-bundle';
import type { DownloadRetryOptions } from '../release-assets/retry';

export const LAUNCH_MODES = ['build-output', 'release-binary', 'release-bundle', 'start-script', 'cargo-run', 'iii-worker-add'] as const;
export type LaunchMode = (typeof LAUNCH_MODES)[number];

/** Stands for the engine's WebSocket URL in args and env until the engine is up (`renderLaunchCommand`). */
export const ENGINE_URL_PLACEHOLDER = '{engineUrl}';

/** Binaries take clap's `--url` by default; a project overrides `args` when its CLI differs (mcp: `--engine-url`). */
export const DEFAULT_BINARY_ARGS: readonly string[] = ['--url', ENGINE_URL_PLACEHOLDER];

export interface LaunchPlan {
  mode: LaunchMode;
  command: string;
  /** May hold `{engineUrl}`. For shell plans they are appended, quoted, to `command` when rendered. */
  args: string[];
  /** Run `command` through a shell (a `scripts.start` line). */
  shell: boolean;
  /** Absolute worker folder (the extracted bundle for release-bundle): the worker resolves `./config.yaml` from there. */
  cwd: string;
  /** Extra environment (on top of the parent's); values may hold `{engineUrl}`. */
  env: Record<string, string>;
  /** One line saying why this mode, e.g. "build output found at skills/target/release/skills". */
  reason: string;
  warnings: string[];
  /** The modes tried before this one, and why each did not apply (for verbose logs). */
  skipped: Array<{ mode: LaunchMode; reason: string }>;
  /** release-binary and release-bundle: the verified asset and its download/verify/extract timings. */
  download?: DownloadedAsset | DownloadedBundle;
  /** cargo-run: compile first (a step of its own); `command` becomes the executable cargo reports. */
  compile?: CargoCompile;
}

export interface LaunchPlanInput {
  workspaceRoot: string;
  /** The worker folder, relative to workspaceRoot (or absolute). */
  projectRoot: string;
  manifest: WorkerManifest;
  launch?: 'auto' | LaunchMode;
  /** Where a build output is looked for; default `{projectRoot}/target/release/{bin}`. Relative to workspaceRoot. */
  binaryPath?: string;
  /** The registry worker name; names a bundle's assets (`{worker}.tar.gz`). Default: the folder name. */
  worker?: string;
  /** The release tag (e.g. `skills/v0.1.4`); enables release-binary (`deploy: binary`) and release-bundle (`deploy: bundle`). */
  tag?: string;
  /** e.g. `https://github.com/iii-hq/workers/releases/download` */
  releaseBaseUrl?: string;
  /** Default: derived from the host (`hostReleaseTarget()`), falling back to x86_64-unknown-linux-gnu. */
  hostTarget?: string;
  /** Replaces the default args (`--url {engineUrl}` for binaries, none for start scripts). */
  args?: string[];
  env?: Record<string, string>;
  cacheDir?: string;
  githubToken?: string;
  retry?: DownloadRetryOptions;
  /** Idle timeout and total deadline per release asset. */
  downloadTimeouts?: DownloadTimeouts;
  /** Bounds on what a release archive may extract. */
  archiveLimits?: ArchiveLimits;
  /** cargo-run's compile: profile (default `dev`), `--locked` (default off), a time bound (default none). */
  compile?: { profile?: string; locked?: boolean; timeoutMs?: number };
  /** Parent variables a bundle's install script must not inherit (the worker itself gets the same list). */
  withheldEnv?: string[];
  /** Where a bundle's install log goes; default: next to the extracted bundle. */
  logDir?: string;
  log?: (line: string) => void;
}
