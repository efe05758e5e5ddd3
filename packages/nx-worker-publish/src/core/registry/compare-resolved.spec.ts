import { resolvedGraph } from '../../../../../tools/registry-server/src/registry-state';
import { buildPublishPayload } from '../payload/build-publish-payload';
import type { PublishPayload } from '../payload/publish-payload';
import { compareResolved } from './compare-resolved';

const payload = (overrides: Partial<Parameters<typeof buildPublishPayload>[0]> = {}): PublishPayload =>
  buildPublishPayload({
    workerName: 'skills',
    version: '0.1.4',
    deploy: 'bundle',
    readme: '',
    repoUrl: 'https://github.com/iii-hq/workers',
    description: 'Skills',
    dependencies: { b: '^1', a: '^2' },
    config: { x: 1 },
    iface: { functions: [{ name: 'f', description: '', request_schema: {}, response_schema: {}, metadata: {} }], triggers: [] },
    bundle: { archiveUrl: 'https://x/skills.tar.gz', sha256: 'a'.repeat(64) },
    manifestLabel: 'skills/iii.worker.yaml',
    ...overrides,
  });

/** The root node the stand-in resolves for a stored payload (spec §6.1). */
const node = (p: PublishPayload) => (resolvedGraph(JSON.parse(JSON.stringify(p))).graph as Record<string, unknown>[])[0];

describe('compareResolved: the resolved root against the payload (spec publish-pipeline-later §6.2)', () => {
  it('equivalent for each deploy type, dependencies compared as a map', () => {
    const bundle = payload();
    expect(compareResolved(bundle, { ...node(bundle), dependencies: { a: '^2', b: '^1' } })).toEqual([]);
    const image = payload({ deploy: 'image', imageTag: 'ghcr.io/x:1', bundle: undefined });
    expect(compareResolved(image, node(image))).toEqual([]);
    const binary = payload({ deploy: 'binary', binaries: { t1: { url: 'https://x/t1.tar.gz', sha256: 'b'.repeat(64) } }, bundle: undefined });
    expect(compareResolved(binary, node(binary))).toEqual([]);
  });

  it('a bundle with another sha256 names both sums', () => {
    const bundle = payload();
    expect(compareResolved(bundle, { ...node(bundle), sha256: 'c'.repeat(64) })).toEqual([`resolved sha256 of the bundle: sent ${'a'.repeat(64)}, stored ${'c'.repeat(64)}`]);
  });

  it('binaries: another url, a missing and an extra target are each named', () => {
    const binary = payload({
      deploy: 'binary',
      binaries: { t1: { url: 'https://x/t1.tar.gz', sha256: 'b'.repeat(64) }, t2: { url: 'https://x/t2.tar.gz', sha256: 'b'.repeat(64) } },
      bundle: undefined,
    });
    const stored = { ...node(binary), binaries: { t1: { url: 'https://y/t1.tar.gz', sha256: 'b'.repeat(64) }, t3: { url: 'https://x/t3', sha256: 'd'.repeat(64) } } };
    expect(compareResolved(binary, stored)).toEqual([
      'resolved binaries.t1.url: sent https://x/t1.tar.gz, stored https://y/t1.tar.gz',
      'resolved binaries.t2: sent, not stored',
      'resolved binaries: stored but not sent: t3',
    ]);
  });

  it('another image, repo, config or dependency range is divergent', () => {
    const image = payload({ deploy: 'image', imageTag: 'ghcr.io/x:1', bundle: undefined });
    const differences = compareResolved(image, { ...node(image), image: 'ghcr.io/x:2', repo: 'https://github.com/other/repo', config: {}, dependencies: { a: '^3', b: '^1' } });
    expect(differences.map((line) => line.split(/[: ]/)[1])).toEqual(['repo', 'config', 'dependencies', 'image']);
  });
});
