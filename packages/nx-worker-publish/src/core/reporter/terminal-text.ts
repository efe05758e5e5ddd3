/**
 * Text on its way to a terminal. Much of what the plugin prints comes from the worker (its name, function ids,
 * descriptions, its log) and must not act on the terminal: a newline in a function id would print a line of its own
 * (a forged `✔ published …`), ESC/OSC sequences set the title or clear the screen, a CR overwrites the line. Every
 * reporter line passes through here; files (the interface, the payload, logs) keep the exact text.
 */

/**
 * What a terminal acts on: C0 controls but tab, DEL, C1 controls (U+0085 is a newline, U+009B a CSI), the Unicode line
 * and paragraph separators, and the bidirectional overrides that reorder what is shown ("Trojan Source").
 */
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\u001b': '\\e' };

const visible = (char: string) => {
  const named = NAMED[char];
  if (named) return named;
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
};

/** One line, whatever the text holds: every control character is shown as an escape (`\n`, `\e`, `\x9b`, `\u202e`). */
export function escapeTerminalLine(text: string): string {
  return text.replace(CONTROL, visible);
}

/** Marks the lines after the first of a multi-line message, so no line of it can pass for a line of the plugin's own. */
export const CONTINUATION = '  │ ';

/**
 * A message that is several lines on purpose (an error paragraph, a log tail): its line breaks stay, everything else is
 * escaped, and every line after the first is marked with `CONTINUATION`, so a line the worker wrote (a log line, an id
 * with a newline inside an error) can never pass for a line of the plugin's own.
 */
export function escapeTerminalBlock(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line, index) => (index === 0 ? '' : CONTINUATION) + escapeTerminalLine(line))
    .join('\n');
}
