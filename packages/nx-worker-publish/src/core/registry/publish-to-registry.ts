import { checkBreakingChanges, diffInterfaces } from '../interface-diff';
import type { PublishPayload } from '../payload/publish-payload';
import { advanceNextFloor, type NextFloorResult } from './advance-next-floor';
import { assignChannel } from './assign-channel';
import { latestVersionProblem } from './channel-rules';
import type { ProvedWrite } from './proof';
import { proveVersion } from './prove-version';
import { publishSkills } from './publish-skills';
import { publishVersion } from './publish-version';
import { pointer, readChannels, type Pointers } from './read-channel';
import { readSkills } from './read-skills';
import { readVersion } from './read-version';
import type { RegistryClient } from './registry-client';
import { RegistryError } from './registry-error';
import { unavailableAdvice } from './unavailable-advice';
import { DEFAULT_API_KEY_ENV } from './resolve-api-key';
import { withRegistrySession, type RegistrySessionOptions } from './registry-session';
import { compareVersions } from './version-order';

export const REGISTRY_CHANNELS = ['latest', 'next', 'none'] as const;
export type RegistryChannel = (typeof REGISTRY_CHANNELS)[number];


export interface PublishToRegistryOptions extends RegistrySessionOptions {
  payload: PublishPayload;
  /** The serialized payload, sent byte for byte (the same bytes a dry run writes). */
  payloadText: string;
  /** The channel moved after the version is stored; `none` moves nothing. */
  registryTag: RegistryChannel;
  /**
   * The worker's full skills snapshot (key → Markdown), published after the version and before the channel.
   * Undefined skips skills entirely; `{}` sends nothing unless the channel's current version had skills (then it clears them).
   */
  skills?: Record<string, string>;
  /** Let breaking interface changes through under a version bump that does not allow them (with a warning). */
  allowBreakingChanges?: boolean;
  /** Delay before attempt n+1 is n times this (default 1000 ms: 1 s, then 2 s). */
  retryDelayMs?: number;
  log?: (line: string) => void;
  warn?: (line: string) => void;
}

export type VersionState = 'new' | 'identical' | 'recovered';
export type ChannelState = 'moved' | 'unchanged' | 'recovered' | 'kept-ahead';

export interface PublishReport {
  /** What happened, one line each: `published skills 0.1.4 (new)`, `channel next: 0.1.3 → 0.1.4` (`would …` on dry run). */
  lines: string[];
  version?: { state: VersionState; attempts: number; recoveredFrom?: string };
  skills?: { state: ProvedWrite['state']; documents: number; cleared: boolean };
  nextFloor?: { from: string | null; to: string; state: ChannelState };
  channel?: { tag: string; from: string | null; to: string; state: ChannelState };
  /** Whether the interface was compared with the channel's current version. */
  comparison: 'compared' | 'no-current-version' | 'skipped';
}

/** A pointer in a report line: `(unassigned)` reads well in `channel next: (unassigned) → 0.1.4`. */
const shownPointer = (version: string | null) => version ?? '(unassigned)';

/**
 * Publishes the immutable version and proves it (detail and resolved artifact), then the skills snapshot, then
 * lifts `next` when publishing to `latest`, then moves the channel by compare-and-swap: each write proved by its
 * readback (spec publish-pipeline-later §6.2). Before any write, the new interface is compared with the one the
 * channel points at today, and a promotion to `latest` is checked against `next`. Every error leaving here is a
 * RegistryError with the key redacted.
 */
export async function publishToRegistry(options: PublishToRegistryOptions): Promise<PublishReport> {
  return withRegistrySession(options, 'Publishing to the registry', (client) => new PublishRun(client, options).execute());
}

/** What the skills step will send: nothing, the snapshot, or `{}` to clear what the channel's version had. */
type SkillsPlan = { send: false } | { send: true; skills: Record<string, string>; clearing?: { version: string; documents: number } };

class PublishRun {
  private readonly log: (line: string) => void;
  private readonly warn: (line: string) => void;
  private readonly worker: string;
  private readonly version: string;

  constructor(
    private readonly client: RegistryClient,
    private readonly options: PublishToRegistryOptions,
  ) {
    this.log = options.log ?? (() => undefined);
    this.warn = options.warn ?? this.log;
    this.worker = options.payload.worker_name;
    this.version = options.payload.version;
  }

  async execute(): Promise<PublishReport> {
    const { registryTag, dryRun } = this.options;
    if (registryTag === 'latest') {
      const problem = latestVersionProblem(this.version);
      if (problem) throw new RegistryError(`Cannot publish ${this.worker} ${this.version} to latest: ${problem}. Nothing was written.`);
    }
    // With no channel to move, the interface is still checked against what users install today.
    const gateTag = registryTag === 'none' ? 'latest' : registryTag;
    const channels = await readChannels(this.client, this.worker, ['latest', 'next']);
    if (channels.state === 'unavailable') {
      if (dryRun) return this.dryRunReport(undefined, 'skipped', { send: false }, channels.reason);
      throw new RegistryError(`Cannot read the channels of ${this.worker} before publishing: ${channels.reason}. Nothing was written. ${unavailableAdvice(channels.reason)}`.trim());
    }
    const pointers = channels.pointers;
    const current = pointers[gateTag];
    const comparison = await this.compareWithCurrent(gateTag, current);
    if (comparison.state === 'skipped') return this.dryRunReport(current, 'skipped', { send: false }, comparison.reason);
    if (registryTag === 'latest') await this.checkPromotion(pointers);
    const skillsPlan = await this.planSkills(current);
    if (dryRun) return this.dryRunReport(current, comparison.state, skillsPlan, undefined, pointers);

    const published = await publishVersion(this.client, {
      payload: this.options.payload,
      payloadText: this.options.payloadText,
      apiKeyEnv: this.options.apiKeyEnv ?? DEFAULT_API_KEY_ENV,
      log: this.log,
      retryDelayMs: this.options.retryDelayMs,
    });
    const version = versionReport(published);
    const lines = [`published ${this.worker} ${this.version} (${describeVersion(version)})`];
    const report: PublishReport = { lines, version, comparison: comparison.state };
    if (skillsPlan.send) {
      report.skills = await this.publishSkills(skillsPlan);
      lines.push(skillsLine(this.worker, this.version, report.skills));
    }
    if (registryTag === 'latest') {
      const floor = await advanceNextFloor(this.client, {
        worker: this.worker,
        version: this.version,
        expectedNext: pointers.next,
        note: this.versionStoredNote('latest'),
        log: this.log,
        retryDelayMs: this.options.retryDelayMs,
      });
      report.nextFloor = floorReport(floor);
      lines.push(channelLine({ tag: 'next', ...report.nextFloor }));
    }
    if (registryTag !== 'none') {
      report.channel = await this.moveChannel(registryTag, current);
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
      throw new RegistryError(`Cannot read ${this.worker} ${current} (channel ${tag}) to compare interfaces (${readback.reason}). Nothing was written. ${unavailableAdvice(readback.reason)}`.trim());
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

  /**
   * Promoting a version already stored to `latest` requires `next` at that version, or unassigned (spec
   * publish-pipeline-later §6.2 `promote`): a candidate `next` has moved past is stale. A version not stored yet is
   * a first release straight to `latest`, which stays allowed. Checked before any write.
   */
  private async checkPromotion(pointers: Pointers): Promise<void> {
    const { next, latest } = pointers;
    if (next === null || next === this.version || latest === this.version) return; // allowed whether stored or not
    const proof = await proveVersion(this.client, this.options.payload);
    if (proof.state === 'unavailable') {
      if (this.options.dryRun) return;
      throw new RegistryError(`Cannot tell whether ${this.worker} ${this.version} is already published before promoting it to latest (${proof.detail}). Nothing was written. ${unavailableAdvice(proof.detail)}`.trim());
    }
    if (proof.state !== 'equivalent') return; // absent: a new release; divergent: the publish itself fails, naming the difference
    throw new RegistryError(
      `Refusing to promote ${this.worker} ${this.version} to latest: it is already published, and next points to ${next}, not to it (latest points to ${pointer(latest)}). ` +
        `A promotion takes the candidate next points at; ${this.version} is a stale candidate. Publish ${next} to latest instead, or move next back to ${this.version} ` +
        'first if that is really the release. Nothing was written.',
    );
  }

  /** The full snapshot after the version, before any channel; `{}` when it clears what the channel's version had. */
  private async publishSkills(plan: Extract<SkillsPlan, { send: true }>): Promise<NonNullable<PublishReport['skills']>> {
    if (plan.clearing) {
      this.warn(`⚠ no skill documents for ${this.worker} ${this.version}, but ${plan.clearing.version} has ${plan.clearing.documents}: sending the empty snapshot, which clears them`);
    }
    const written = await publishSkills(this.client, { worker: this.worker, version: this.version, skills: plan.skills, log: this.log, retryDelayMs: this.options.retryDelayMs });
    const documents = Object.keys(plan.skills).length;
    return { state: written.state, documents, cleared: documents === 0 };
  }

  /** A worker without skills sends nothing, unless the channel's version had skills: then the empty snapshot clears them. */
  private async planSkills(current: string | null): Promise<SkillsPlan> {
    const skills = this.options.skills;
    if (!skills) return { send: false };
    if (Object.keys(skills).length > 0) return { send: true, skills };
    if (!current) return { send: false };
    const before = await readSkills(this.client, this.worker, current);
    if (before.state === 'unavailable') {
      if (this.options.dryRun) return { send: false };
      throw new RegistryError(`Cannot read the skills of ${this.worker} ${current} to know whether they must be cleared (${before.reason}). Nothing was written. ${unavailableAdvice(before.reason)}`.trim());
    }
    if (before.state === 'absent' || before.skills.length === 0) return { send: false };
    return { send: true, skills: {}, clearing: { version: current, documents: before.skills.length } };
  }

  private dryRunReport(current: string | null | undefined, comparison: PublishReport['comparison'], skills: SkillsPlan, skippedBecause?: string, pointers?: Pointers): PublishReport {
    if (skippedBecause) this.warn(`⚠ registry not reachable at ${this.client.shown('')}: interface comparison skipped (${skippedBecause})`);
    const lines = [`would publish ${this.worker} ${this.version}`];
    if (skills.send) {
      const keys = Object.keys(skills.skills).sort();
      lines.push(
        keys.length === 0
          ? `would clear the skills (the empty snapshot): ${skills.clearing?.version} has ${skills.clearing?.documents}`
          : `would publish the skills snapshot: ${keys.map((key) => `${key} (${Buffer.byteLength(skills.skills[key])} B)`).join(', ')}`,
      );
    }
    const { registryTag } = this.options;
    if (registryTag === 'latest' && pointers) {
      const next = pointers.next;
      const order = next === null ? -1 : compareVersions(next, this.version);
      if (next !== this.version && order !== undefined && order < 0) lines.push(`would lift channel next: ${shownPointer(next)} → ${this.version}`);
    }
    if (registryTag === 'none') lines.push('would move no channel (registryTag none)');
    else if (current === undefined) lines.push(`would move channel ${registryTag} to ${this.version} (current pointer unknown)`);
    else lines.push(`would move channel ${registryTag}: ${shownPointer(current)} → ${this.version}`);
    return { lines, comparison };
  }

  /** CAS from the pointer read before publishing; a readback decides. `next` never moves backwards. */
  private async moveChannel(tag: string, current: string | null): Promise<NonNullable<PublishReport['channel']>> {
    const to = this.version;
    if (current === to) return { tag, from: current, to, state: 'unchanged' };
    if (tag === 'next' && current && (compareVersions(current, to) ?? 0) > 0) {
      this.warn(`⚠ channel next points to ${current}, which is ahead of ${to}: next is never moved backwards`);
      return { tag, from: current, to: current, state: 'kept-ahead' };
    }
    const moved = await assignChannel(this.client, {
      worker: this.worker,
      tag,
      version: to,
      expected: current,
      note: this.versionStoredNote(tag),
      log: this.log,
      retryDelayMs: this.options.retryDelayMs,
    });
    return { tag, from: current, to, state: channelState(moved.state) };
  }

  private versionStoredNote(tag: string): string {
    return `${this.worker} ${this.version} itself is published; run publish-interface again to move channel ${tag} (the stored version is recognised as identical).`;
  }
}

function versionReport(written: ProvedWrite): NonNullable<PublishReport['version']> {
  const state: VersionState = written.state === 'changed' ? 'new' : written.state === 'unchanged' ? 'identical' : 'recovered';
  return { state, attempts: written.attempts, ...(written.recoveredFrom ? { recoveredFrom: written.recoveredFrom } : {}) };
}

function describeVersion(version: NonNullable<PublishReport['version']>): string {
  if (version.state === 'new') return 'new';
  if (version.state === 'identical') return 'already published, identical';
  return `recovered after ${version.recoveredFrom ?? 'a timeout'}`;
}

function skillsLine(worker: string, version: string, skills: NonNullable<PublishReport['skills']>): string {
  const what = skills.cleared ? 'cleared (empty snapshot)' : `${skills.documents} document${skills.documents === 1 ? '' : 's'}`;
  const how = skills.state === 'changed' ? 'published' : skills.state === 'unchanged' ? 'already stored, identical' : 'recovered: the answer was lost, the readback shows them';
  return `skills of ${worker} ${version}: ${what} (${how})`;
}

const channelState = (state: ProvedWrite['state']): ChannelState => (state === 'changed' ? 'moved' : state);

function floorReport(floor: NextFloorResult): NonNullable<PublishReport['nextFloor']> {
  return { from: floor.from, to: floor.to, state: floor.state === 'kept-ahead' ? 'kept-ahead' : channelState(floor.state) };
}

function channelLine(channel: { tag: string; from: string | null; to: string; state: ChannelState }): string {
  if (channel.state === 'moved') return `channel ${channel.tag}: ${shownPointer(channel.from)} → ${channel.to}`;
  if (channel.state === 'recovered') return `channel ${channel.tag}: ${shownPointer(channel.from)} → ${channel.to} (recovered: the registry's answer was lost, the readback shows the move)`;
  if (channel.state === 'kept-ahead') return `channel ${channel.tag}: ${channel.from} (kept: ahead of this version)`;
  return `channel ${channel.tag}: ${channel.to} (unchanged)`;
}
