/**
 * The reference's stand-in for `iii trigger` of engine ≤ 0.11.7-next.2 (spec iii-protocol §5), one short-lived
 * process per engine call, as the workers CI runs it:
 *
 *   node iii-trigger-cli.js --function-id ID [--payload JSON] [--address 127.0.0.1] [--port 49134] [--timeout-ms 30000]
 *
 * Like the Rust CLI it connects as a worker, waits for `workerregistered`, announces itself with
 * `engine::workers::register` (runtime rust, name host:pid, fire-and-forget), makes ONE invocation, prints the
 * result as pretty JSON (nothing for null) and exits 0; an engine error goes to stderr with exit 1.
 */
import { randomUUID } from 'node:crypto';
import { hostname, platform, release, arch } from 'node:os';
import WebSocket from 'ws';

interface CliArgs {
  functionId: string;
  payload: unknown;
  address: string;
  port: number;
  timeoutMs: number;
}

function parseArgs(argv: string[]): CliArgs {
  const value = (flag: string) => {
    const inline = argv.find((arg) => arg.startsWith(`${flag}=`));
    if (inline) return inline.slice(flag.length + 1);
    const at = argv.indexOf(flag);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const functionId = value('--function-id');
  if (!functionId) fail('error: the following required arguments were not provided:\n  --function-id <FUNCTION_ID>', 2);
  let payload: unknown = {};
  const rawPayload = value('--payload');
  if (rawPayload !== undefined) {
    try {
      payload = JSON.parse(rawPayload);
    } catch (error) {
      fail(`Error: Invalid JSON payload: ${(error as Error).message}`, 1);
    }
  }
  return {
    functionId: functionId!,
    payload,
    address: value('--address') ?? 'localhost',
    port: Number(value('--port') ?? 49134),
    timeoutMs: Number(value('--timeout-ms') ?? 30000),
  };
}

function fail(message: string, code: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const socket = new WebSocket(`ws://${args.address}:${args.port}`);
  const invocationId = randomUUID();
  const timer = setTimeout(
    () => fail('Error: Timed out waiting for the engine (no response within the timeout). Is the engine running at the given address and port?', 1),
    args.timeoutMs,
  );
  const send = (message: Record<string, unknown>) => socket.send(JSON.stringify(message));
  const shutdown = (output: () => void) => {
    clearTimeout(timer);
    socket.once('close', () => {
      output();
      process.exit(process.exitCode ?? 0);
    });
    socket.close();
  };

  socket.on('message', (data) => {
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(String(data));
    } catch {
      return;
    }
    if (message.type === 'workerregistered') {
      // The Rust SDK's register_worker: self-description first (void), then the CLI's one trigger() call.
      send({
        type: 'invokefunction',
        function_id: 'engine::workers::register',
        data: {
          runtime: 'rust',
          version: '0.11.6',
          name: `${hostname()}:${process.pid}`,
          os: `${platform()} ${release()} (${arch()})`,
          pid: process.pid,
          isolation: null,
          telemetry: { language: 'en-US', project_name: 'iii-cli', framework: 'iii-rust' },
        },
        action: { type: 'void' },
      });
      send({ type: 'invokefunction', invocation_id: invocationId, function_id: args.functionId, data: args.payload });
    } else if (message.type === 'invocationresult' && message.invocation_id === invocationId) {
      if (message.error) {
        process.exitCode = 1;
        shutdown(() => process.stderr.write(`Error: ${JSON.stringify({ stacktrace: null, ...(message.error as object) }, ['code', 'message', 'stacktrace'], 2)}\n`));
      } else {
        const result = message.result;
        shutdown(() => {
          if (result !== undefined && result !== null) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        });
      }
    } else if (message.type === 'ping') {
      send({ type: 'pong' });
    }
  });
  socket.on('error', (error) => fail(`Error: WebSocket error: ${error.message}`, 1));
}

main();
