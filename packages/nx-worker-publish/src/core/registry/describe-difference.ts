const CONTEXT = 24;
const SHORT = 80;

/**
 * One field that differs, shown at its first differing position rather than from the start (two long READMEs
 * that differ in line 40 share a prefix that says nothing): `readme differs at line 40, column 3 (character 812):
 * sent "…", stored "…"`. Text is compared as it is; other values as canonical JSON, shown whole when short.
 */
export function describeDifference(field: string, sent: unknown, stored: unknown, canonical: (value: unknown) => string): string {
  const text = typeof sent === 'string' && typeof stored === 'string';
  const [a, b] = text ? [sent, stored] : [canonical(sent), canonical(stored)];
  if (!text && a.length <= SHORT && b.length <= SHORT) return `${field}: sent ${a}, stored ${b}`;
  let at = 0;
  while (at < a.length && at < b.length && a[at] === b[at]) at++;
  const before = a.slice(0, at);
  const line = before.split('\n').length;
  const column = at - before.lastIndexOf('\n');
  const where = text ? `line ${line}, column ${column} (character ${at + 1})` : `character ${at + 1} of its JSON`;
  return `${field} differs at ${where}: sent ${excerpt(a, at, text)}, stored ${excerpt(b, at, text)}`;
}

/** A few characters before and after `at`; text JSON-quoted so newlines and control characters stay visible. */
function excerpt(value: string, at: number, quote: boolean): string {
  if (value.length === 0) return '"" (empty)';
  const start = Math.max(0, at - CONTEXT / 2);
  const end = Math.min(value.length, at + CONTEXT);
  const slice = value.slice(start, end);
  return `${start > 0 ? '…' : ''}${quote ? JSON.stringify(slice) : slice}${end < value.length ? '…' : at >= value.length ? ' (it ends there)' : ''}`;
}
