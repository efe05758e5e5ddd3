import { markdownSummary, summarizePayload } from './summarize-payload';
import type { BinaryPublishPayload, BundlePublishPayload, ImagePublishPayload } from './publish-payload';

const common = {
  worker_name: 'skills',
  version: '0.1.4',
  readme: '# skills',
  repo: 'https://github.com/iii-hq/workers',
  description: '',
  dependencies: [],
  config: {},
  functions: [
    { name: 'skills::list', description: 'List skills', request_schema: {}, response_schema: {}, metadata: {} },
    { name: 'prompts::list', description: 'List | prompts\nfrom disk', request_schema: {}, response_schema: {}, metadata: {} },
  ],
  triggers: [{ name: 'skills::on-change', description: 'A skill changed', invocation_schema: {}, return_schema: {}, metadata: {} }],
  experimental: false,
};
const sha = 'b'.repeat(64);
const binary: BinaryPublishPayload = {
  ...common,
  type: 'binary',
  binaries: {
    'x86_64-unknown-linux-gnu': { url: 'https://x/a.tar.gz', sha256: sha },
    'aarch64-apple-darwin': { url: 'https://x/b.tar.gz', sha256: sha },
  },
};
const image: ImagePublishPayload = { ...common, type: 'image', triggers: [], image_tag: 'ghcr.io/iii-hq/skills:0.1.4' };
const bundle: BundlePublishPayload = {
  ...common,
  type: 'bundle',
  license: 'MIT',
  tags: ['agent'],
  experimental: true,
  archive_url: 'https://x/skills.tar.gz',
  sha256: sha,
};

describe('summarizePayload', () => {
  it('lists worker, version, type, counts and binary targets, and no channel', () => {
    expect(summarizePayload(binary)).toEqual([
      'worker:    skills',
      'version:   0.1.4',
      'type:      binary',
      'functions: 2 functions',
      'triggers:  1 trigger',
      'binaries:  2 targets: x86_64-unknown-linux-gnu, aarch64-apple-darwin',
    ]);
  });

  it('names the image for an image deploy', () => {
    const lines = summarizePayload(image);
    expect(lines).toContain('image:     ghcr.io/iii-hq/skills:0.1.4');
    expect(lines).toContain('triggers:  0 triggers');
  });

  it('names the archive, license, tags and the experimental badge of a bundle', () => {
    const lines = summarizePayload(bundle);
    expect(lines).toContain(`bundle:    https://x/skills.tar.gz (sha256 ${'b'.repeat(12)}…)`);
    expect(lines).toContain('license:   MIT');
    expect(lines).toContain('tags:      agent');
    expect(lines).toContain('experimental: true');
  });
});

describe('markdownSummary', () => {
  it('tables the functions and triggers, escaping pipes and newlines in descriptions', () => {
    const md = markdownSummary(binary, ['published skills 0.1.4 (new)', 'channel next: 0.1.3 → 0.1.4']);
    expect(md).toContain('### skills 0.1.4 (binary)');
    expect(md).toContain('- published skills 0.1.4 (new)\n- channel next: 0.1.3 → 0.1.4');
    expect(md).toContain('Binaries: 2 targets: x86_64-unknown-linux-gnu, aarch64-apple-darwin');
    expect(md).toContain('| function | description |');
    expect(md).toContain('| `skills::list` | List skills |');
    expect(md).toContain('| `prompts::list` | List \\| prompts from disk |');
    expect(md).toContain('| `skills::on-change` | A skill changed |');
  });

  it('says so when there are no triggers, and names the image', () => {
    const md = markdownSummary(image, []);
    expect(md).toContain('Image: ghcr.io/iii-hq/skills:0.1.4');
    expect(md).toContain('No triggers.');
  });
});
