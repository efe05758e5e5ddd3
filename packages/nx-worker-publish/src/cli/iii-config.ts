import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { CliError } from './cli-error';

/** Where the real `iii` binary's worker manager listens (spec iii-protocol §1, §6). */
export const III_DEFAULT_PORT = 49134;
export const III_DEFAULT_HOST = '0.0.0.0';

const WORKER_MANAGER = 'iii-worker-manager';
/** Always present in a real engine; the embedded engine provides them itself. */
const MANDATORY_WORKERS = new Set([WORKER_MANAGER, 'iii-engine-functions', 'iii-observability', 'iii-telemetry']);

export interface IiiEngineConfig {
  host: string;
  port: number;
  /** Configured workers the embedded engine does not run (e.g. iii-http), for a warning. */
  ignoredWorkers: string[];
}

/** The iii `config.yaml` given with --config is missing or wrong; exit code 2 like the real binary's config errors. */
export class IiiConfigError extends CliError {
  constructor(file: string, problem: string) {
    super(`The iii config file "${file}" ${problem}`, 2);
    this.name = 'IiiConfigError';
  }
}

const isMapping = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `${VAR}` / `${VAR:default}` placeholders, expanded over the raw text before parsing, as the engine does. */
export function expandEnvPlaceholders(text: string, env: NodeJS.ProcessEnv, file: string): string {
  return text.replace(/\$\{([^}:]+)(?::([^}]*))?\}/g, (_, name: string, fallback: string | undefined) => {
    const value = env[name] ?? fallback;
    if (value === undefined) throw new IiiConfigError(file, `uses \${${name}}, but the environment variable ${name} is not set and the placeholder has no default. Set it, or write \${${name}:<default>}.`);
    return value;
  });
}

/**
 * Reads the listener address from an iii config file: `port`/`host` of the `config` of the
 * `iii-worker-manager` entry of `workers:` (defaults 49134 / 0.0.0.0), so `worker-publish engine` can
 * stand in for `iii --config <file>`.
 */
export async function readIiiEngineConfig(file: string, env: NodeJS.ProcessEnv = process.env): Promise<IiiEngineConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new IiiConfigError(file, 'does not exist. Create it (the smallest valid one is "workers: []") or pass the right path with --config.');
    throw new IiiConfigError(file, `cannot be read (${code ?? (error as Error).message}). Check its permissions or pass another file with --config.`);
  }

  let document: unknown;
  try {
    document = parse(expandEnvPlaceholders(text, env, file));
  } catch (error) {
    if (error instanceof IiiConfigError) throw error;
    const reason = (error as Error).message.split('\n')[0].replace(/:$/, '');
    throw new IiiConfigError(file, `is not valid YAML: ${reason}. Fix the syntax (a minimal config is "workers: []").`);
  }
  if (document === null || document === undefined) return { host: III_DEFAULT_HOST, port: III_DEFAULT_PORT, ignoredWorkers: [] };
  if (!isMapping(document)) throw new IiiConfigError(file, 'must be a YAML mapping with a "workers" list (for example "workers: []").');

  const workers = document.workers ?? [];
  if (!Array.isArray(workers)) throw new IiiConfigError(file, 'has a "workers" key that is not a list. Write it as a list of entries such as "- name: iii-worker-manager".');

  let host = III_DEFAULT_HOST;
  let port = III_DEFAULT_PORT;
  const ignoredWorkers: string[] = [];
  workers.forEach((entry, index) => {
    const name = isMapping(entry) ? entry.name : undefined;
    if (typeof name !== 'string') throw new IiiConfigError(file, `has an entry workers[${index}] without a "name". Every worker entry needs one.`);
    if (name !== WORKER_MANAGER) {
      if (!MANDATORY_WORKERS.has(name)) ignoredWorkers.push(name);
      return;
    }
    const config = (entry as Record<string, unknown>).config ?? {};
    const key = `workers[${index}].config`;
    if (!isMapping(config)) throw new IiiConfigError(file, `has a "${key}" that is not a mapping. Write it as "config: {port: 49134, host: 127.0.0.1}".`);
    if (config.port !== undefined) {
      if (typeof config.port !== 'number' || !Number.isInteger(config.port) || config.port < 0 || config.port > 65535) {
        throw new IiiConfigError(file, `has "${key}.port" = ${JSON.stringify(config.port)}, which is not a port. Use an integer from 0 to 65535.`);
      }
      port = config.port;
    }
    if (config.host !== undefined) {
      if (typeof config.host !== 'string' || config.host.trim() === '') {
        throw new IiiConfigError(file, `has "${key}.host" = ${JSON.stringify(config.host)}, which is not a host. Use an address such as 127.0.0.1 or 0.0.0.0.`);
      }
      host = config.host;
    }
  });
  return { host, port, ignoredWorkers };
}
