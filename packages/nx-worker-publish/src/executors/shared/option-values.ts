import { ExecutorInputError } from './executor-input-error';

/**
 * Why the executors check their own option values: Nx checks options against schema.json before an executor runs,
 * and its command-line parser types values by their look, not by the schema: `--engineGeneration=0.13` arrives as the
 * number 0.13, `--waitSeconds=abc` as a string. A value Nx's check rejects never reaches the executor; in batch mode
 * (the default here) the rejection even kills the batch process (`UnhandledPromiseRejection … #<SchemaError>`) with no
 * option named. So each schema.json property admits a string, and a number where the command line can make one
 * (`"type": ["number", "string"]`, the first type being the real one; `anyOf` for lists, which Nx would otherwise split
 * on commas), and `readOptionValues` turns what arrived into the real type, or fails naming the option, the value
 * and what is accepted. Allowed values of a choice (`launch`, `engine`, ...) are checked where they are used.
 */

export type OptionType = 'string' | 'number' | 'boolean' | 'array' | 'object';

export interface OptionProperty {
  type?: string | string[];
  anyOf?: Array<{ type?: string }>;
  minimum?: number;
  exclusiveMinimum?: number;
  description?: string;
}

export interface OptionsSchemaShape {
  properties: Record<string, OptionProperty>;
}

/** The type an option really has: the first of its `type` list (or of its `anyOf`). */
export function optionType(property: OptionProperty): OptionType | undefined {
  const declared = Array.isArray(property.type) ? property.type[0] : (property.type ?? property.anyOf?.[0]?.type);
  return declared as OptionType | undefined;
}

const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

const shown = (value: unknown) => (typeof value === 'string' ? JSON.stringify(value) : String(value));

function invalid(name: string, value: unknown, accepted: string): ExecutorInputError {
  return new ExecutorInputError(`the \`${name}\` option must be ${accepted}, got ${shown(value)}`);
}

/** What a number option accepts, from its schema bounds: "a number greater than 0", "a number of 0 or more". */
function acceptedNumber(property: OptionProperty): string {
  if (property.exclusiveMinimum !== undefined) return `a number greater than ${property.exclusiveMinimum}`;
  if (property.minimum !== undefined) return `a number of ${property.minimum} or more`;
  return 'a number';
}

function readNumber(name: string, value: unknown, property: OptionProperty): number {
  const number = typeof value === 'number' ? value : typeof value === 'string' && NUMBER_TEXT.test(value.trim()) ? Number(value) : NaN;
  const inRange =
    Number.isFinite(number) &&
    (property.exclusiveMinimum === undefined || number > property.exclusiveMinimum) &&
    (property.minimum === undefined || number >= property.minimum);
  if (!inRange) throw invalid(name, value, acceptedNumber(property));
  return number;
}

function readBoolean(name: string, value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw invalid(name, value, 'true or false');
}

/** A list: as a list (project.json), a JSON array (`--args='["--url","{engineUrl}"]'`), or comma-separated. */
function readList(name: string, value: unknown): string[] {
  let list: unknown = value;
  if (typeof value === 'string') {
    if (value.trim().startsWith('[')) {
      try {
        list = JSON.parse(value);
      } catch (error) {
        throw invalid(name, value, `a JSON array of strings (${(error as Error).message}) or comma-separated values`);
      }
    } else {
      list = value.split(',');
    }
  }
  if (!Array.isArray(list) || list.some((item) => typeof item !== 'string' && typeof item !== 'number')) {
    throw invalid(name, value, 'a list of strings (a JSON array such as ["--url","{engineUrl}"], or comma-separated values)');
  }
  return list.map(String);
}

function readObject(name: string, value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw invalid(name, value, 'an object of strings, e.g. {"LOG_LEVEL": "debug"}');
  return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, String(entry)]));
}

const kebabCase = (name: string) => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

/**
 * The text a command-line flag was given as, when Nx's parser made a number of it (`--version=1.10` became 1.1):
 * read back from the unparsed arguments Nx passes along.
 */
function rawFlagText(name: string, unparsed: unknown): string | undefined {
  if (!Array.isArray(unparsed)) return undefined;
  const flags = new Set([`--${name}`, `--${kebabCase(name)}`]);
  for (let i = unparsed.length - 1; i >= 0; i--) {
    const arg = String(unparsed[i]);
    const equals = arg.indexOf('=');
    if (equals > 0 && flags.has(arg.slice(0, equals))) return arg.slice(equals + 1);
    if (flags.has(arg) && i + 1 < unparsed.length) return String(unparsed[i + 1]);
  }
  return undefined;
}

function readString(name: string, value: unknown, unparsed: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) {
    const raw = rawFlagText(name, unparsed);
    return raw !== undefined && Number(raw) === value ? raw : String(value);
  }
  throw invalid(name, value, 'a string');
}

/** The options with every schema option in its real type; throws an ExecutorInputError for the first bad one. */
export function readOptionValues<T extends object>(options: T, schema: OptionsSchemaShape): T {
  const unparsed = (options as { __overrides_unparsed__?: unknown }).__overrides_unparsed__;
  const read: Record<string, unknown> = { ...(options as Record<string, unknown>) };
  for (const [name, value] of Object.entries(options)) {
    const property = schema.properties[name];
    if (!property || value === undefined) continue;
    switch (optionType(property)) {
      case 'number':
        read[name] = readNumber(name, value, property);
        break;
      case 'boolean':
        read[name] = readBoolean(name, value);
        break;
      case 'array':
        read[name] = readList(name, value);
        break;
      case 'object':
        read[name] = readObject(name, value);
        break;
      case 'string':
        read[name] = readString(name, value, unparsed);
        break;
    }
  }
  return read as T;
}
