/**
 * Just enough TOML to read one key of one table (`[package] version`, `[project] version`) correctly:
 * table headers, dotted and quoted keys, comments, multi-line strings and multi-line arrays are understood
 * well enough not to be mistaken for the key we look for. It is not a general TOML parser.
 */
export type TomlKeyValue =
  | { kind: 'string'; value: string }
  /** `version.workspace = true` or `version = { workspace = true }` (Cargo workspace inheritance). */
  | { kind: 'workspace' }
  | { kind: 'other'; text: string };

export function readTomlKey(text: string, table: string, key: string): TomlKeyValue | undefined {
  const wanted = `${table}.${key}`;
  let current = '';
  let multilineDelimiter: '"""' | "'''" | undefined;
  let openBrackets = 0;

  for (const rawLine of text.split(/\r?\n/)) {
    if (multilineDelimiter) {
      if (countOccurrences(rawLine, multilineDelimiter) % 2 === 1) multilineDelimiter = undefined;
      continue;
    }
    if (openBrackets > 0) {
      openBrackets += bracketBalance(rawLine);
      continue;
    }
    const line = stripComment(rawLine).trim();
    if (line === '') continue;

    if (line.startsWith('[[')) {
      current = '\0array-of-tables';
      continue;
    }
    if (line.startsWith('[')) {
      current = splitKey(line.slice(1, line.lastIndexOf(']'))).join('.');
      continue;
    }

    const eq = findTopLevelEquals(line);
    if (eq < 0) continue;
    const path = [current, ...splitKey(line.slice(0, eq))].filter(Boolean).join('.');
    const value = line.slice(eq + 1).trim();

    if (path === `${wanted}.workspace` && value === 'true') return { kind: 'workspace' };
    if (path === wanted) return parseValue(value);

    for (const delimiter of ['"""', "'''"] as const) {
      if (value.startsWith(delimiter) && countOccurrences(value, delimiter) === 1) multilineDelimiter = delimiter;
    }
    if (!multilineDelimiter) openBrackets = Math.max(0, bracketBalance(value));
  }
  return undefined;
}

function parseValue(value: string): TomlKeyValue {
  if (value.startsWith('"') && !value.startsWith('"""')) {
    const end = findClosingQuote(value, 1);
    if (end > 0) {
      try {
        return { kind: 'string', value: JSON.parse(value.slice(0, end + 1)) as string };
      } catch {
        return { kind: 'other', text: value };
      }
    }
  }
  if (value.startsWith("'") && !value.startsWith("'''")) {
    const end = value.indexOf("'", 1);
    if (end > 0) return { kind: 'string', value: value.slice(1, end) };
  }
  if (/^\{\s*workspace\s*=\s*true\s*\}$/.test(value)) return { kind: 'workspace' };
  return { kind: 'other', text: value };
}

/** `a."b.c" . d` → ['a', 'b.c', 'd'] */
function splitKey(keyText: string): string[] {
  const parts: string[] = [];
  const pattern = /\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*(?:\.|$)/gy;
  let match: RegExpExecArray | null;
  while (pattern.lastIndex < keyText.length && (match = pattern.exec(keyText))) {
    parts.push(match[1] ?? match[2] ?? match[3]);
  }
  return parts;
}

function stripComment(line: string): string {
  const hash = indexOutsideQuotes(line, '#');
  return hash < 0 ? line : line.slice(0, hash);
}

const findTopLevelEquals = (line: string) => indexOutsideQuotes(line, '=');

/** First `target` not inside a '…' or "…" string (with \ escapes in "…"), or -1. */
function indexOutsideQuotes(line: string, target: string): number {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote) {
      if (ch === '\\' && quote === '"') i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === target) return i;
  }
  return -1;
}

function findClosingQuote(value: string, from: number): number {
  for (let i = from; i < value.length; i++) {
    if (value[i] === '\\') i++;
    else if (value[i] === '"') return i;
  }
  return -1;
}

/** Net count of `[`/`{` minus `]`/`}` outside strings: > 0 means the value continues on the next line. */
function bracketBalance(text: string): number {
  let balance = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\' && quote === '"') i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '#') break;
    else if (ch === '[' || ch === '{') balance++;
    else if (ch === ']' || ch === '}') balance--;
  }
  return balance;
}

function countOccurrences(text: string, needle: string): number {
  return text.split(needle).length - 1;
}
