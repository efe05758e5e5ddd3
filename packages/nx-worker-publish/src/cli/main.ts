#!/usr/bin/env node
import { CliError, CliUsageError } from './cli-error';
import { runEngineCommand, type CommandIo } from './engine-command';
import { runWorkerCommand } from './worker-command';
import { pluginVersion } from '../plugin/plugin-package';

/** Subcommands of the `worker-publish` bin; each parses its own flags and resolves with an exit code. */
const COMMANDS: Record<string, { summary: string; run: (argv: string[], io: CommandIo) => Promise<number> }> = {
  collect: { summary: "start an engine and the worker, write the worker's interface", run: (argv, io) => runWorkerCommand('collect', argv, io) },
  publish: { summary: 'build the registry payload from the interface and POST it', run: (argv, io) => runWorkerCommand('publish', argv, io) },
  finalize: { summary: 'mint the stable version from the release candidate on next (rc-first)', run: (argv, io) => runWorkerCommand('finalize', argv, io) },
  engine: { summary: 'run the embedded iii engine (a stand-in for `iii --config <file>`)', run: runEngineCommand },
};

const USAGE = `Usage: worker-publish <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, { summary }]) => `  ${name.padEnd(10)} ${summary}`)
  .join('\n')}

Run "worker-publish <command> --help" for a command's options; "worker-publish --version" prints the version.`;

export async function main(argv: string[], io: CommandIo = process): Promise<number> {
  const [first, ...rest] = argv;
  if (first === '--help' || first === '-h') {
    io.stdout.write(USAGE + '\n');
    return 0;
  }
  if (first === '--version' || first === '-v') {
    io.stdout.write(`${pluginVersion()}\n`);
    return 0;
  }
  try {
    if (first === undefined) throw new CliUsageError('Missing command.', USAGE);
    // `worker-publish --config x.yaml` behaves like the iii binary it stands in for.
    if (first === '-c' || first.startsWith('--config')) return await COMMANDS.engine.run(argv, io);
    const command = COMMANDS[first];
    if (!command) throw new CliUsageError(`Unknown command "${first}".`, USAGE);
    return await command.run(rest, io);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    io.stderr.write(`worker-publish: ${error.message}\n`);
    return error.exitCode;
  }
}

/** Runs the CLI on this process's arguments and sets its exit code (the entry of the `worker-publish` bin). */
export function runCli(): void {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`worker-publish: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}

if (require.main === module) runCli();
