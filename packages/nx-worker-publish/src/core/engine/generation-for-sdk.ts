import { lineAtLeast, type SdkReading } from '../sdk-version';
import { NEWEST_ENGINE_GENERATION, type EngineGeneration } from './generation';

/**
 * The generation that serves an SDK line: the newest whose first engine version is not newer than the SDK's
 * (the iii docs keep engine and SDKs on the same minor line, spec iii-0.24-0.28 §1). 0.24 SDKs speak the 0.23
 * protocol plus `reattach`/`registrationrejected`, which the 0.23 generation has (iii-sdk-wire §9).
 */
const FIRST_LINES: ReadonlyArray<[EngineGeneration, number]> = [
  ['0.26', 26],
  ['0.25', 25],
  ['0.23', 23],
  ['0.13', 13],
];

export interface GenerationPick {
  generation: EngineGeneration;
  /** Why, for the step line: the SDK version and where it was read, or why it could not be. */
  why: string;
}

/** `engineGeneration: auto`: the generation of the worker's SDK line, else the newest. */
export function generationForSdk(reading: SdkReading): GenerationPick {
  if (!reading.sdk) return { generation: NEWEST_ENGINE_GENERATION, why: `${reading.reason}; using the newest generation` };
  const { version, source } = reading.sdk;
  const generation = FIRST_LINES.find(([, minor]) => lineAtLeast(version, 0, minor))?.[0] ?? (lineAtLeast(version, 1, 0) ? NEWEST_ENGINE_GENERATION : '0.11');
  return { generation, why: `iii-sdk ${version} in ${source}` };
}
