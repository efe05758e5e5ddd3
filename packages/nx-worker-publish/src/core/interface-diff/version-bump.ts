/** `MAJOR.MINOR.PATCH` with an optional pre-release and build, as semver 2.0.0 writes it. */
const SEMVER = /^v?(\d+)\.(\d+)\.(\d+)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

interface Core {
  major: number;
  minor: number;
  patch: number;
}

function parseCore(version: string): Core | undefined {
  const match = SEMVER.exec(version.trim());
  return match ? { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) } : undefined;
}

/**
 * Whether going from `from` to `to` may break callers under semver: a major bump, or below 1.0 a minor bump
 * (`0.3.x` → `0.4.0`, as npm's caret and cargo read it). A patch bump, the same version, or a version that is not
 * semver never does.
 */
export function bumpAllowsBreaking(from: string, to: string): boolean {
  const [a, b] = [parseCore(from), parseCore(to)];
  if (!a || !b) return false;
  if (b.major > a.major) return true;
  return a.major === 0 && b.major === 0 && b.minor > a.minor;
}

/** The first version after `from` that may carry breaking changes: `2.0.0` after 1.4.2, `0.4.0` after 0.3.1. */
export function nextBreakingVersion(from: string): string | undefined {
  const core = parseCore(from);
  if (!core) return undefined;
  return core.major === 0 ? `0.${core.minor + 1}.0` : `${core.major + 1}.0.0`;
}

/** `patch`, `minor`, `major`, `none` (same core) or `downgrade`; undefined when either side is not semver. */
export function bumpKind(from: string, to: string): 'major' | 'minor' | 'patch' | 'none' | 'downgrade' | undefined {
  const [a, b] = [parseCore(from), parseCore(to)];
  if (!a || !b) return undefined;
  for (const part of ['major', 'minor', 'patch'] as const) {
    if (b[part] > a[part]) return part;
    if (b[part] < a[part]) return 'downgrade';
  }
  return 'none';
}
