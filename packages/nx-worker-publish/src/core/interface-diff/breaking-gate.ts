import { breakingChanges, type InterfaceDiff } from './diff-interfaces';
import { plainText } from './plain-text';
import { bumpAllowsBreaking, bumpKind, nextBreakingVersion } from './version-bump';

export type GateStatus =
  /** Nothing breaks callers. */
  | 'compatible'
  /** Breaking changes, and the version bump says so (major, or minor below 1.0). */
  | 'breaking-allowed-by-version'
  /** Breaking changes under a version that does not allow them, let through by `allowBreakingChanges`. */
  | 'breaking-allowed-by-option'
  /** Breaking changes under a version that does not allow them: the gate fails. */
  | 'breaking';

export interface GateVerdict {
  status: GateStatus;
  breaking: string[];
  /** The reference's version, when known. */
  referenceVersion?: string;
  version: string;
  /** The first version that would allow the breaking changes (only when they are not allowed by the version). */
  requiredVersion?: string;
  /** One paragraph for the terminal and the report: what breaks and what to do. Empty when compatible. */
  message: string;
}

export interface GateInput {
  diff: InterfaceDiff;
  /** The version being reviewed or published (the language manifest's). */
  version: string;
  /** The version the reference is (the channel's version, or the base commit's manifest); absent when unknown. */
  referenceVersion?: string;
  /** How the reference is named in messages, e.g. `0.3.0 (registry channel latest)`. */
  referenceLabel: string;
  allowBreakingChanges?: boolean;
}

/**
 * The semver gate shared by `interface-diff` and `publish-interface`: breaking changes need a version that allows
 * them (major, or minor below 1.0) or `allowBreakingChanges`.
 */
export function checkBreakingChanges(input: GateInput): GateVerdict {
  const breaking = breakingChanges(input.diff);
  const base = { breaking, version: input.version, ...(input.referenceVersion ? { referenceVersion: input.referenceVersion } : {}) };
  if (breaking.length === 0) return { ...base, status: 'compatible', message: '' };
  if (input.referenceVersion && bumpAllowsBreaking(input.referenceVersion, input.version)) {
    const message = `${breaking.length} breaking change(s), allowed by the ${bumpKind(input.referenceVersion, input.version)} bump ${input.referenceVersion} → ${input.version}.`;
    return { ...base, status: 'breaking-allowed-by-version', message };
  }
  const requiredVersion = input.referenceVersion ? nextBreakingVersion(input.referenceVersion) : undefined;
  const bump = input.referenceVersion ? describeBump(input.referenceVersion, input.version) : `version ${input.version} (the reference's version is unknown)`;
  const list = breaking.map((line) => `  - ${line}`).join('\n');
  const fix = requiredVersion
    ? `Release them as ${requiredVersion} or later (bump the version in the worker's manifest)`
    : 'Release them under a new major version (or a new minor below 1.0)';
  const message =
    `${breaking.length} breaking change(s) compared with ${plainText(input.referenceLabel)}, under ${plainText(bump)}, which does not allow them:\n${list}\n` +
    `${fix}, restore what callers rely on, or set allowBreakingChanges to let them through.`;
  return { ...base, status: input.allowBreakingChanges ? 'breaking-allowed-by-option' : 'breaking', ...(requiredVersion ? { requiredVersion } : {}), message };
}

function describeBump(from: string, to: string): string {
  const kind = bumpKind(from, to);
  if (kind === undefined) return `${from} → ${to} (not both semver)`;
  if (kind === 'none') return `the same version ${to}`;
  if (kind === 'downgrade') return `the downgrade ${from} → ${to}`;
  return `the ${kind} bump ${from} → ${to}`;
}
