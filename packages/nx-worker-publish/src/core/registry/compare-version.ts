import type { PublishPayload } from '../payload/publish-payload';
import { describeDifference } from './describe-difference';

/**
 * Whether the stored version is the one we sent, field by field (spec publish-pipeline-later §6.2 `publish-version`):
 * scalars and objects exactly; dependencies, functions and triggers regardless of order; `experimental` as a
 * boolean; tags only when we sent some; the install source as the registry reports it. Returns one line per
 * differing field; an empty list means equivalent.
 */
export function compareVersion(payload: PublishPayload, detail: Record<string, unknown>): string[] {
  const differences: string[] = [];
  const hidden = ['name', 'version', 'type', 'functions', 'triggers'].filter((field) => !(field in detail));
  if (hidden.length > 0) differences.push(`the readback hides required fields: ${hidden.join(', ')}`);

  const field = (name: string, sent: unknown, stored: unknown) => {
    if (canonical(sent) !== canonical(stored)) differences.push(describeDifference(name, sent, stored, canonical));
  };
  if ('name' in detail) field('name', payload.worker_name, detail.name);
  if ('version' in detail) field('version', payload.version, detail.version);
  if ('type' in detail) field('type', payload.type, detail.type);
  for (const key of ['description', 'repo', 'config', 'readme'] as const) field(key, payload[key], detail[key]);
  field('license', payload.license ?? null, detail.license ?? null);
  field('dependencies', sortedDependencies(payload.dependencies), sortedDependencies(detail.dependencies));
  field('experimental', payload.experimental === true, detail.experimental === true);
  if (payload.tags) field('tags', [...payload.tags].sort(), Array.isArray(detail.tags) ? [...detail.tags].sort() : detail.tags);
  for (const list of ['functions', 'triggers'] as const) {
    if (list in detail) differences.push(...compareEntries(list, payload[list], detail[list]));
  }

  if (payload.type === 'binary') field('supported_targets', Object.keys(payload.binaries).sort(), detail.supported_targets);
  if (payload.type === 'image') field('image', payload.image_tag, detail.image);
  if (payload.type === 'bundle') {
    // The detail of today does not always carry the archive; when it does, it must be ours.
    if ('archive_url' in detail) field('archive_url', payload.archive_url, detail.archive_url);
    if ('sha256' in detail) field('sha256', payload.sha256, detail.sha256);
  }
  return differences;
}

function compareEntries(list: string, sent: { name: string }[], stored: unknown): string[] {
  if (!Array.isArray(stored)) return [`${list}: sent ${sent.length} entries, stored ${shown(stored)}`];
  const storedByName = new Map(stored.map((entry) => [String((entry as { name?: unknown })?.name), entry]));
  const sentNames = new Set(sent.map((entry) => entry.name));
  const missing = sent.filter((entry) => !storedByName.has(entry.name)).map((entry) => entry.name);
  const extra = [...storedByName.keys()].filter((name) => !sentNames.has(name));
  const changed = sent.filter((entry) => storedByName.has(entry.name) && canonical(entry) !== canonical(storedByName.get(entry.name))).map((entry) => entry.name);
  const parts = [
    ...(missing.length ? [`not stored: ${missing.join(', ')}`] : []),
    ...(extra.length ? [`stored but not sent: ${extra.join(', ')}`] : []),
    ...(changed.length ? [`stored differently: ${changed.join(', ')}`] : []),
  ];
  return parts.length ? [`${list}: ${parts.join('; ')}`] : [];
}

function sortedDependencies(value: unknown): unknown {
  if (!Array.isArray(value)) return value ?? [];
  const key = (entry: unknown) => `${(entry as { name?: unknown })?.name}\u0000${(entry as { version?: unknown })?.version}`;
  return [...value].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** JSON with sorted keys, so two objects that differ only in key order compare equal. */
export function canonical(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? 'undefined';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]));
  }
  return value;
}

function shown(value: unknown): string {
  const text = canonical(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
