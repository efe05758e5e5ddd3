const CONTEXT = 24;

/**
 * One field that differs, shown at its first differing position rather than from the start (two long READMEs
 * that differ in line 40 share a prefix that says nothing): `readme differs at line 40, column 3 (character 812):
 * sent "…", stored "…"`. Strings are compared as they are, anything else as canonical JSON.
 */
export function describeDifference(field: string, sent: unknown, stored: unknown, canonical: (value: unknown) => string): string {
  if (stored === undefined) return `${field}: sent ${excerpt(canonical(sent), 0)}, the registry shows none`;
  const [a, b] = typeof sent === 'string' && typeof stored === 'string' ? [sent, stored] : [canonical(sent), canonical(stored)];
  let at = 0;
  while (at < a.length && at < b.length && a[at] === b[at]) at++;
  const before = a.slice(0, at);
  const line = before.split('\n').length;
  const column = at - before.lastIndexOf('\n');
  const where = typeof sent === 'string' && typeof stored === 'string' ? `line ${line}, column ${column} (character ${at + 1})` : `character ${at + 1} of its JSON`;
  return `${field} differs at ${where}: sent ${excerpt(a, at)}, stored ${excerpt(b, at)}`;
}

/** A few characters before and after `at`, JSON-quoted so newlines and control characters stay visible. */
function excerpt(text: string, at: number): string {
  if (at >= text.length) return text.length === 0 ? '"" (empty)' : '(nothing more: it ends there)';
  const start = Math.max(0, at - CONTEXT / 2);
  const end = Math.min(text.length, at + CONTEXT);
  return `${start > 0 ? '…' : ''}${JSON.stringify(text.slice(start, end))}${end < text.length ? '…' : ''}`;
}
