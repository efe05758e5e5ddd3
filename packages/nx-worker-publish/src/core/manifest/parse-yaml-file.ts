import { parseDocument } from 'yaml';
import { ManifestError } from './manifest-error';
import { readWorkerTextFile, type InvalidUtf8 } from './read-text-file';

/** Aliases a worker file may expand; far above any real manifest, far below what a "billion laughs" bomb needs. */
const MAX_ALIAS_COUNT = 100;

/**
 * Reads a YAML file; `{exists: false}` when it does not exist. Every problem (too large, not UTF-8, a syntax error,
 * an alias bomb) is a ManifestError naming the file, so it breaks only the project that owns the file.
 */
export function readYamlFile(file: string, options: { maxBytes?: number } = {}): { exists: false } | { exists: true; value: unknown } {
  const text = readWorkerTextFile(file, { maxBytes: options.maxBytes, describeInvalid: describeYamlPosition });
  if (text === undefined) return { exists: false };
  return { exists: true, value: parseYamlText(text, file) };
}

export function parseYamlText(text: string, file: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true });
  const [first] = doc.errors;
  if (first) {
    const line = first.linePos?.[0];
    const where = line ? ` at line ${line.line}, column ${line.col}` : '';
    // The parser's own message names the rule broken; keep only its first line (the rest is a code frame).
    const reason = first.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw new ManifestError(`${file} is not valid YAML${where}: ${reason}. Fix the YAML syntax of this file.`, file);
  }
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    // yaml throws a ReferenceError for an alias bomb: refuse it as this file's problem, not as a crash.
    throw new ManifestError(
      `${file} cannot be read: ${(error as Error).message} (more than ${MAX_ALIAS_COUNT} alias expansions). ` +
        'Write the values out instead of nesting aliases (*name) of aliases.',
      file,
    );
  }
}

/** `, key \`description\`` for the key whose line (or whose block above) holds the bad byte. */
function describeYamlPosition(text: string, invalid: InvalidUtf8): string {
  const lines = text.split('\n').slice(0, invalid.line);
  const indent = (line: string) => line.length - line.trimStart().length;
  const badIndent = indent(invalid.lineText);
  for (let i = lines.length - 1; i >= 0; i--) {
    const key = /^\s*(?:-\s+)?([A-Za-z0-9_.-]+)\s*:(?:\s|$)/.exec(lines[i])?.[1];
    if (key && (i === lines.length - 1 || indent(lines[i]) < badIndent)) return `, key \`${key}\``;
  }
  return '';
}
