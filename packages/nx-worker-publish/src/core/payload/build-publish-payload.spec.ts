import type { WorkerInterface } from '../interface/worker-interface';
import { buildPublishPayload, type PublishPayloadInput } from './build-publish-payload';
import { PayloadError } from './payload-error';
import { serializePayload } from './serialize-payload';

const SHA = 'a'.repeat(64);

const iface: WorkerInterface = {
  functions: [
    {
      name: 'image_resize::resize',
      description: 'Resize an image',
      request_schema: { type: 'object', properties: { width: { type: 'integer' } } },
      response_schema: {},
      metadata: { registry_name: 'image_resize::resize' },
    },
  ],
  triggers: [
    { name: 'image_resize::on-upload', description: '', invocation_schema: {}, return_schema: {}, metadata: {} },
  ],
};

const binaryInput: PublishPayloadInput = {
  workerName: 'image-resize',
  version: '0.1.8',
  deploy: 'binary',
  readme: '# image-resize\n',
  repoUrl: 'https://github.com/iii-hq/workers',
  description: 'Resizes images',
  dependencies: { 'models-catalog': '^0.1.0' },
  config: { max_width: 4096 },
  iface,
  binaries: {
    'x86_64-unknown-linux-gnu': {
      url: 'https://github.com/iii-hq/workers/releases/download/image-resize/v0.1.8/image-resize-x86_64-unknown-linux-gnu.tar.gz',
      sha256: SHA,
    },
  },
  manifestLabel: 'image-resize/iii.worker.yaml',
};

const imageInput: PublishPayloadInput = {
  ...binaryInput,
  workerName: 'todo-worker',
  version: '0.2.0',
  deploy: 'image',
  description: undefined,
  dependencies: null,
  config: null,
  binaries: undefined,
  imageTag: 'ghcr.io/iii-hq/todo-worker:0.2.0',
  manifestLabel: 'todo-worker/iii.worker.yaml',
};

const COMMON_KEYS = ['worker_name', 'version', 'type', 'readme', 'repo', 'description', 'dependencies', 'config', 'functions', 'triggers', 'experimental'];

const bundleInput: PublishPayloadInput = {
  ...binaryInput,
  workerName: 'claude-code',
  version: '0.3.1',
  deploy: 'bundle',
  binaries: undefined,
  license: 'Apache-2.0',
  tags: ['agent', 'coding'],
  experimental: true,
  bundle: { archiveUrl: 'https://github.com/iii-hq/workers/releases/download/claude-code/v0.3.1/claude-code.tar.gz', sha256: SHA },
  manifestLabel: 'claude-code/iii.worker.yaml',
};

describe('buildPublishPayload', () => {
  it('builds the binary payload with exactly the registry fields', () => {
    const payload = buildPublishPayload(binaryInput);
    expect(payload).toEqual({
      worker_name: 'image-resize',
      version: '0.1.8',
      type: 'binary',
      readme: '# image-resize\n',
      repo: 'https://github.com/iii-hq/workers',
      description: 'Resizes images',
      dependencies: [{ name: 'models-catalog', version: '^0.1.0' }],
      config: { max_width: 4096 },
      functions: iface.functions,
      triggers: iface.triggers,
      experimental: false,
      binaries: {
        'x86_64-unknown-linux-gnu': {
          url: 'https://github.com/iii-hq/workers/releases/download/image-resize/v0.1.8/image-resize-x86_64-unknown-linux-gnu.tar.gz',
          sha256: SHA,
        },
      },
    });
    expect(Object.keys(payload)).toEqual([...COMMON_KEYS, 'binaries']);
  });

  it('builds the image payload with image_tag and no binaries', () => {
    const payload = buildPublishPayload(imageInput);
    expect(payload).toEqual({
      worker_name: 'todo-worker',
      version: '0.2.0',
      type: 'image',
      readme: '# image-resize\n',
      repo: 'https://github.com/iii-hq/workers',
      description: '',
      dependencies: [],
      config: {},
      functions: iface.functions,
      triggers: iface.triggers,
      experimental: false,
      image_tag: 'ghcr.io/iii-hq/todo-worker:0.2.0',
    });
    expect(Object.keys(payload)).toEqual([...COMMON_KEYS, 'image_tag']);
  });

  it('ignores binaries on an image deploy and an image tag on a binary deploy', () => {
    expect(Object.keys(buildPublishPayload({ ...imageInput, binaries: binaryInput.binaries }))).not.toContain('binaries');
    expect(Object.keys(buildPublishPayload({ ...binaryInput, imageTag: 'x:1' }))).not.toContain('image_tag');
  });

  it('never carries a channel: the version is immutable and the channel moves separately', () => {
    for (const input of [binaryInput, imageInput, bundleInput]) {
      const payload = buildPublishPayload(input) as unknown as Record<string, unknown>;
      for (const key of ['tag', 'channel', 'registry_tag']) expect(payload).not.toHaveProperty(key);
    }
  });

  it('builds the bundle payload with top-level archive_url and sha256, license, tags and experimental', () => {
    const payload = buildPublishPayload(bundleInput);
    expect(payload).toMatchObject({
      type: 'bundle',
      license: 'Apache-2.0',
      tags: ['agent', 'coding'],
      experimental: true,
      archive_url: 'https://github.com/iii-hq/workers/releases/download/claude-code/v0.3.1/claude-code.tar.gz',
      sha256: SHA,
    });
    expect(Object.keys(payload)).toEqual([
      'worker_name', 'version', 'type', 'readme', 'repo', 'description', 'license', 'tags', 'dependencies', 'config',
      'functions', 'triggers', 'experimental', 'archive_url', 'sha256',
    ]);
    expect(payload).not.toHaveProperty('binaries');
    expect(payload).not.toHaveProperty('image_tag');
  });

  it.each([
    ['no bundle at all', undefined, /^deploy=bundle requires archive_url and sha256/],
    ['an empty archive_url', { archiveUrl: '', sha256: SHA }, /^deploy=bundle requires archive_url and sha256/],
    ['an empty sha256', { archiveUrl: 'https://x/claude-code.tar.gz', sha256: '' }, /^deploy=bundle requires archive_url and sha256/],
    ['a short sha256', { archiveUrl: 'https://x/claude-code.tar.gz', sha256: 'abc' }, /must be 64 lowercase hex characters, got "abc"/],
  ])('requires both bundle fields: %s', (_case, bundle, message) => {
    expect(() => buildPublishPayload({ ...bundleInput, bundle })).toThrow(message);
  });

  it('omits tags when there are none and license when the manifest has none', () => {
    const payload = buildPublishPayload({ ...bundleInput, tags: [], license: undefined });
    expect(payload).not.toHaveProperty('tags');
    expect(payload).not.toHaveProperty('license');
  });

  it('sends experimental as a real boolean, false when unset', () => {
    expect(buildPublishPayload({ ...binaryInput, experimental: undefined }).experimental).toBe(false);
    expect(buildPublishPayload({ ...binaryInput, experimental: true }).experimental).toBe(true);
  });

  describe('requireImageDigest', () => {
    const digest = `ghcr.io/iii-hq/todo-worker@sha256:${'e'.repeat(64)}`;
    it('accepts a tag reference when off, and a digest-pinned one when on', () => {
      expect(buildPublishPayload(imageInput)).toMatchObject({ image_tag: 'ghcr.io/iii-hq/todo-worker:0.2.0' });
      expect(buildPublishPayload({ ...imageInput, imageTag: digest, requireImageDigest: true })).toMatchObject({ image_tag: digest });
    });
    it('refuses a tag reference when on, naming the image and the fix', () => {
      const run = () => buildPublishPayload({ ...imageInput, requireImageDigest: true });
      expect(run).toThrow(/^image publication requires a digest-pinned image_tag \(requireImageDigest is on\), but imageTag is "ghcr\.io\/iii-hq\/todo-worker:0\.2\.0"/);
      expect(() => buildPublishPayload({ ...imageInput, imageTag: 'ghcr.io/x@sha256:abc', requireImageDigest: true })).toThrow(PayloadError);
    });
  });

  it.each([
    ['absent', undefined, ''],
    ['present but empty (YAML null)', null, null],
    ['an empty string', '', ''],
    ['a value', 'Resizes images', 'Resizes images'],
  ])('description %s → %p', (_case, raw, expected) => {
    expect(buildPublishPayload({ ...binaryInput, description: raw }).description).toBe(expected);
  });

  it('rejects a description that is not text, naming the manifest', () => {
    expect(() => buildPublishPayload({ ...binaryInput, description: ['a'] })).toThrow(
      /`description` in image-resize\/iii\.worker\.yaml must be text/,
    );
  });

  it('requires imageTag for an image deploy and names the option', () => {
    const run = () => buildPublishPayload({ ...imageInput, imageTag: undefined });
    expect(run).toThrow(PayloadError);
    expect(run).toThrow(/^deploy=image requires imageTag/);
    expect(run).toThrow(/Pass the `imageTag` option/);
    expect(() => buildPublishPayload({ ...imageInput, imageTag: '' })).toThrow(/deploy=image requires imageTag/);
  });

  it('requires non-empty binaries for a binary deploy', () => {
    expect(() => buildPublishPayload({ ...binaryInput, binaries: {} })).toThrow(/^deploy=binary requires non-empty binaries/);
    expect(() => buildPublishPayload({ ...binaryInput, binaries: undefined })).toThrow(PayloadError);
  });

  it('rejects an unknown deploy type', () => {
    expect(() => buildPublishPayload({ ...binaryInput, deploy: 'wasm' as 'binary' })).toThrow(/must be "binary", "image" or "bundle", got "wasm"/);
  });

  it('carries dependency errors with the manifest label', () => {
    expect(() => buildPublishPayload({ ...binaryInput, dependencies: 'helper' })).toThrow(/`dependencies` in image-resize\/iii\.worker\.yaml/);
  });

  it('does not share arrays with the interface it was built from', () => {
    const payload = buildPublishPayload(binaryInput);
    payload.functions.push({ ...iface.functions[0], name: 'extra' });
    expect(iface.functions).toHaveLength(1);
  });
});

describe('serializePayload', () => {
  it('writes 2-space JSON in field order with a trailing newline, the same bytes every time', () => {
    const text = serializePayload(buildPublishPayload(binaryInput));
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.startsWith('{\n  "worker_name": "image-resize",\n  "version": "0.1.8",\n  "type": "binary",\n')).toBe(true);
    expect(serializePayload(buildPublishPayload(binaryInput))).toBe(text);
    expect(JSON.parse(text)).toEqual(buildPublishPayload(binaryInput));
  });
});
