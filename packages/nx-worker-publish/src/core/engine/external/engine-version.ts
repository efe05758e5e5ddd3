import { loadExeca } from '../../load-execa';
import { inheritedEnv } from '../../worker-process';
import { splitEngineCommand } from './engine-command';

const VERSION_TIMEOUT_MS = 15_000;

/** The first version number in a `--version` answer (`iii 0.23.0`, `iii-engine 0.26.1-rc.1`). */
export const versionIn = (text: string) => /\b(\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?)\b/.exec(text)?.[1];

/** `<engineCommand> --version`, or undefined when the command does not answer with a version. */
export async function readEngineCommandVersion(engineCommand: string | string[] | undefined, withheldEnv: string[] = []): Promise<string | undefined> {
  const { command, args } = splitEngineCommand(engineCommand);
  const { execa } = await loadExeca();
  const result = await execa(command, [...args, '--version'], {
    env: inheritedEnv(withheldEnv),
    extendEnv: false,
    reject: false,
    timeout: VERSION_TIMEOUT_MS,
    stdin: 'ignore',
  });
  return result.exitCode === 0 ? versionIn(`${result.stdout}\n${result.stderr}`) : undefined;
}
