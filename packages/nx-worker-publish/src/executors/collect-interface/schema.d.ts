export type LaunchOption = 'auto' | 'build-output' | 'release-binary' | 'release-bundle' | 'start-script' | 'cargo-run' | 'iii-worker-add';

export interface CollectInterfaceExecutorSchema {
  worker?: string;
  deploy?: 'binary' | 'image' | 'bundle';
  bin?: string;
  launch?: LaunchOption;
  binaryPath?: string;
  tag?: string;
  repoUrl?: string;
  releaseBaseUrl?: string;
  hostTarget?: string;
  args?: string[];
  env?: Record<string, string>;
  engine?: 'embedded' | 'external' | 'url';
  engineCommand?: string;
  engineUrl?: string;
  engineGeneration?: 'current' | 'legacy';
  waitSeconds?: number;
  outputFile?: string;
  cacheDir?: string;
  logDir?: string;
}
