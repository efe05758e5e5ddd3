import { spawn } from 'node:child_process';

/** Runs a command to completion (stdout ignored); rejects with its stderr when it exits non-zero. */
export function runCommand(command: string, args: string[], cwd?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (data: Buffer) => (stderr += data));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`bench: ${command} ${args.join(' ')} failed (exit ${code}): ${stderr}`))));
  });
}
