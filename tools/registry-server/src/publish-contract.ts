/**
 * The `/publish` contract of spec publish-pipeline §5.4, checked the way the real registry answers a 422:
 * the first problem as `<field path>: <problem>`. Written independently of the plugin's payload builder so
 * tests catch the builder drifting from the contract.
 */

type Json = Record<string, unknown>;

const COMMON_FIELDS = ['worker_name', 'version', 'tag', 'type', 'readme', 'repo', 'description', 'dependencies', 'config', 'functions', 'triggers'];
const SHA256 = /^[0-9a-f]{64}$/;

const isObject = (value: unknown): value is Json => !!value && typeof value === 'object' && !Array.isArray(value);

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

class ContractViolation extends Error {}

function violation(path: string, problem: string): never {
  throw new ContractViolation(`${path}: ${problem}`);
}

function requireString(value: unknown, path: string, nonEmpty: boolean): void {
  if (typeof value !== 'string') violation(path, `expected a string, got ${kind(value)}`);
  if (nonEmpty && value.trim() === '') violation(path, 'must not be empty');
}

function requireObject(value: unknown, path: string): void {
  if (!isObject(value)) violation(path, `expected an object, got ${kind(value)}`);
}

function checkEntries(value: unknown, path: string, schemaFields: [string, string]): void {
  if (!Array.isArray(value)) violation(path, `expected an array, got ${kind(value)}`);
  const firstIndexByName = new Map<string, number>();
  value.forEach((entry, index) => {
    const at = `${path}[${index}]`;
    requireObject(entry, at);
    const item = entry as Json;
    requireString(item.name, `${at}.name`, true);
    requireString(item.description, `${at}.description`, false);
    for (const field of [...schemaFields, 'metadata']) requireObject(item[field], `${at}.${field}`);
    const first = firstIndexByName.get(item.name as string);
    if (first !== undefined) violation(`${at}.name`, `duplicate of ${path}[${first}]`);
    firstIndexByName.set(item.name as string, index);
  });
}

function checkDependencies(value: unknown): void {
  if (!Array.isArray(value)) violation('dependencies', `expected an array of {name, version}, got ${kind(value)}`);
  value.forEach((entry, index) => {
    requireObject(entry, `dependencies[${index}]`);
    requireString((entry as Json).name, `dependencies[${index}].name`, true);
    requireString((entry as Json).version, `dependencies[${index}].version`, false);
  });
}

function checkBinaries(value: unknown): void {
  requireObject(value, 'binaries');
  const entries = Object.entries(value as Json);
  if (entries.length === 0) violation('binaries', 'must not be empty for type binary');
  for (const [target, asset] of entries) {
    requireObject(asset, `binaries.${target}`);
    const { url, sha256 } = asset as Json;
    requireString(url, `binaries.${target}.url`, true);
    if (!/^https?:\/\//.test(url as string)) violation(`binaries.${target}.url`, 'expected an http(s) URL');
    requireString(sha256, `binaries.${target}.sha256`, true);
    if (!SHA256.test(sha256 as string)) violation(`binaries.${target}.sha256`, 'expected 64 lowercase hex characters');
  }
}

function check(payload: unknown): void {
  if (!isObject(payload)) violation('(body)', `expected a JSON object, got ${kind(payload)}`);
  for (const field of COMMON_FIELDS) if (!(field in payload)) violation(field, 'missing');
  for (const field of ['worker_name', 'version', 'tag']) requireString(payload[field], field, true);
  if (payload.type !== 'binary' && payload.type !== 'image') violation('type', 'expected "binary" or "image"');
  requireString(payload.readme, 'readme', false);
  requireString(payload.repo, 'repo', true);
  if (payload.description !== null) requireString(payload.description, 'description', false);
  checkDependencies(payload.dependencies);
  requireObject(payload.config, 'config');
  checkEntries(payload.functions, 'functions', ['request_schema', 'response_schema']);
  checkEntries(payload.triggers, 'triggers', ['invocation_schema', 'return_schema']);

  if (payload.type === 'binary') {
    if ('image_tag' in payload) violation('image_tag', 'not allowed for type binary');
    checkBinaries(payload.binaries);
  } else {
    if ('binaries' in payload) violation('binaries', 'not allowed for type image');
    requireString(payload.image_tag, 'image_tag', true);
  }

  const allowed = new Set([...COMMON_FIELDS, payload.type === 'binary' ? 'binaries' : 'image_tag']);
  const unknown = Object.keys(payload).find((field) => !allowed.has(field));
  if (unknown) violation(unknown, 'unknown field');
}

/** The first contract problem of a parsed body, or undefined when the registry would accept it. */
export function checkPublishContract(payload: unknown): string | undefined {
  try {
    check(payload);
    return undefined;
  } catch (error) {
    if (error instanceof ContractViolation) return error.message;
    throw error;
  }
}
