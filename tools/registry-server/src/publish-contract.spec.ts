import { checkPublishContract } from './publish-contract';

const fn = (name: string) => ({ name, description: '', request_schema: {}, response_schema: {}, metadata: {} });
const trigger = (name: string) => ({ name, description: 'd', invocation_schema: {}, return_schema: {}, metadata: {} });

const binary = (): Record<string, unknown> => ({
  worker_name: 'skills',
  version: '0.1.4',
  type: 'binary',
  readme: '',
  repo: 'https://github.com/iii-hq/workers',
  description: null,
  license: 'Apache-2.0',
  tags: ['agent'],
  dependencies: [{ name: 'helper', version: '' }],
  config: {},
  functions: [fn('skills::list')],
  triggers: [trigger('skills::on-change')],
  experimental: false,
  binaries: { 'x86_64-unknown-linux-gnu': { url: 'https://example.invalid/a.tar.gz', sha256: 'c'.repeat(64) } },
});

const image = (): Record<string, unknown> => {
  const { binaries: _unused, ...rest } = binary();
  return { ...rest, type: 'image', description: 'text', image_tag: 'ghcr.io/iii-hq/skills:0.1.4' };
};

const bundle = (): Record<string, unknown> => {
  const { binaries: _unused, ...rest } = binary();
  return { ...rest, type: 'bundle', archive_url: 'https://example.invalid/skills.tar.gz', sha256: 'd'.repeat(64) };
};

describe('checkPublishContract', () => {
  it('accepts the binary, image and bundle shapes, with or without license and tags', () => {
    expect(checkPublishContract(binary())).toBeUndefined();
    expect(checkPublishContract(image())).toBeUndefined();
    expect(checkPublishContract(bundle())).toBeUndefined();
    const { license: _l, tags: _t, ...bare } = bundle();
    expect(checkPublishContract(bare)).toBeUndefined();
  });

  it('answers duplicate function names the way the real registry did for skills v0.1.2', () => {
    const payload = { ...binary(), functions: ['list', 'a', 'b', 'c', 'list'].map(fn) };
    expect(checkPublishContract(payload)).toBe('functions[4].name: duplicate of functions[0]');
  });

  it.each<[string, (p: Record<string, unknown>) => void, string]>([
    ['a channel inside the payload', (p) => (p.tag = 'next'), 'tag: unknown field (the channel is moved with PUT /w/<worker>/tags/<tag>, not published)'],
    ['a missing field', (p) => delete p.config, 'config: missing'],
    ['a missing experimental', (p) => delete p.experimental, 'experimental: missing'],
    ['a string experimental (the 422 of the badge)', (p) => (p.experimental = 'true'), 'experimental: expected a boolean, got string'],
    ['tags that are not a list', (p) => (p.tags = 'agent'), 'tags: expected an array of strings, got string'],
    ['a non-string tag', (p) => (p.tags = ['a', 1]), 'tags[1]: expected a string, got number'],
    ['map-form dependencies (the 422 of commit 435f889)', (p) => (p.dependencies = { helper: '^1' }), 'dependencies: expected an array of {name, version}, got object'],
    ['a dependency without version', (p) => (p.dependencies = [{ name: 'x' }]), 'dependencies[0].version: expected a string, got undefined'],
    ['an array config', (p) => (p.config = []), 'config: expected an object, got array'],
    ['a numeric version', (p) => (p.version = 1), 'version: expected a string, got number'],
    ['an unknown type', (p) => (p.type = 'wasm'), 'type: expected "binary", "image" or "bundle"'],
    ['a null schema', (p) => ((p.functions as Record<string, unknown>[])[0].response_schema = null), 'functions[0].response_schema: expected an object, got null'],
    ['a trigger without return_schema', (p) => delete (p.triggers as Record<string, unknown>[])[0].return_schema, 'triggers[0].return_schema: expected an object, got undefined'],
    ['empty binaries', (p) => (p.binaries = {}), 'binaries: must not be empty for type binary'],
    ['a short sha256', (p) => (p.binaries = { t: { url: 'https://x/a', sha256: 'abc' } }), 'binaries.t.sha256: expected 64 lowercase hex characters'],
    ['an image_tag on a binary', (p) => (p.image_tag = 'x'), 'image_tag: not allowed for type binary'],
    ['an archive_url on a binary', (p) => (p.archive_url = 'https://x/a.tar.gz'), 'archive_url: not allowed for type binary'],
    ['an unknown field', (p) => (p.extra = 1), 'extra: unknown field'],
  ])('rejects %s', (_case, mutate, expected) => {
    const payload = binary();
    mutate(payload);
    expect(checkPublishContract(payload)).toBe(expected);
  });

  it('requires image_tag and forbids binaries for an image', () => {
    const { image_tag: _unused, ...withoutTag } = image();
    expect(checkPublishContract(withoutTag)).toBe('image_tag: expected a string, got undefined');
    expect(checkPublishContract({ ...image(), binaries: binary().binaries })).toBe('binaries: not allowed for type image');
  });

  it('requires archive_url and sha256 for a bundle, and forbids binaries and image_tag', () => {
    const { archive_url: _a, ...withoutUrl } = bundle();
    expect(checkPublishContract(withoutUrl)).toBe('archive_url: expected a string, got undefined');
    const { sha256: _s, ...withoutSha } = bundle();
    expect(checkPublishContract(withoutSha)).toBe('sha256: expected a string, got undefined');
    expect(checkPublishContract({ ...bundle(), sha256: 'x' })).toBe('sha256: expected 64 lowercase hex characters');
    expect(checkPublishContract({ ...bundle(), archive_url: 'ftp://x' })).toBe('archive_url: expected an http(s) URL');
    expect(checkPublishContract({ ...bundle(), binaries: binary().binaries })).toBe('binaries: not allowed for type bundle');
    expect(checkPublishContract({ ...bundle(), image_tag: 'x' })).toBe('image_tag: not allowed for type bundle');
  });

  it('rejects a body that is not an object', () => {
    expect(checkPublishContract([])).toBe('(body): expected a JSON object, got array');
  });
});
