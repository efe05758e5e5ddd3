import { DEFAULT_API_KEY_ENV } from '../registry/resolve-api-key';

/**
 * Variables no worker and no external engine ever inherits, whatever the options say: the registry key's default
 * name and the tokens a CI runner or Nx hands this process. A worker may log its environment; these would leak.
 */
export const ALWAYS_WITHHELD_ENV: readonly string[] = [
  DEFAULT_API_KEY_ENV,
  'GITHUB_TOKEN',
  'GH_TOKEN',
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
  'NX_CLOUD_ACCESS_TOKEN',
  'NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN',
];

export interface WithheldEnvSources {
  /** The `apiKeyEnv` of every publish target of the workspace (any of them may hold a registry key). */
  apiKeyEnvs?: Iterable<string | undefined>;
  /** The user's `withholdEnv` option. */
  withholdEnv?: Iterable<string>;
}

/** The one place that decides which parent variables a worker and an external engine must not see. Sorted, unique. */
export function withheldEnvNames(sources: WithheldEnvSources = {}): string[] {
  const names = new Set<string>(ALWAYS_WITHHELD_ENV);
  for (const name of sources.apiKeyEnvs ?? []) if (name?.trim()) names.add(name.trim());
  for (const name of sources.withholdEnv ?? []) if (name.trim()) names.add(name.trim());
  return [...names].sort();
}

/** `process.env` without the withheld names (always including ALWAYS_WITHHELD_ENV). */
export function inheritedEnv(withheld: Iterable<string> = [], env: NodeJS.ProcessEnv = process.env): Record<string, string | undefined> {
  const result = { ...env };
  for (const name of ALWAYS_WITHHELD_ENV) delete result[name];
  for (const name of withheld) delete result[name];
  return result;
}
