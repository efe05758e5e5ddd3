import { existsSync, mkdirSync, openSync, closeSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadExeca } from '../load-execa';
import { readYamlFile } from '../manifest/parse-yaml-file';
import { readLogTail } from '../worker-process/log-tail';
import { LaunchPlanError } from './launch-plan-error';

export interface BundleScripts {
  install?: string;
  start: string;
}

const INSTALLED_MARKER = '.iii-bundle-installed';

const scriptAt = (scripts: unknown, key: string): string | undefined => {
  const value = scripts && typeof scripts === 'object' ? (scripts as Record<string, unknown>)[key] : undefined;
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
};

/**
 * `scripts.install` and `scripts.start` of the bundle's own `iii.worker.yaml`, the one inside the archive: what the
 * release ships is what runs, not the source folder's manifest (the cursor and vscode bundles differed, #1103).
 */
export function readBundleScripts(bundleDir: string, archiveUrl: string): BundleScripts {
  const file = join(bundleDir, 'iii.worker.yaml');
  const read = readYamlFile(file);
  const raw = read.exists ? read.value : undefined;
  const scripts = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>).scripts : undefined;
  const start = scriptAt(scripts, 'start');
  if (!start) {
    throw new LaunchPlanError(
      `bundle scripts.start is required: the iii.worker.yaml inside ${archiveUrl} has no non-blank scripts.start, so the bundle cannot be started. ` +
        'Add e.g. `scripts: {start: node ./index.mjs}` to the manifest the release packs.',
    );
  }
  return { install: scriptAt(scripts, 'install'), start };
}

/**
 * Runs the bundle's `scripts.install` once per extracted bundle (a marker records success), through `sh -c` in the
 * bundle folder, without the withheld secrets. Its failure fails the task with the tail of its log.
 */
export async function installBundleOnce(options: {
  bundleDir: string;
  install: string;
  logFile: string;
  env: Record<string, string>;
  withheldEnv: string[];
  log?: (line: string) => void;
}): Promise<'installed' | 'already-installed'> {
  const marker = join(options.bundleDir, INSTALLED_MARKER);
  if (existsSync(marker)) return 'already-installed';
  mkdirSync(join(options.logFile, '..'), { recursive: true });
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined && !options.withheldEnv.includes(name)) env[name] = value;
  Object.assign(env, options.env);
  options.log?.(`running the bundle's scripts.install \`${options.install}\` (log: ${options.logFile})`);
  const { execa } = await loadExeca();
  const fd = openSync(options.logFile, 'w');
  try {
    const result = await execa('sh', ['-c', options.install], {
      cwd: options.bundleDir,
      env,
      extendEnv: false,
      stdin: 'ignore',
      // A raw fd is handed to spawn as is; execa's types only list 3-9, the runtime takes any fd.
      stdout: fd as 3,
      stderr: fd as 3,
      reject: false,
    });
    if (result.exitCode !== 0 || result.signal) {
      const tail = readLogTail(options.logFile, 40);
      throw new LaunchPlanError(
        `the bundle's scripts.install \`${options.install}\` failed (${result.signal ? `signal ${result.signal}` : `exit code ${result.exitCode}`}) in ${options.bundleDir}; ` +
          `nothing was started. Its log (${options.logFile}) ends with:\n${tail || '(empty)'}`,
      );
    }
  } finally {
    closeSync(fd);
  }
  writeFileSync(marker, '');
  return 'installed';
}
