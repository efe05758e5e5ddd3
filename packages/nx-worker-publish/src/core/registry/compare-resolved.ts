import type { PublishPayload } from '../payload/publish-payload';
import { canonical } from './compare-version';
import { describeDifference } from './describe-difference';

/**
 * The resolved root node against what we sent (spec publish-pipeline-later §6.2, the pipeline's resolve comparison):
 * `name, version, type, repo, config`, dependencies as a `{name: range}` map, and what installs: every binary's url
 * and sha256 per target, the image, or the bundle's archive_url and sha256. This is the check the detail cannot make:
 * a binary's detail names only its targets. One line per difference; empty means equivalent.
 */
export function compareResolved(payload: PublishPayload, node: Record<string, unknown>): string[] {
  const differences: string[] = [];
  const field = (name: string, sent: unknown, stored: unknown) => {
    if (canonical(sent) !== canonical(stored)) differences.push(describeDifference(`resolved ${name}`, sent, stored, canonical));
  };
  field('name', payload.worker_name, node.name);
  field('version', payload.version, node.version);
  field('type', payload.type, node.type);
  field('repo', payload.repo, node.repo);
  field('config', payload.config ?? {}, node.config ?? {});
  field('dependencies', Object.fromEntries(payload.dependencies.map((d) => [d.name, d.version])), node.dependencies ?? {});
  if (payload.type === 'binary') differences.push(...compareBinaries(payload.binaries, node.binaries));
  if (payload.type === 'image') field('image', payload.image_tag, node.image);
  if (payload.type === 'bundle') {
    field('archive_url', payload.archive_url, node.archive_url);
    if (payload.sha256 !== node.sha256) differences.push(`resolved sha256 of the bundle: sent ${payload.sha256}, stored ${String(node.sha256)}`);
  }
  return differences;
}

/** Per target, so the message names the target and both sums. */
function compareBinaries(sent: Record<string, { url: string; sha256: string }>, stored: unknown): string[] {
  if (!stored || typeof stored !== 'object' || Array.isArray(stored)) return [`resolved binaries: sent ${Object.keys(sent).length} targets, stored ${canonical(stored)}`];
  const storedMap = stored as Record<string, { url?: unknown; sha256?: unknown } | undefined>;
  const lines: string[] = [];
  for (const target of Object.keys(sent).sort()) {
    const ours = sent[target];
    const theirs = storedMap[target];
    if (!theirs) {
      lines.push(`resolved binaries.${target}: sent, not stored`);
      continue;
    }
    if (theirs.sha256 !== ours.sha256) lines.push(`resolved binaries.${target}.sha256: sent ${ours.sha256}, stored ${String(theirs.sha256)}`);
    if (theirs.url !== ours.url) lines.push(`resolved binaries.${target}.url: sent ${ours.url}, stored ${String(theirs.url)}`);
  }
  const extra = Object.keys(storedMap).filter((target) => !(target in sent)).sort();
  if (extra.length) lines.push(`resolved binaries: stored but not sent: ${extra.join(', ')}`);
  return lines;
}
