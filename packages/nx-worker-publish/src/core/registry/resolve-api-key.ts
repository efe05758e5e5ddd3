import { RegistryError } from './registry-error';

export const DEFAULT_API_KEY_ENV = 'WORKERS_REGISTRY_API_KEY';

/**
 * Reads the registry API key from the environment variable the `apiKeyEnv` option names. The key is never an
 * option, so it cannot end up in project.json, the Nx cache or a terminal history.
 */
export function resolveApiKey(env: NodeJS.ProcessEnv, apiKeyEnv: string = DEFAULT_API_KEY_ENV): string {
  const key = env[apiKeyEnv]?.trim();
  if (key) return key;
  throw new RegistryError(
    `Set ${apiKeyEnv} to the workers registry API key before publishing: the variable is unset or empty, so ` +
      'nothing was sent. The variable name comes from the `apiKeyEnv` option ' +
      `(default ${DEFAULT_API_KEY_ENV}); in GitHub Actions pass it as \`env: ${apiKeyEnv}: \${{ secrets.${apiKeyEnv} }}\`. ` +
      'To build and check the payload without publishing, do a dry run: the `dry-run` configuration (`nx run <project>:publish-interface:dry-run`), ' +
      'NX_DRY_RUN=true, or `worker-publish publish --dry-run` (a --dryRun flag on the Nx target also changes collection\'s cache key).',
  );
}
