export interface FinalizeReleaseExecutorSchema {
  tag?: string;
  candidate?: string;
  worker?: string;
  registryTag?: string;
  apiUrl?: string;
  apiKeyEnv?: string;
  publishTimeoutSeconds?: number;
  dryRun?: boolean;
}
