export interface InterfaceDiffExecutorSchema {
  worker?: string;
  outputFile?: string;
  reportFile?: string;
  reference?: 'auto' | 'registry' | 'base';
  registryTag?: string;
  apiUrl?: string;
  registryTimeoutSeconds?: number;
  base?: string;
  version?: string;
  allowBreakingChanges?: boolean;
  deploy?: 'binary' | 'image' | 'bundle';
  bin?: string;
}
