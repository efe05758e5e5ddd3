export interface PublishInterfaceExecutorSchema {
  worker?: string;
  deploy?: 'binary' | 'image' | 'bundle';
  bin?: string;
  outputFile?: string;
  payloadFile?: string;
  version?: string;
  tag?: string;
  registryTag?: 'latest' | 'next' | 'none';
  repoUrl?: string;
  releaseBaseUrl?: string;
  imageTag?: string;
  requireImageDigest?: boolean;
  targets?: string[];
  allowMissingTargets?: boolean;
  requireTypedSchemas?: boolean;
  allowBreakingChanges?: boolean;
  publishTimeoutSeconds?: number;
  apiUrl?: string;
  apiKeyEnv?: string;
  dryRun?: boolean;
  skillsDir?: string;
  skipSkills?: boolean;
}
