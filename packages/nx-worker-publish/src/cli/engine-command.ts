import { parseArgs } from 'node:util';
import {
  DEFAULT_ENGINE_GENERATION,
  EmbeddedEngineOptionError,
  EngineListenError,
  parseEngineGeneration,
  startEmbeddedEngine,
  type EngineGeneration,
} from '../core/engine/embedded-engine';
import { GENERATION_PROFILES } from '../core/engine/generation-profiles';
import { CliError, CliUsageError } from './cli-error';
import { readIiiEngineConfig } from './iii-config';
import { escapeTerminalLine } from '../core/reporter/terminal-text';

export const ENGINE_USAGE = `Usage: worker-publish engine [--port <port>] [--host <host>] [--generation 0.26|0.25|0.23|0.13|0.11]
       worker-publish engine --config <config.yaml> [--no-update-check] [--generation 0.26|0.25|0.23|0.13|0.11]

Runs the embedded iii engine until SIGINT/SIGTERM. The first line of stdout is its URL (ws://<host>:<port>);
the engine log (worker log calls, calls to services it lacks, refused registrations) goes to stderr.

  --port <port>          port to listen on (default 0: a free port)
  --host <host>          address to bind (default 127.0.0.1)
  --generation <gen>     behave like engine ≥ 0.26 (0.26: observe.v2, no trigger types), 0.25 (observe.v1),
                         0.23 … 0.24 (0.23: namespaces; default), 0.13 … 0.22 (0.13, alias current)
                         or ≤ 0.12 (0.11, alias legacy); III_NAMESPACE_GRACE_MS sets the 0.23+ grace (5000 ms)
  -c, --config <file>    read port/host from an iii config file, like \`iii --config\`
                         (workers: [{name: iii-worker-manager, config: {port, host}}]; defaults 49134 / 0.0.0.0)
  --no-update-check      accepted for compatibility with the iii binary
  -V, --version          print the engine version the generation reports, like \`iii --version\`, and exit
  -h, --help             show this help`;

export interface CommandIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

interface EngineCommandOptions {
  help: boolean;
  version: boolean;
  port?: number;
  host?: string;
  generation: EngineGeneration;
  config?: string;
}

function parseEngineArgs(argv: string[]): EngineCommandOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        generation: { type: 'string' },
        config: { type: 'string', short: 'c' },
        'no-update-check': { type: 'boolean' },
        version: { type: 'boolean', short: 'V' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new CliUsageError((error as Error).message, ENGINE_USAGE);
  }
  const generation = parseEngineGeneration(values.generation ?? DEFAULT_ENGINE_GENERATION);
  if (!generation) throw new CliUsageError(`--generation must be 0.26, 0.25, 0.23, 0.13 or 0.11 (or current / legacy), not "${values.generation}".`, ENGINE_USAGE);
  let port: number | undefined;
  if (values.port !== undefined) {
    port = /^\d+$/.test(values.port) ? Number(values.port) : NaN;
    if (!(port >= 0 && port <= 65535)) throw new CliUsageError(`--port must be an integer from 0 to 65535, not "${values.port}".`, ENGINE_USAGE);
  }
  if (values.host !== undefined && values.host.trim() === '') throw new CliUsageError('--host must not be empty.', ENGINE_USAGE);
  return { help: values.help ?? false, version: values.version ?? false, port, host: values.host, generation, config: values.config };
}

/** Resolves on the first SIGINT or SIGTERM. */
function untilSignal(): { signalled: Promise<NodeJS.Signals>; dispose(): void } {
  let onSignal: (signal: NodeJS.Signals) => void = () => undefined;
  const signalled = new Promise<NodeJS.Signals>((resolve) => (onSignal = resolve));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    signalled,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/** `worker-publish engine`: serves the embedded engine until SIGINT/SIGTERM; resolves with the exit code. */
export async function runEngineCommand(argv: string[], io: CommandIo = process): Promise<number> {
  const options = parseEngineArgs(argv);
  if (options.help) {
    io.stdout.write(ENGINE_USAGE + '\n');
    return 0;
  }
  if (options.version) {
    // What an external-engine collection reads to tell which engine line it talks to.
    io.stdout.write(`iii ${GENERATION_PROFILES[options.generation].rules.defaultEngineVersion} (nx-worker-publish embedded engine, generation ${options.generation})\n`);
    return 0;
  }
  const fromConfig = options.config === undefined ? undefined : await readIiiEngineConfig(options.config);
  if (fromConfig && fromConfig.ignoredWorkers.length > 0) {
    io.stderr.write(`worker-publish engine: the embedded engine does not run these configured workers: ${fromConfig.ignoredWorkers.join(', ')}\n`);
  }
  const host = options.host ?? fromConfig?.host ?? '127.0.0.1';
  const port = options.port ?? fromConfig?.port ?? 0;

  const signals = untilSignal();
  try {
    const engine = await startEmbeddedEngine({ host, port, generation: options.generation, onLogLine: (line) => io.stderr.write(`${escapeTerminalLine(line)}\n`) });
    io.stdout.write(`${engine.url}\n`);
    // The readiness line the real iii engine logs, for tools that wait for it.
    io.stdout.write(`Engine listening on address: ${host}:${engine.port}\n`);
    await signals.signalled;
    await engine.stop();
    return 0;
  } catch (error) {
    if (error instanceof EngineListenError || error instanceof EmbeddedEngineOptionError) throw new CliError(error.message, 1);
    throw error;
  } finally {
    signals.dispose();
  }
}
