/**
 * The rc-first channel rules (spec publish-pipeline-later §5.3, §5.4 `validate_channel_target_version`,
 * `validate_finalization`). Each returns the problem as a sentence, or undefined.
 */
const PURE = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;
const RC = /^((?:0|[1-9]\d*)\.(?:0|[1-9]\d*)\.(?:0|[1-9]\d*))-rc\.([1-9]\d*)$/;

export const isPureVersion = (version: string) => PURE.test(version);
export const isReleaseCandidate = (version: string) => RC.test(version);

/** `latest` takes only a pure MAJOR.MINOR.PATCH: a prerelease there is what every `iii worker add` installs. */
export function latestVersionProblem(version: string): string | undefined {
  if (isPureVersion(version)) return undefined;
  return `channel latest takes only a pure MAJOR.MINOR.PATCH version, and ${version} is not one: publish it to next (registryTag next), or finalize it with finalize-release once it is ready`;
}

/** A finalization mints the stable `X.Y.Z` from the candidate `X.Y.Z-rc.N`: same core, pure stable. */
export function finalizationProblem(candidate: string, stable: string): string | undefined {
  const rc = RC.exec(candidate);
  if (!rc) return `the finalization candidate must be an X.Y.Z-rc.N version, got ${candidate}`;
  if (!isPureVersion(stable)) return `the finalized version must be a pure MAJOR.MINOR.PATCH version, got ${stable}`;
  if (rc[1] !== stable) return `the finalized version ${stable} must share the candidate's core ${rc[1]} (candidate ${candidate})`;
  return undefined;
}
