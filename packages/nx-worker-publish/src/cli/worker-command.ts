import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { streamReporter } from '../core/reporter/step-reporter';
import collectSchema from '../executors/collect-interface/schema.json';
import { runCollect } from '../executors/collect-interface/lib/run-collect';
import { runPublish } from '../executors/publish-interface/lib/run-publish';
import publishSchema from '../executors/publish-interface/schema.json';
import { runFinalize } from '../executors/finalize-release/lib/run-finalize';
import finalizeSchema from '../executors/finalize-release/schema.json';
import type { RunTarget } from '../executors/shared/project-context';
import { apiKeyEnvsFromFiles } from '../executors/shared/workspace-key-envs';
import { CliUsageError } from './cli-error';
import type { CommandIo } from './engine-command';
import { describeOptionFlags, parseOptionFlags, type OptionsSchema } from './option-flags';

/** `collect` and `publish`: the two Nx targets as plain commands, for Turborepo, scripts or any CI. */
const WORKER_COMMANDS = {
  collect: {
    schema: collectSchema as OptionsSchema,
    run: runCollect,
    what: 'Starts an engine and the worker in <worker-folder> and writes its interface (default dist/<worker-folder>/worker-interface.json).',
  },
  publish: {
    schema: publishSchema as OptionsSchema,
    run: runPublish,
    what: 'Builds the registry payload from the interface `collect` wrote and POSTs it (--dry-run writes it only).',
  },
  finalize: {
    schema: finalizeSchema as OptionsSchema,
    run: runFinalize,
    what: 'rc-first: mints the stable version of --tag <worker>/vX.Y.Z from the release candidate on next, and moves next and latest to it.',
  },
} as const;

export type WorkerCommandName = keyof typeof WORKER_COMMANDS;

const usageOf = (name: WorkerCommandName) => `Usage: worker-publish ${name} [<worker-folder>] [--workspace-root <dir>] [--verbose] [options]

${WORKER_COMMANDS[name].what}
<worker-folder> (default: the current folder) holds iii.worker.yaml and lies inside the workspace root (default: the
current folder); relative paths in options are relative to the workspace root. Options (the executor's, in kebab-case):

${describeOptionFlags(WORKER_COMMANDS[name].schema)}`;

export async function runWorkerCommand(name: WorkerCommandName, argv: string[], io: CommandIo): Promise<number> {
  const usage = usageOf(name);
  const flags = parseOptionFlags(argv, WORKER_COMMANDS[name].schema, usage);
  if (flags.help) {
    io.stdout.write(usage + '\n');
    return 0;
  }
  if (flags.positionals.length > 1) throw new CliUsageError(`Expected one worker folder, got ${flags.positionals.join(', ')}.`, usage);
  const workspaceRoot = resolve(flags.workspaceRoot ?? '.');
  const workerDir = resolve(flags.positionals[0] ?? '.');
  const projectRoot = relative(workspaceRoot, workerDir) || '.';
  if (projectRoot.startsWith('..') || isAbsolute(projectRoot)) {
    throw new CliUsageError(`The worker folder ${workerDir} is not inside the workspace root ${workspaceRoot}; pass --workspace-root.`, usage);
  }
  // Named after its folder like the Nx target, also when run from inside it (projectRoot "."), e.g. by Turborepo.
  const workerName = basename(workerDir);
  const target: RunTarget = {
    locate: () => ({ workspaceRoot, projectRoot, projectName: workerName }),
    label: workerName,
    collectHint: `worker-publish collect ${flags.positionals[0] ?? '.'}`,
    releaseCommand: (tag) => `worker-publish collect ${flags.positionals[0] ?? '.'} --tag=${tag} && worker-publish publish ${flags.positionals[0] ?? '.'} --tag=${tag}`,
    isVerbose: flags.verbose,
    workspaceKeyEnvs: () => apiKeyEnvsFromFiles(workspaceRoot, projectRoot),
  };
  const options = { worker: workerName, ...cliLocations(name, workspaceRoot, workerName), ...flags.options };
  const succeeded = await WORKER_COMMANDS[name].run(options, target, streamReporter(io.stdout, io.stderr, flags.verbose));
  return succeeded ? 0 : 1;
}

/**
 * Logs and the download cache go under node_modules/.cache (ignored by git, so neither Turborepo nor Nx hashes
 * them), not under .nx/ inside the worker folder, where a Turborepo package task would find them among its inputs.
 */
function cliLocations(name: WorkerCommandName, workspaceRoot: string, workerName: string): { logDir?: string; cacheDir?: string } {
  if (name !== 'collect') return {};
  const cache = join(workspaceRoot, 'node_modules', '.cache', 'worker-publish');
  return { logDir: join(cache, 'logs', workerName), cacheDir: join(cache, 'downloads') };
}

