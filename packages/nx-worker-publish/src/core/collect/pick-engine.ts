import type { EngineClient } from '../engine-client/engine-client';
import { generationForSdk } from '../engine/generation-for-sdk';
import type { SdkReading } from '../sdk-version';
import type { EngineReport } from './sdk-engine-check';
import type { EngineChoice, ResolvedEngineChoice } from './start-engine';

/**
 * Settles the embedded generation: `auto` takes the generation of the worker's SDK line (the newest when the version
 * cannot be read); a pinned one is kept. `why` says which and why, once, in the engine step line.
 */
export function pickEngine(choice: EngineChoice, reading: SdkReading): ResolvedEngineChoice {
  if (choice.kind !== 'embedded') return choice;
  const sdk = reading.sdk ? `iii-sdk ${reading.sdk.version} in ${reading.sdk.source}` : `iii-sdk version unknown: ${reading.reason}`;
  if (choice.generation !== 'auto') return { ...choice, generation: choice.generation, why: `pinned by engineGeneration; ${sdk}` };
  const pick = generationForSdk(reading);
  return { ...choice, generation: pick.generation, why: `auto: ${pick.why}` };
}

/** The engine's report, with the version it states itself (`engine::health::check`) when nothing else said it. */
export async function withSelfReportedVersion(report: EngineReport, client: EngineClient): Promise<EngineReport> {
  if (report.version !== undefined || report.features !== undefined) return report;
  try {
    const health = await client.invoke<{ version?: unknown }>('engine::health::check', {}, { timeoutMs: 5000 });
    return typeof health?.version === 'string' ? { ...report, version: health.version } : report;
  } catch {
    return report;
  }
}
