import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './nx-workspace';

/** The ```sh blocks of one README section, in order, as written. */
export function readmeShellBlocks(heading: string): string[] {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`README.md has no "${heading}" section`);
  const rest = readme.slice(start + heading.length + 2);
  const next = rest.search(/\n#{1,3} /);
  const section = next < 0 ? rest : rest.slice(0, next);
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1]);
}

/**
 * The `npx nx …` commands of a shell block, each as the argument list after `npx nx`, expanded by a real `sh` with
 * `env` (variables, `${TAG%/v*}`, quoting): the block runs with every `npx nx` replaced by a printer of its arguments.
 */
export function nxCommandsOf(block: string, env: Record<string, string> = {}): string[][] {
  const script = block.replace(/^npx nx /gm, "printf '%s\\0' --next-command-- ");
  const printed = execFileSync('/bin/sh', ['-c', script], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env } });
  return printed
    .split('--next-command--\0')
    .slice(1)
    .map((args) => args.split('\0').filter((arg) => arg !== ''));
}
