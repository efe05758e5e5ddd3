import { existsSync, readFileSync } from 'node:fs';
import { readCollectedFrom, type CollectedFrom } from '../../../core/interface/collected-from';
import type { WorkerInterface } from '../../../core/interface/worker-interface';
import { ExecutorInputError } from '../../shared/executor-input-error';

export interface InterfaceFile {
  iface: WorkerInterface;
  /** What ran to collect it; undefined when the file does not say (written by an older plugin, or by hand). */
  collectedFrom?: CollectedFrom;
}

/** The interface collect-interface wrote; publishing without one would send an empty interface. */
export function readInterfaceFile(file: string, collectTarget: string): InterfaceFile {
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
  return { iface: { functions: iface.functions, triggers: iface.triggers }, collectedFrom: readCollectedFrom(parsed) };
}
