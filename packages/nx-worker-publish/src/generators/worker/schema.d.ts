export interface WorkerGeneratorSchema {
  name: string;
  directory?: string;
  deploy?: 'image' | 'binary' | 'bundle';
  language?: 'javascript' | 'rust' | 'python';
  repoUrl?: string;
  skipFormat?: boolean;
  skipInstall?: boolean;
}
