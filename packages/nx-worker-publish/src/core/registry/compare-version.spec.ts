import { versionDetail } from '../../../../../tools/registry-server/src/registry-state';
import { buildPublishPayload } from '../payload/build-publish-payload';
import type { PublishPayload } from '../payload/publish-payload';
import { compareVersion } from './compare-version';
import { compareVersions } from './version-order';

const fn = (name: string, response_schema: Record<string, unknown> = { type: 'string' }) => ({
  name, description: '', request_schema: { type: 'object' }, response_schema, metadata: {},
});

const payload = (overrides: Partial<Parameters<typeof buildPublishPayload>[0]> = {}): PublishPayload =>
  buildPublishPayload({
    workerName: 'skills',
    version: '0.1.4',
    deploy: 'bundle',
    readme: '# skills\n',
    repoUrl: 'https://github.com/iii-hq/workers',
    description: 'Skills',
    license: 'MIT',
    tags: ['zeta', 'alpha'],
    dependencies: { b: '^1', a: '^2' },
    config: { x: { y: 1, z: 2 } },
    iface: { functions: [fn('b::two'), fn('a::one')], triggers: [] },
    bundle: { archiveUrl: 'https://x/skills.tar.gz', sha256: 'a'.repeat(64) },
    manifestLabel: 'skills/iii.worker.yaml',
    ...overrides,
  });

/** The detail as the registry returns it: reordered lists and keys must not count as differences. */
const storedAs = (p: PublishPayload) => {
  const detail = versionDetail(JSON.parse(JSON.stringify(p)), []).worker as Record<string, unknown>;
  return {
    ...detail,
    functions: [...(detail.functions as unknown[])].reverse(),
    dependencies: [...(detail.dependencies as unknown[])].reverse(),
    tags: [...(detail.tags as string[])].reverse(),
    config: { x: { z: 2, y: 1 } },
  };
};

describe('compareVersion (spec publish-pipeline-later §6.2)', () => {
  it('is equivalent regardless of list and key order', () => {
    expect(compareVersion(payload(), storedAs(payload()))).toEqual([]);
  });

  it('names each differing field', () => {
    const stored = { ...storedAs(payload()), description: 'Other', license: null, experimental: true, sha256: 'b'.repeat(64) };
    expect(compareVersion(payload(), stored)).toEqual([
      'description differs at line 1, column 1 (character 1): sent "Skills", stored "Other"',
      'license: sent "MIT", stored null',
      'experimental: sent false, stored true',
      `sha256 differs at line 1, column 1 (character 1): sent "${'a'.repeat(24)}"…, stored "${'b'.repeat(24)}"…`,
    ]);
  });

  it('ignores stored tags when none were sent, and names hidden required fields', () => {
    const noTags = payload({ tags: [] });
    expect(compareVersion(noTags, { ...storedAs(noTags), tags: ['x'] })).toEqual([]);
    const { functions: _f, ...hiding } = storedAs(payload());
    expect(compareVersion(payload(), hiding)).toEqual(['the readback hides required fields: functions']);
  });

  it('compares supported_targets for binaries and image for images', () => {
    const binary = payload({ deploy: 'binary', binaries: { t1: { url: 'https://x/a', sha256: 'c'.repeat(64) } } });
    expect(compareVersion(binary, { ...storedAs(binary), supported_targets: ['t1', 't2'] })).toEqual(['supported_targets: sent ["t1"], stored ["t1","t2"]']);
    const image = payload({ deploy: 'image', imageTag: 'ghcr.io/x:1' });
    expect(compareVersion(image, { ...storedAs(image), image: 'ghcr.io/x:2' })).toEqual(['image differs at line 1, column 11 (character 11): sent "ghcr.io/x:1", stored "ghcr.io/x:2"']);
  });
});

describe('compareVersions (release order)', () => {
  it.each([
    ['0.1.3', '0.1.4', -1],
    ['0.2.0', '0.1.9', 1],
    ['1.0.0-rc.1', '1.0.0', -1],
    ['1.0.0-rc.2', '1.0.0-rc.10', -1],
    ['1.0.0-beta', '1.0.0-rc.1', -1],
    ['1.0.0-experimental', '1.0.0-alpha', -1],
    ['1.2.3', '1.2.3', 0],
  ])('%s vs %s', (a, b, sign) => expect(Math.sign(compareVersions(a, b) ?? NaN)).toBe(sign));

  it('is undefined outside the grammar', () => expect(compareVersions('1.0', '1.0.0')).toBeUndefined());
});

describe('a README changed after publishing (issue 19 item 6)', () => {
  it('names the field and the first differing line and column, not the common prefix', () => {
    const common = Array.from({ length: 40 }, (_, i) => `line ${i + 1} of the readme`).join('\n');
    const sent = payload({ readme: `${common}\nInstall with iii worker add.\n` });
    const stored = { ...storedAs(sent), readme: `${common}\nInstall with cargo.\n` };
    const [line] = compareVersion(sent, stored);
    const position = common.length + '\nInstall with '.length + 1; // 1-based: the "i" of "iii" against the "c" of "cargo"
    expect(line).toBe(`readme differs at line 41, column 14 (character ${position}): sent …"nstall with iii worker add.\\n", stored …"nstall with cargo.\\n"`);
    expect(line).not.toContain('line 1 of the readme');
  });
});
