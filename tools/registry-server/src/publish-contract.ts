/**
 * The `/publish` contract of today (spec publish-pipeline-later §3, §6.2), checked the way the real registry answers
 * a 422: the first problem as `<field path>: <problem>`. Written independently of the plugin's payload builder so
 * tests catch the builder drifting from the contract.
 */

type Json = Record<string, unknown>;

const REQUIRED_FIELDS = ['worker_name', 'version', 'type', 'readme', 'repo', 'description', 'dependencies', 'config', 'functions', 'triggers', 'experimental'];
const OPTIONAL_FIELDS = ['license', 'tags'];
const FIELDS_BY_TYPE: Record<string, string[]> = { binary: ['binaries'], image: ['image_tag'], bundle: ['archive_url', 'sha256'] };
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

function requireUrl(value: unknown, path: string): void {
  requireString(value, path, true);
  if (!/^https?:\/\//.test(value as string)) violation(path, 'expected an http(s) URL');
}

function requireSha256(value: unknown, path: string): void {
  requireString(value, path, true);
  if (!SHA256.test(value as string)) violation(path, 'expected 64 lowercase hex characters');
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

function checkTags(value: unknown): void {
  if (!Array.isArray(value)) violation('tags', `expected an array of strings, got ${kind(value)}`);
  value.forEach((tag, index) => requireString(tag, `tags[${index}]`, true));
}

function checkBinaries(value: unknown): void {
  requireObject(value, 'binaries');
  const entries = Object.entries(value as Json);
  if (entries.length === 0) violation('binaries', 'must not be empty for type binary');
  for (const [target, asset] of entries) {
    requireObject(asset, `binaries.${target}`);
    requireUrl((asset as Json).url, `binaries.${target}.url`);
    requireSha256((asset as Json).sha256, `binaries.${target}.sha256`);
  }
}

function check(payload: unknown): void {
  if (!isObject(payload)) violation('(body)', `expected a JSON object, got ${kind(payload)}`);
  if ('tag' in payload) violation('tag', 'unknown field (the channel is moved with PUT /w/<worker>/tags/<tag>, not published)');
  for (const field of REQUIRED_FIELDS) if (!(field in payload)) violation(field, 'missing');
  for (const field of ['worker_name', 'version']) requireString(payload[field], field, true);
  const type = payload.type as string;
  if (!(typeof type === 'string' && type in FIELDS_BY_TYPE)) violation('type', 'expected "binary", "image" or "bundle"');
  requireString(payload.readme, 'readme', false);
  requireString(payload.repo, 'repo', true);
  if (payload.description !== null) requireString(payload.description, 'description', false);
  if ('license' in payload) requireString(payload.license, 'license', true);
  if ('tags' in payload) checkTags(payload.tags);
  checkDependencies(payload.dependencies);
  requireObject(payload.config, 'config');
  checkEntries(payload.functions, 'functions', ['request_schema', 'response_schema']);
  checkEntries(payload.triggers, 'triggers', ['invocation_schema', 'return_schema']);
  if (typeof payload.experimental !== 'boolean') violation('experimental', `expected a boolean, got ${kind(payload.experimental)}`);

  for (const [other, fields] of Object.entries(FIELDS_BY_TYPE)) {
    if (other === type) continue;
    for (const field of fields) if (field in payload && !FIELDS_BY_TYPE[type].includes(field)) violation(field, `not allowed for type ${type}`);
  }
  if (type === 'binary') checkBinaries(payload.binaries);
  if (type === 'image') requireString(payload.image_tag, 'image_tag', true);
  if (type === 'bundle') {
    requireUrl(payload.archive_url, 'archive_url');
    requireSha256(payload.sha256, 'sha256');
  }

  const allowed = new Set([...REQUIRED_FIELDS, ...OPTIONAL_FIELDS, ...FIELDS_BY_TYPE[type]]);
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
