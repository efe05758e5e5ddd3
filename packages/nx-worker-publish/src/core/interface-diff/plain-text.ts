/**
 * Names and schema keys come from the worker (untrusted): control characters (ANSI escapes, newlines) are replaced
 * before they reach a terminal or a Markdown table.
 */
export function plainText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}
