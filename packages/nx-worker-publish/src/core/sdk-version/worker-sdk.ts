/** The iii SDK a worker is built on, as its lockfile or manifest says. */
export interface WorkerSdk {
  language: 'rust' | 'python' | 'node';
  /** The version, e.g. `0.26.0-rc.4`; from a range (`^0.22.1`) its lowest version. */
  version: string;
  /** Where it was read, workspace-relative (e.g. `workers/skills/Cargo.lock`). */
  source: string;
}

/** The SDK, or why it could not be read (one sentence naming the files looked at). */
export type SdkReading = { sdk: WorkerSdk } | { sdk: undefined; reason: string };

/** `major.minor` of a version, the SDK line the engine generations are matched on; undefined if it has none. */
export function sdkLine(version: string): { major: number; minor: number } | undefined {
  const match = /^(\d+)\.(\d+)/.exec(version);
  return match ? { major: Number(match[1]), minor: Number(match[2]) } : undefined;
}

/** True when `version`'s line is at least `major.minor`. */
export function lineAtLeast(version: string, major: number, minor: number): boolean {
  const line = sdkLine(version);
  return line !== undefined && (line.major > major || (line.major === major && line.minor >= minor));
}

/** The first version a requirement names: `=0.11.3`, `^0.22.1`, `~=0.25.0`, `>=0.25,<0.26` → its lowest bound. */
export function versionOfRequirement(requirement: string): string | undefined {
  const match = /(\d+\.\d+(?:\.\d+)?(?:[-.+]?[0-9A-Za-z.-]*)?)/.exec(requirement);
  return match?.[1].replace(/[,;\s].*$/, '');
}
