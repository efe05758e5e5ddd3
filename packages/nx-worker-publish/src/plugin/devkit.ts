import type * as NxDevkit from '@nx/devkit';

/** The part of the Nx devkit the generators call at run time (createNodes does without it: see create-nodes-from-files). */
export type DevkitApi = Pick<typeof NxDevkit, 'readNxJson' | 'updateNxJson' | 'getPackageManagerCommand'> & {
  /** Absent when only `nx` is installed: formatting is then skipped, as it is without prettier. */
  formatFiles?: typeof NxDevkit.formatFiles;
};

let loaded: DevkitApi | undefined;

const isMissing = (error: unknown, request: string) =>
  (error as NodeJS.ErrnoException)?.code === 'MODULE_NOT_FOUND' && String((error as Error).message).includes(`'${request}'`);

/**
 * `@nx/devkit` is an optional peer: npm must not pick a devkit version for the workspace (devkit 24 rejects nx 22,
 * devkit 22 rejects nx 24). So it is resolved at run time from the workspace, and when the workspace has none, the
 * same functions come from the workspace's own `nx`, which is what `@nx/devkit` re-exports them from.
 */
export function devkit(): DevkitApi {
  if (loaded) return loaded;
  try {
    loaded = require('@nx/devkit') as DevkitApi;
  } catch (error) {
    if (!isMissing(error, '@nx/devkit')) throw error;
    loaded = require('nx/src/devkit-exports') as DevkitApi;
  }
  return loaded;
}
