/**
 * Release order of worker versions (spec publish-pipeline-later §5.4): MAJOR.MINOR.PATCH, then maturity
 * experimental < alpha < beta < rc.N < stable. Undefined when either side is outside that grammar.
 */
const VERSION = /^(\d+)\.(\d+)\.(\d+)(?:-(experimental|alpha|beta|rc\.(\d+)))?$/;
const RANK: Record<string, number> = { experimental: 0, alpha: 1, beta: 2, rc: 3 };

function key(version: string): number[] | undefined {
  const match = VERSION.exec(version.trim());
  if (!match) return undefined;
  const [, major, minor, patch, label, rc] = match;
  const rank = label === undefined ? 4 : RANK[label.startsWith('rc.') ? 'rc' : label];
  return [Number(major), Number(minor), Number(patch), rank, rc ? Number(rc) : 0];
}

/** Negative when a is older than b, positive when newer, 0 when equal; undefined when not comparable. */
export function compareVersions(a: string, b: string): number | undefined {
  const [ka, kb] = [key(a), key(b)];
  if (!ka || !kb) return undefined;
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] - kb[i];
  return 0;
}
