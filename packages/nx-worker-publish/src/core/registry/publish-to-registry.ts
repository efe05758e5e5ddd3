import { setTimeout as sleep } from 'node:timers/promises';
import type { PublishPayload } from '../payload/publish-payload';
import { checkBreakingChanges, diffInterfaces } from '../interface-diff';
import { compareVersion } from './compare-version';
import { channelPath, moveChannel } from './move-channel';
import { postVersion, type PostOutcome } from './post-version';
import { readChannel } from './read-channel';
import { readVersion } from './read-version';
import { redactSecret } from './redact-secret';
import { RegistryClient, truncateBody } from './registry-client';
import { RegistryError } from './registry-error';
import { DEFAULT_API_KEY_ENV } from './resolve-api-key';
import { compareVersions } from './version-order';

export const REGISTRY_CHANNELS = ['latest', 'next', 'none'] as const;
export type RegistryChannel = (typeof REGISTRY_CHANNELS)[number];

export const DEFAULT_PUBLISH_TIMEOUT_SECONDS = 120;
/** Attempts of one write, the first included; a retry happens only while the readback proves the version absent. */
export const MAX_ATTEMPTS = 3;

export interface PublishToRegistryOptions {
  apiUrl: string;
  /** Required unless dryRun; sent as `X-API-Key`, never printed. */
  apiKey?: string;
  /** Only named in the hint of a 401/403 answer. */
  apiKeyEnv?: string;
  payload: PublishPayload;
  /** The serialized payload, sent byte for byte (the same bytes a dry run writes). */
  payloadText: string;
  /** The channel moved after the version is stored; `none` moves nothing. */
  registryTag: RegistryChannel;
  /** Let breaking interface changes through under a version bump that does not allow them (with a warning). */
  allowBreakingChanges?: boolean;
  /** Read and compare, print what would be written, write nothing. */
  dryRun?: boolean;
  /** Deadline of the whole publish, readbacks and retries included (`publishTimeoutSeconds`). */
  timeoutMs?: number;
  /** Delay before attempt n+1 is n times this (default 1000 ms: 1 s, then 2 s). */
  retryDelayMs?: number;
  /** Cap of one request (default 60 s). */
  requestTimeoutMs?: number;
  log?: (line: string) => void;
  warn?: (line: string) => void;
}

export type VersionState = 'new' | 'identical' | 'recovered';

export interface PublishReport {
  /** What happened, one line each: `published skills 0.1.4 (new)`, `channel next: 0.1.3 → 0.1.4` (`would …` on dry run). */
  lines: string[];
  version?: { state: VersionState; attempts: number; recoveredFrom?: string };
  channel?: { tag: string; from: string | null; to: string; state: 'moved' | 'unchanged' | 'kept-ahead' };
  /** Whether the interface was compared with the channel's current version. */
  comparison: 'compared' | 'no-current-version' | 'skipped';
}

const pointer = (version: string | null) => version ?? '(unassigned)';

/**
 * Publishes the immutable version and proves it by reading it back, then moves the channel by compare-and-swap
 * (spec publish-pipeline-later §6.2). Before any write, the new interface is compared with the one the channel
 * points at today. Every error leaving here is a RegistryError with the key redacted.
 */
export async function publishToRegistry(options: PublishToRegistryOptions): Promise<PublishReport> {
  const secret = options.apiKey;
  if (!options.dryRun && !secret?.trim()) {
    throw new RegistryError(`No registry API key: set ${options.apiKeyEnv ?? DEFAULT_API_KEY_ENV}. Nothing was sent to ${options.apiUrl}.`);
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_PUBLISH_TIMEOUT_SECONDS * 1000;
  const client = new RegistryClient({ apiUrl: options.apiUrl, apiKey: secret, deadline: Date.now() + timeoutMs, requestTimeoutMs: options.requestTimeoutMs });
  const run = new PublishRun(client, options, timeoutMs);
  try {
    return await run.execute();
  } catch (error) {
    throw scrubbed(error, secret);
  } finally {
    await client.close();
  }
}

class PublishRun {
  private readonly log: (line: string) => void;
  private readonly warn: (line: string) => void;
  private readonly worker: string;
  private readonly version: string;

  constructor(
    private readonly client: RegistryClient,
    private readonly options: PublishToRegistryOptions,
    private readonly timeoutMs: number,
  ) {
    this.log = options.log ?? (() => undefined);
    this.warn = options.warn ?? this.log;
    this.worker = options.payload.worker_name;
    this.version = options.payload.version;
  }

  async execute(): Promise<PublishReport> {
    const { registryTag, dryRun } = this.options;
    // With no channel to move, the interface is still checked against what users install today.
    const gateTag = registryTag === 'none' ? 'latest' : registryTag;
    const channel = await readChannel(this.client, this.worker, gateTag);
    if (channel.state === 'unavailable') {
      if (dryRun) return this.dryRunReport(undefined, 'skipped', channel.reason);
      throw new RegistryError(`Cannot read channel ${gateTag} of ${this.worker} before publishing (${channel.reason}). Nothing was written; run publish-interface again when the registry answers.`);
    }
    const current = channel.version;
    const comparison = await this.compareWithCurrent(gateTag, current);
    if (comparison.state === 'skipped') return this.dryRunReport(current, 'skipped', comparison.reason);
    if (dryRun) return this.dryRunReport(current, comparison.state);

    const published = await this.publishVersion();
    const lines = [`published ${this.worker} ${this.version} (${describeState(published)})`];
    const report: PublishReport = { lines, version: published, comparison: comparison.state };
    if (registryTag !== 'none') {
      report.channel = await this.assignChannel(registryTag, current);
      lines.push(channelLine(report.channel));
    }
    return report;
  }

  /** The gate: breaking changes against the channel's version need a version that allows them (interface-diff's gate). */
  private async compareWithCurrent(tag: string, current: string | null): Promise<{ state: 'compared' | 'no-current-version' } | { state: 'skipped'; reason: string }> {
    if (!current) {
      this.log(`channel ${tag} of ${this.worker} is unassigned: nothing to compare the interface with`);
      return { state: 'no-current-version' };
    }
    const readback = await readVersion(this.client, this.worker, current);
    if (readback.state === 'unavailable') {
      if (this.options.dryRun) return { state: 'skipped', reason: readback.reason };
      throw new RegistryError(`Cannot read ${this.worker} ${current} (channel ${tag}) to compare interfaces (${readback.reason}). Nothing was written.`);
    }
    if (readback.state === 'absent') {
      this.warn(`⚠ channel ${tag} points to ${current}, but that version cannot be read back; the interface was not compared`);
      return { state: 'no-current-version' };
    }
    const diff = diffInterfaces(readback.detail, this.options.payload);
    const verdict = checkBreakingChanges({
      diff,
      version: this.version,
      referenceVersion: current,
      referenceLabel: `${current} (channel ${tag})`,
      allowBreakingChanges: this.options.allowBreakingChanges,
    });
    // A function that vanished may also be a truncated collection rather than a decision.
    const truncation =
      diff.functions.removed.length + diff.triggers.removed.length > 0
        ? ' If an entry is missing only because the collection was cut short, run collect-interface again with --skip-nx-cache and a larger waitSeconds/settleSeconds.'
        : '';
    if (verdict.status === 'breaking') throw new RegistryError(`${this.worker} ${this.version}: ${verdict.message}${truncation} Nothing was written.`);
    if (verdict.status === 'breaking-allowed-by-option') this.warn(`⚠ ${this.worker} ${this.version}: ${verdict.message}${truncation} (allowed by allowBreakingChanges)`);
    if (verdict.status === 'breaking-allowed-by-version') this.log(verdict.message);
    this.log(`interface compared with ${current} (channel ${tag}): ${verdict.breaking.length} breaking change(s)`);
    return { state: 'compared' };
  }

  private dryRunReport(current: string | null | undefined, comparison: PublishReport['comparison'], skippedBecause?: string): PublishReport {
    if (skippedBecause) this.warn(`⚠ registry not reachable at ${this.client.shown('')}: interface comparison skipped (${skippedBecause})`);
    const lines = [`would publish ${this.worker} ${this.version}`];
    const { registryTag } = this.options;
    if (registryTag === 'none') lines.push('would move no channel (registryTag none)');
    else if (current === undefined) lines.push(`would move channel ${registryTag} to ${this.version} (current pointer unknown)`);
    else lines.push(`would move channel ${registryTag}: ${pointer(current)} → ${this.version}`);
    return { lines, comparison };
  }

  /** POST, then let the readback decide; retry only while the version is provably absent. */
  private async publishVersion(): Promise<NonNullable<PublishReport['version']>> {
    const url = this.client.shown('/publish');
    let lastProblem = '';
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      this.log(`POST ${url} (attempt ${attempt}/${MAX_ATTEMPTS})`);
      const outcome = await postVersion(this.client, this.options.payloadText, this.version);
      if (outcome.kind === 'rejected') throw this.rejected(url, outcome, attempt);
      if (outcome.kind === 'refused') {
        throw new RegistryError(
          `POST ${url} answered ${outcome.status}, but ${outcome.problem}: ${truncateBody(outcome.body)}. The publish is not counted as done; ` +
            'check that `apiUrl` points at the workers registry.',
          { url, status: outcome.status, body: truncateBody(outcome.body), attempts: attempt },
        );
      }
      const readback = await readVersion(this.client, this.worker, this.version);
      const why = outcomeLabel(outcome);
      if (readback.state === 'present') {
        const differences = compareVersion(this.options.payload, readback.detail);
        if (differences.length === 0) {
          if (outcome.kind === 'accepted') return { state: 'new', attempts: attempt };
          if (outcome.kind === 'conflict') return { state: 'identical', attempts: attempt };
          return { state: 'recovered', attempts: attempt, recoveredFrom: outcome.timedOut ? 'a timeout' : outcome.status ? `HTTP ${outcome.status}` : 'a dropped connection' };
        }
        throw new RegistryError(
          `${this.worker} ${this.version} is stored, but not as sent (${why}); the readback of ${this.client.shown(`/w/${this.worker}?version=${this.version}`)} differs in: ` +
            `${differences.join('; ')}. ${outcome.kind === 'conflict' ? 'A version is immutable: publish a new version instead.' : 'Check the registry before publishing again.'}`,
          { url, attempts: attempt },
        );
      }
      if (readback.state === 'unavailable') {
        throw new RegistryError(
          `POST ${url}: ${why}, and the version cannot be proved (${readback.reason}). It was not sent again, so a version the registry may have stored is never written twice; ` +
            'run publish-interface again later (it recognises an identical stored version).',
          { url, attempts: attempt },
        );
      }
      if (outcome.kind !== 'uncertain') {
        throw new RegistryError(`POST ${url}: ${why}, but the readback says ${this.worker} ${this.version} is absent. The registry is inconsistent; try again later.`, { url, attempts: attempt });
      }
      lastProblem = why;
      const delayMs = (this.options.retryDelayMs ?? 1000) * attempt;
      if (attempt < MAX_ATTEMPTS && this.client.remainingMs() > delayMs) {
        this.log(`POST ${url}: ${why}; the version is absent, retrying in ${delayMs} ms`);
        await sleep(delayMs);
      } else break;
    }
    throw new RegistryError(
      `POST ${url}: the publish was not verified (${lastProblem}; the version stayed absent) within ${MAX_ATTEMPTS} attempts and ${Math.round(this.timeoutMs / 1000)} s ` +
        '(publishTimeoutSeconds). Run publish-interface again later (collect-interface is cached, so only the publish repeats).',
      { url, attempts: MAX_ATTEMPTS },
    );
  }

  private rejected(url: string, outcome: Extract<PostOutcome, { kind: 'rejected' }>, attempt: number): RegistryError {
    const hint = statusHint(outcome.status, this.options.apiKeyEnv ?? DEFAULT_API_KEY_ENV, outcome.location);
    return new RegistryError(
      `POST ${url} failed: the registry answered ${outcome.status}. Response: ${truncateBody(outcome.body)}${hint ? `\n${hint}` : ''}`,
      { url, status: outcome.status, body: truncateBody(outcome.body), attempts: attempt },
    );
  }

  /** CAS from the pointer read before publishing; a readback decides. `next` never moves backwards. */
  private async assignChannel(tag: string, current: string | null): Promise<NonNullable<PublishReport['channel']>> {
    const to = this.version;
    if (current === to) return { tag, from: current, to, state: 'unchanged' };
    if (tag === 'next' && current && (compareVersions(current, to) ?? 0) > 0) {
      this.warn(`⚠ channel next points to ${current}, which is ahead of ${to}: next is never moved backwards`);
      return { tag, from: current, to: current, state: 'kept-ahead' };
    }
    const url = this.client.shown(channelPath(this.worker, tag));
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      this.log(`PUT ${url} {version: ${to}, expected_current_version: ${current ?? 'null'}} (attempt ${attempt}/${MAX_ATTEMPTS})`);
      const outcome = await moveChannel(this.client, { worker: this.worker, tag, version: to, expected: current });
      if (outcome.kind === 'rejected') {
        throw new RegistryError(`PUT ${url} failed: the registry answered ${outcome.status}. Response: ${truncateBody(outcome.body)}. ${this.versionStoredNote(tag)}`, {
          url,
          status: outcome.status,
          body: truncateBody(outcome.body),
        });
      }
      const readback = await readChannel(this.client, this.worker, tag);
      if (readback.state === 'unavailable') {
        throw new RegistryError(`PUT ${url}: the channel move cannot be proved (${readback.reason}). ${this.versionStoredNote(tag)}`, { url });
      }
      const now = readback.version;
      if (now === to) return { tag, from: current, to, state: outcome.kind === 'conflict' ? 'unchanged' : 'moved' };
      if (outcome.kind === 'conflict') {
        throw new RegistryError(
          `channel CAS conflict on ${tag}: it was expected at ${pointer(current)}, but its current pointer is ${pointer(now)}; someone else moved it meanwhile. ` +
            `Nothing was overwritten. ${this.versionStoredNote(tag)}`,
          { url, status: 409 },
        );
      }
      if (outcome.kind === 'moved') {
        throw new RegistryError(`PUT ${url} answered 200, but channel ${tag} points to ${pointer(now)}, expected ${to}. ${this.versionStoredNote(tag)}`, { url });
      }
      if (now !== current) {
        throw new RegistryError(`PUT ${url}: ${outcome.reason}, and channel ${tag} now points to ${pointer(now)} (expected ${pointer(current)} or ${to}). ${this.versionStoredNote(tag)}`, { url });
      }
      const delayMs = (this.options.retryDelayMs ?? 1000) * attempt;
      if (attempt === MAX_ATTEMPTS || this.client.remainingMs() <= delayMs) break;
      this.log(`PUT ${url}: ${outcome.reason}; the channel is unchanged, retrying in ${delayMs} ms`);
      await sleep(delayMs);
    }
    throw new RegistryError(`PUT ${url}: channel ${tag} could not be moved to ${to} within ${MAX_ATTEMPTS} attempts. ${this.versionStoredNote(tag)}`, { url });
  }

  private versionStoredNote(tag: string): string {
    return `${this.worker} ${this.version} itself is published; run publish-interface again to move channel ${tag} (the stored version is recognised as identical).`;
  }
}

function outcomeLabel(outcome: PostOutcome): string {
  switch (outcome.kind) {
    case 'accepted':
      return 'the registry answered 200';
    case 'conflict':
      return 'the registry answered 409 (version already exists)';
    case 'uncertain':
      return outcome.status ? `the registry answered ${outcome.status}` : `no answer (${outcome.reason})`;
    default:
      return outcome.kind;
  }
}

function describeState(version: NonNullable<PublishReport['version']>): string {
  if (version.state === 'new') return 'new';
  if (version.state === 'identical') return 'already published, identical';
  return `recovered after ${version.recoveredFrom ?? 'a timeout'}`;
}

function channelLine(channel: NonNullable<PublishReport['channel']>): string {
  if (channel.state === 'moved') return `channel ${channel.tag}: ${pointer(channel.from)} → ${channel.to}`;
  if (channel.state === 'kept-ahead') return `channel ${channel.tag}: ${channel.from} (kept: ahead of this version)`;
  return `channel ${channel.tag}: ${channel.to} (unchanged)`;
}

function statusHint(status: number, apiKeyEnv: string, location: string | undefined): string {
  if (status === 401 || status === 403) {
    return `The registry did not accept the API key: check the value of ${apiKeyEnv} (the variable the \`apiKeyEnv\` option names).`;
  }
  if (status === 422) {
    return 'The registry rejected the payload; the response above names the field at fault. Do a dry run (`nx run <project>:publish-interface:dry-run` or NX_DRY_RUN=true) to write the payload and inspect it.';
  }
  if (status >= 300 && status < 400) {
    return `The registry redirects${location ? ` to ${location}` : ''}; set \`apiUrl\` to the final address.`;
  }
  if (status >= 200 && status < 300) return 'Only 200 confirms a publish; check that `apiUrl` points at the workers registry.';
  return '';
}

/** The key cannot escape through a message, a detail, or an unexpected error (whose raw form is not kept). */
function scrubbed(error: unknown, secret: string | undefined): RegistryError {
  const clean = (text: string | undefined) => (text === undefined ? undefined : redactSecret(text, secret));
  if (error instanceof RegistryError) {
    const { url, status, body, attempts } = error.details;
    return new RegistryError(redactSecret(error.message, secret), { url: clean(url), status, body: clean(body), attempts });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new RegistryError(redactSecret(`Publishing to the registry failed unexpectedly: ${message}`, secret));
}
