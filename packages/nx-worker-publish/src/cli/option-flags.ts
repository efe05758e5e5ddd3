import { optionType, type OptionsSchemaShape } from '../executors/shared/option-values';
import { CliUsageError } from './cli-error';

/**
 * The part of an executor's schema.json the CLI reads: its options are the CLI's flags, under the same names. Values
 * are checked by the executor (`readOptionValues`), as they are under Nx.
 */
export type OptionsSchema = OptionsSchemaShape;

export interface ParsedFlags {
  options: Record<string, unknown>;
  positionals: string[];
  help: boolean;
  verbose: boolean;
  workspaceRoot?: string;
}

const camelCase = (flag: string) => flag.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
/** `waitSeconds` → `wait-seconds`; a unit keeps its letters together: `logMaxMiB` → `log-max-mib`. */
export const kebabCase = (name: string) =>
  name.replace(/MiB\b/g, '-mib').replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

/** The schema property a flag names: its kebab-case form or the option's own (camelCase) name. */
function propertyNamed(schema: OptionsSchema, flag: string): string {
  const camel = camelCase(flag);
  if (camel in schema.properties) return camel;
  return Object.keys(schema.properties).find((name) => kebabCase(name) === flag) ?? camel;
}

/**
 * `--dry-run`, `--wait-seconds 30`, `--tag=skills/v1.2.3`, `--args --url --args {engineUrl}`, `--env KEY=VALUE`:
 * flags are the executor's option names in kebab-case (camelCase works too), typed by its schema.
 */
export function parseOptionFlags(argv: string[], schema: OptionsSchema, usage: string): ParsedFlags {
  const parsed: ParsedFlags = { options: {}, positionals: [], help: false, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      if (arg === '-h') parsed.help = true;
      else if (arg.startsWith('-')) throw new CliUsageError(`Unknown flag "${arg}".`, usage);
      else parsed.positionals.push(arg);
      continue;
    }
    const [flag, inlineValue] = splitFlag(arg.slice(2));
    const negated = flag.startsWith('no-') && inlineValue === undefined;
    const name = propertyNamed(schema, negated ? flag.slice(3) : flag);
    if (name === 'help') parsed.help = true;
    else if (name === 'verbose') parsed.verbose = !negated;
    else if (name === 'workspaceRoot') parsed.workspaceRoot = inlineValue ?? takeValue(argv, ++i, arg, usage);
    else {
      const property = schema.properties[name];
      if (!property) throw new CliUsageError(`Unknown flag "${arg}".`, usage);
      if (optionType(property) === 'boolean') {
        parsed.options[name] = negated ? false : inlineValue === undefined ? true : parseBoolean(inlineValue, arg, usage);
        continue;
      }
      const value = inlineValue ?? takeValue(argv, ++i, arg, usage);
      assignValue(parsed.options, name, property, value, arg, usage);
    }
  }
  return parsed;
}

function splitFlag(text: string): [string, string | undefined] {
  const equals = text.indexOf('=');
  return equals < 0 ? [text, undefined] : [text.slice(0, equals), text.slice(equals + 1)];
}

function takeValue(argv: string[], index: number, flag: string, usage: string): string {
  if (index >= argv.length) throw new CliUsageError(`${flag} needs a value.`, usage);
  return argv[index];
}

function parseBoolean(value: string, flag: string, usage: string): boolean {
  if (value === 'true' || value === 'false') return value === 'true';
  throw new CliUsageError(`${flag} takes true or false, got "${value}".`, usage);
}

function assignValue(options: Record<string, unknown>, name: string, property: OptionsSchema['properties'][string], value: string, flag: string, usage: string) {
  switch (optionType(property)) {
    case 'number': {
      const number = Number(value);
      if (value.trim() === '' || Number.isNaN(number)) throw new CliUsageError(`${flag} takes a number, got "${value}".`, usage);
      options[name] = number;
      return;
    }
    case 'array':
      // A JSON array (`--args '["--engine-url","{engineUrl}"]'`) is passed on whole: the executor reads it as a list.
      options[name] = value.trim().startsWith('[') ? value : [...((options[name] as string[] | undefined) ?? []), value];
      return;
    case 'object': {
      const equals = value.indexOf('=');
      if (equals <= 0) throw new CliUsageError(`${flag} takes KEY=VALUE, got "${value}".`, usage);
      options[name] = { ...((options[name] as Record<string, string> | undefined) ?? {}), [value.slice(0, equals)]: value.slice(equals + 1) };
      return;
    }
    default:
      options[name] = value;
  }
}

/** One line per option, from the schema's descriptions, for `--help`. */
export function describeOptionFlags(schema: OptionsSchema): string {
  return Object.entries(schema.properties)
    .map(([name, property]) => {
      const type = optionType(property);
      const value = type === 'boolean' ? '' : type === 'object' ? ' KEY=VALUE' : ' <value>';
      return `  --${kebabCase(name)}${value}\n      ${property.description ?? ''}`;
    })
    .join('\n');
}
