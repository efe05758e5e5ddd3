import { spawn } from 'node:child_process';

export interface ShellTiming {
  wallMs: number;
  /** user + system CPU of every process the command ran (the shell's `times`, children's line). */
  cpuMs: number;
}

const seconds = (text: string) => {
  const match = /(\d+)m([\d.]+)s/.exec(text);
  return match ? Number(match[1]) * 60 + Number(match[2]) : NaN;
};

/**
 * Runs `script` in `sh -c` (positional arguments as $1…) and returns its wall time and the CPU time of the processes
 * it started, as POSIX `times` reports it for the shell's children.
 */
export function timedShell(script: string, args: string[]): Promise<ShellTiming> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('sh', ['-c', `${script}\nstatus=$?\nwait\ntimes\nexit $status`, 'sh', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (data: Buffer) => (out += data));
    child.stderr.on('data', (data: Buffer) => (err += data));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      if (code !== 0) return reject(new Error(`bench: sh -c '${script}' failed (exit ${code}): ${err}`));
      const lines = out.trim().split('\n');
      const [user, system] = (lines[lines.length - 1] ?? '').trim().split(/\s+/);
      resolve({ wallMs, cpuMs: (seconds(user) + seconds(system)) * 1000 });
    });
  });
}
