import { existsSync, readFileSync } from 'node:fs';
import type { WorkerInterface } from '../../../core/interface/worker-interface';
import { ExecutorInputError } from '../../shared/executor-input-error';

/** The interface collect-interface wrote; publishing without one would send an empty interface. */
export function readInterfaceFile(file: string, collectTarget: string): WorkerInterface {
  if (!existsSync(file)) {
    throw new ExecutorInputError(`no interface file at ${file}. Run \`${collectTarget}\` first.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ExecutorInputError(`${file} is not valid JSON (${(error as Error).message}); delete it and run \`${collectTarget}\` again.`);
  }
  const iface = parsed as Partial<WorkerInterface>;
  if (!Array.isArray(iface?.functions) || !Array.isArray(iface?.triggers)) {
    throw new ExecutorInputError(`${file} is not an interface file (it needs "functions" and "triggers" lists); delete it and run \`${collectTarget}\` again.`);
  }
  return iface as WorkerInterface;
}
