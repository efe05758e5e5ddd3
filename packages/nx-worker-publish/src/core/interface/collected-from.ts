import type { LaunchMode } from '../launch-plan/launch-plan';

/**
 * What ran to produce an interface, recorded in the interface file beside the functions: publish checks it against
 * the release it ships, so a local build's interface is never published as a release's (issue 17 §1). Nx caches
 * it with the interface, so a replayed interface carries its own origin.
 */
export interface CollectedFrom {
  /** The launch mode that started the worker. */
  launch: LaunchMode;
  /** The release tag whose asset ran (release-binary, release-bundle); absent for a local launch. */
  release?: string;
  /** The `launch` or `binaryPath` option chose the mode; false when the automatic order did. */
  forced: boolean;
}

const RELEASE_MODES: readonly LaunchMode[] = ['release-binary', 'release-bundle'];

/** The `launch` option named a mode, or `binaryPath` named the binary: the automatic order did not choose. */
export function launchChosenByOption(input: { launch?: string; binaryPath?: string }): boolean {
  return (input.launch !== undefined && input.launch !== 'auto') || input.binaryPath !== undefined;
}

export function collectedFrom(mode: LaunchMode, input: { launch?: string; binaryPath?: string; tag?: string }): CollectedFrom {
  const forced = launchChosenByOption(input);
  return RELEASE_MODES.includes(mode) && input.tag ? { launch: mode, release: input.tag, forced } : { launch: mode, forced };
}

/** The record in a parsed interface file, or undefined when it has none (an older plugin wrote it, or a person did). */
export function readCollectedFrom(parsed: unknown): CollectedFrom | undefined {
  const value = (parsed as { collected_from?: unknown } | null)?.collected_from;
  if (!value || typeof value !== 'object') return undefined;
  const { launch, release, forced } = value as Record<string, unknown>;
  if (typeof launch !== 'string' || typeof forced !== 'boolean') return undefined;
  if (release !== undefined && typeof release !== 'string') return undefined;
  return { launch: launch as LaunchMode, ...(release === undefined ? {} : { release }), forced };
}
