export type LaunchOption = 'auto' | 'build-output' | 'release-binary' | 'release-bundle' | 'start-script' | 'cargo-run' | 'iii-worker-add';

export interface CollectInterfaceExecutorSchema {
  worker?: string;
  /** Set by the inferred target to the plugin's version, so that Nx re-collects after a plugin upgrade; not read. */
  pluginVersion?: string;
  deploy?: 'binary' | 'image' | 'bundle';
  bin?: string;
  launch?: LaunchOption;
  binaryPath?: string;
  cargoProfile?: string;
  cargoLocked?: boolean;
  compileSeconds?: number;
  tag?: string;
  repoUrl?: string;
  releaseBaseUrl?: string;
  hostTarget?: string;
  args?: string[];
  env?: Record<string, string>;
  engine?: 'embedded' | 'external' | 'url';
  engineCommand?: string;
  engineUrl?: string;
  /** 0.23 (default), 0.13 or 0.11; `current` (= 0.13) and `legacy` (= 0.11) are accepted aliases. */
  engineGeneration?: 'auto' | '0.26' | '0.25' | '0.23' | '0.13' | '0.11' | 'current' | 'legacy';
  waitSeconds?: number;
  settleSeconds?: number;
  outputFile?: string;
  cacheDir?: string;
  logDir?: string;
  withholdEnv?: string[];
  downloadTimeoutSeconds?: number;
  downloadIdleTimeoutSeconds?: number;
  maxArchiveBytes?: number;
  maxArchiveEntries?: number;
  maxArchivePathDepth?: number;
  logMaxMiB?: number;
}
