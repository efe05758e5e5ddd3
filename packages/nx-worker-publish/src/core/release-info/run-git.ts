import { loadExeca } from '../load-execa';

export type GitResult = { ok: true; stdout: string } | { ok: false; reason: string };

/**
 * Runs a read-only git command. Failure (no git, not a repository, unknown ref) is a value, not a throw,
 * because every caller has a fallback. No prompts: a read must never wait for credentials.
 */
export async function runGit(cwd: string, args: string[]): Promise<GitResult> {
  const { execa } = await loadExeca();
  try {
    const result = await execa('git', args, {
      cwd,
      reject: false,
      stdin: 'ignore',
      env: { GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
      timeout: 30_000,
    });
    if (result.exitCode === 0) return { ok: true, stdout: result.stdout };
    const stderr = (result.stderr || '').trim();
    return { ok: false, reason: stderr || result.shortMessage || `git exited with ${result.exitCode}` };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}
