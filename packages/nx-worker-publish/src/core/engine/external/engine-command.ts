import { EngineOptionError } from './external-engine-errors';

/**
 * `engineCommand` as a program and its leading args. An array is taken as is; a string is split on
 * whitespace, honouring '…' and "…" quotes and backslash escapes (no other shell syntax), so
 * `node -e "process.exit(4)" --` and `'/opt/my tools/iii'` both work.
 */
export function splitEngineCommand(engineCommand: string | string[] = 'iii'): { command: string; args: string[] } {
  const parts = Array.isArray(engineCommand) ? engineCommand.filter((part) => part !== '') : splitWords(engineCommand);
  const [command, ...args] = parts;
  if (!command) throw new EngineOptionError('engineCommand is empty: set it to the iii binary (default "iii"), or use engine: embedded.');
  return { command, args };
}

function splitWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quote === "'") {
      if (char === "'") quote = undefined;
      else word += char;
    } else if (quote === '"') {
      if (char === '"') quote = undefined;
      else if (char === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) word += line[++i];
      else word += char;
    } else if (char === "'" || char === '"') {
      quote = char;
      inWord = true;
    } else if (char === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += char;
      inWord = true;
    }
  }
  if (quote) throw new EngineOptionError(`engineCommand has an unclosed ${quote} quote: ${line}`);
  if (inWord) words.push(word);
  return words;
}
