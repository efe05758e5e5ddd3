import { ENGINE_URL_PLACEHOLDER, type LaunchPlan } from './launch-plan';

export interface RenderedLaunchCommand {
  command: string;
  args: string[];
  shell: boolean;
  cwd: string;
  env: Record<string, string>;
}

const substitute = (value: string, engineUrl: string) => value.split(ENGINE_URL_PLACEHOLDER).join(engineUrl);

/** Single-quotes a word for POSIX sh, so an argument never splits or expands. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The plan with `{engineUrl}` filled in, ready to spawn as `(command, args, {shell, cwd, env})`. A shell
 * plan gets its args quoted onto the command line, so `args` is empty for it.
 */
export function renderLaunchCommand(plan: LaunchPlan, engineUrl: string): RenderedLaunchCommand {
  const { args, env } = renderLaunchArgs(plan, engineUrl);
  if (plan.shell) {
    const command = [plan.command, ...args.map(shellQuote)].join(' ');
    return { command, args: [], shell: true, cwd: plan.cwd, env };
  }
  return { command: plan.command, args, shell: false, cwd: plan.cwd, env };
}

/** Just the args and env with `{engineUrl}` substituted. */
export function renderLaunchArgs(plan: Pick<LaunchPlan, 'args' | 'env'>, engineUrl: string): { args: string[]; env: Record<string, string> } {
  return {
    args: plan.args.map((arg) => substitute(arg, engineUrl)),
    env: Object.fromEntries(Object.entries(plan.env).map(([key, value]) => [key, substitute(value, engineUrl)])),
  };
}
