import { finalizationProblem, isReleaseCandidate } from './channel-rules';
import { finalizeRelease } from './finalize-release';
import { pointer, readChannels } from './read-channel';
import { readVersion } from './read-version';
import type { RegistryClient } from './registry-client';
import { RegistryError } from './registry-error';
import { unavailableAdvice } from './unavailable-advice';
import { withRegistrySession, type RegistrySessionOptions } from './registry-session';

export interface FinalizeToRegistryOptions extends RegistrySessionOptions {
  worker: string;
  /** The pure `X.Y.Z` to mint. */
  stable: string;
  /** The `X.Y.Z-rc.N` whose bytes it reuses. Default: the version `next` points at. */
  candidate?: string;
  retryDelayMs?: number;
  log?: (line: string) => void;
}

export interface FinalizeReport {
  lines: string[];
  candidate: string;
  state: 'changed' | 'unchanged' | 'recovered' | 'dry-run';
}

/**
 * rc-first finalization (spec publish-pipeline-later §6.2 `finalize-release`, §6.3): checks the versions and the
 * channels before any write (the candidate is the rc `next` points at, the stable shares its core, `latest` is read
 * for the CAS), then asks the registry to mint the stable version from the candidate's bytes and proves that both
 * `next` and `latest` show it. No worker runs: the candidate's stored interface is what the stable version gets.
 */
export async function finalizeToRegistry(options: FinalizeToRegistryOptions): Promise<FinalizeReport> {
  return withRegistrySession(options, 'Finalizing the release', (client) => finalize(client, options));
}

async function finalize(client: RegistryClient, options: FinalizeToRegistryOptions): Promise<FinalizeReport> {
  const { worker, stable } = options;
  const log = options.log ?? (() => undefined);
  const channels = await readChannels(client, worker, ['latest', 'next']);
  if (channels.state === 'unavailable') throw new RegistryError(`Cannot read the channels of ${worker} before finalizing: ${channels.reason}. Nothing was written. ${unavailableAdvice(channels.reason)}`.trim());
  const { latest, next } = channels.pointers;
  const both = `latest points to ${pointer(latest)}, next to ${pointer(next)}`;
  if (latest === stable && next === stable) {
    return { lines: [`${worker} ${stable} is already final: latest and next point to it (unchanged)`], candidate: options.candidate ?? stable, state: 'unchanged' };
  }
  const candidate = options.candidate ?? next;
  if (!candidate) {
    throw new RegistryError(`Cannot finalize ${worker} ${stable}: next is unassigned, so there is no release candidate (${both}). Publish ${stable}-rc.1 to next first, or pass --candidate. Nothing was written.`);
  }
  if (!options.candidate && !isReleaseCandidate(candidate)) {
    throw new RegistryError(`Cannot finalize ${worker} ${stable}: next points to ${candidate}, which is not an X.Y.Z-rc.N release candidate (${both}). Publish ${stable}-rc.N to next first, or pass --candidate. Nothing was written.`);
  }
  const problem = finalizationProblem(candidate, stable);
  if (problem) throw new RegistryError(`Cannot finalize ${worker}: ${problem} (${both}). Nothing was written.`);
  if (next !== candidate) {
    throw new RegistryError(
      `Cannot finalize ${worker} ${candidate} as ${stable}: it is not the candidate on next (${both}). Only the rc next points at is finalized, so a stale candidate never reaches latest. ` +
        `Finalize ${next ?? 'the rc on next'} instead, or publish ${candidate} to next again first. Nothing was written.`,
    );
  }
  const stored = await readVersion(client, worker, candidate);
  if (stored.state === 'unavailable') throw new RegistryError(`Cannot read the candidate ${worker} ${candidate} before finalizing (${stored.reason}). Nothing was written. ${unavailableAdvice(stored.reason)}`.trim());
  if (stored.state === 'absent') throw new RegistryError(`Cannot finalize ${worker}: the candidate ${candidate} is not published (${both}). Nothing was written.`);
  const plan = `latest ${pointer(latest)} → ${stable}, next ${candidate} → ${stable}`;
  if (options.dryRun) {
    return { lines: [`would finalize ${worker} ${candidate} as ${stable} (${plan})`], candidate, state: 'dry-run' };
  }
  const written = await finalizeRelease(client, { worker, candidate, stable, expectedLatest: latest, log, retryDelayMs: options.retryDelayMs });
  const how = written.state === 'changed' ? 'finalized' : written.state === 'unchanged' ? 'already finalized (unchanged)' : `finalized (recovered after ${written.recoveredFrom})`;
  return { lines: [`${how} ${worker} ${candidate} as ${stable}: latest and next point to ${stable} (was ${plan.replace(/ → [^,]+/g, '')})`], candidate, state: written.state };
}
