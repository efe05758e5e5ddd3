import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { ManifestError } from './manifest-error';

/** Reads a YAML file; `undefined` when it does not exist. Syntax errors name the file and the parser's line. */
export function readYamlFile(file: string): { exists: false } | { exists: true; value: unknown } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { exists: false };
    throw new ManifestError(`Cannot read ${file}: ${(error as Error).message}.`, file);
  }
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
  return doc.toJS();
}
