export interface PublishInterfaceExecutorSchema {
  worker?: string;
  deploy?: 'binary' | 'image' | 'bundle';
  bin?: string;
  outputFile?: string;
  payloadFile?: string;
  version?: string;
  tag?: string;
  registryTag?: string;
  repoUrl?: string;
  releaseBaseUrl?: string;
  imageTag?: string;
  targets?: string[];
  allowMissingTargets?: boolean;
  apiUrl?: string;
  apiKeyEnv?: string;
  dryRun?: boolean;
}
