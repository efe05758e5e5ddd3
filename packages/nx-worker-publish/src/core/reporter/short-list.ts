export const SHORT_LIST_LENGTH = 8;

/**
 * A warning that lists names stays one readable line (a worker with 300 untyped schemas made a 2,000-character
 * line): the first few names, then how many more; the caller prints the whole list under --verbose.
 */
export function shortList(names: readonly string[], length = SHORT_LIST_LENGTH): string {
  if (names.length <= length) return names.join(', ');
  return `${names.slice(0, length).join(', ')} and ${names.length - length} more (${names.length} in all; --verbose lists them)`;
}
