import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nxCli } from './paths';

export interface TimedLine {
  /** ms since the Nx process was spawned */
  at: number;
  text: string;
}

export interface NxRun {
  /** Spawn to exit of the `nx` process. */
  wallMs: number;
  code: number | null;
  lines: TimedLine[];
  output: string;
}

const stripAnsi = (text: string) => text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');

/**
 * Nx as the README's CI recipes run it: no daemon (Nx turns it off on CI), no TUI, no cloud, plugins loaded in the
 * nx process (`NX_ISOLATE_PLUGINS=false`: one worker process per plugin costs about 1 s of every command on 2 cores);
 * nothing inherited from an outer Nx run. `extra` may restore Nx's default isolation to measure it.
 */
export const NX_DEFAULT_ISOLATION = { NX_ISOLATE_PLUGINS: 'true' };

/** One copy of Nx's native binary for every bench workspace: Nx leaves a 23 MB copy in /tmp per workspace path. */
const NX_NATIVE_CACHE = join(tmpdir(), 'nxwp-bench-nx-native-file-cache');

function nxEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('NX_')) env[key] = value;
  return { ...env, NX_DAEMON: 'false', NX_TUI: 'false', NX_NO_CLOUD: 'true', NX_ISOLATE_PLUGINS: 'false', NX_NATIVE_FILE_CACHE_DIRECTORY: NX_NATIVE_CACHE, ...extra };
}

/** Runs the repository's Nx CLI in `cwd`, timing it from spawn to exit and stamping each output line. */
export function runNx(cwd: string, args: string[], options: { env?: Record<string, string>; timeoutMs?: number; onSpawn?: (pid: number) => void } = {}): Promise<NxRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [nxCli(), ...args], { cwd, env: nxEnv(options.env ?? {}), stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid !== undefined) options.onSpawn?.(child.pid);
    const lines: TimedLine[] = [];
    const chunks: string[] = [];
    let partial = '';
    let wallMs = 0;
    const onData = (data: Buffer) => {
      const text = data.toString('utf8');
      chunks.push(text);
      partial += text;
      const at = performance.now() - started;
      for (let i = partial.indexOf('\n'); i >= 0; i = partial.indexOf('\n')) {
        lines.push({ at, text: stripAnsi(partial.slice(0, i)) });
        partial = partial.slice(i + 1);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 180_000);
    child.on('error', reject);
    child.on('exit', () => (wallMs = performance.now() - started));
    child.on('close', (code) => {
      clearTimeout(timer);
      if (partial) lines.push({ at: wallMs, text: stripAnsi(partial) });
      resolve({ wallMs, code, lines, output: chunks.join('') });
    });
  });
}

/** Fails loudly with the tail of Nx's output when a run that must succeed did not. */
export function assertNxSucceeded(run: NxRun, what: string): NxRun {
  if (run.code !== 0) {
    const tail = run.output.split('\n').slice(-40).join('\n');
    throw new Error(`bench: ${what} failed (exit ${run.code}). Last output:\n${tail}`);
  }
  return run;
}
