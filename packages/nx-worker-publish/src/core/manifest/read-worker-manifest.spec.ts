import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManifestError } from './manifest-error';
import { readWorkerManifest } from './read-worker-manifest';

describe('readWorkerManifest', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'manifest-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const worker = (yaml: string, folder = 'image-resize') => {
    const dir = join(root, folder);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'iii.worker.yaml'), yaml);
    return dir;
  };
  const failure = (dir: string): ManifestError => {
    try {
      readWorkerManifest(dir);
    } catch (error) {
      expect(error).toBeInstanceOf(ManifestError);
      return error as ManifestError;
    }
    throw new Error('expected a ManifestError');
  };

  it('reads a Rust binary worker (image-resize at HEAD)', () => {
    const dir = worker(
      [
        'iii: v1',
        'name: image-resize',
        'language: rust',
        'deploy: binary',
        'manifest: Cargo.toml',
        'bin: image-resize',
        'description: III engine image resize worker',
        'dependencies:',
        '  models-catalog: "^0.1.0"',
      ].join('\n'),
    );
    const manifest = readWorkerManifest(dir);
    expect(manifest).toMatchObject({
      dir,
      file: join(dir, 'iii.worker.yaml'),
      folderName: 'image-resize',
      name: 'image-resize',
      deploy: 'binary',
      bin: 'image-resize',
      language: 'rust',
      manifest: 'Cargo.toml',
      description: 'III engine image resize worker',
      dependencies: { 'models-catalog': '^0.1.0' },
      scripts: {},
      env: {},
    });
    expect(manifest.runtime).toBeUndefined();
    expect(manifest.raw.iii).toBe('v1');
  });

  it('reads runtime, scripts and env (todo-worker shape)', () => {
    const dir = worker(
      [
        'name: todo-worker',
        'version: 0.1.0',
        'language: node',
        'deploy: image',
        'manifest: package.json',
        'env: {III_URL: "ws://localhost:49134", PORT: 8080, DEBUG: true, EMPTY: }',
        'runtime: {language: typescript, entry: src/index.ts, package_manager: npm}',
        'resources: {memory: 256, cpus: 1}',
        'scripts: {install: "npm install", start: "npm run dev", setup: "  "}',
      ].join('\n'),
      'todo-worker',
    );
    const manifest = readWorkerManifest(dir);
    expect(manifest.runtime).toEqual({ kind: undefined, language: 'typescript', entry: 'src/index.ts', packageManager: 'npm' });
    expect(manifest.scripts).toEqual({ install: 'npm install', start: 'npm run dev' });
    expect(manifest.env).toEqual({ III_URL: 'ws://localhost:49134', PORT: '8080', DEBUG: 'true', EMPTY: '' });
    expect(manifest.raw.resources).toEqual({ memory: 256, cpus: 1 });
  });

  describe('bin = bin ?? name ?? folder', () => {
    it('prefers bin', () => expect(readWorkerManifest(worker('deploy: binary\nname: mcp\nbin: iii-mcp\n', 'mcp')).bin).toBe('iii-mcp'));
    it('falls back to name', () => expect(readWorkerManifest(worker('deploy: binary\nname: skills-x\n', 'skills')).bin).toBe('skills-x'));
    it('falls back to the folder, also for empty values', () =>
      expect(readWorkerManifest(worker('deploy: binary\nname: ""\nbin:\n', 'skills')).bin).toBe('skills'));
    it('uses opts.folderName over the directory name', () =>
      expect(readWorkerManifest(worker('deploy: binary\n', 'checkout-dir'), { folderName: 'skills' })).toMatchObject({
        folderName: 'skills',
        bin: 'skills',
      }));
    it('refuses a bin that is not a plain file name, naming the key', () => {
      const error = failure(worker('deploy: binary\nbin: ../evil\n'));
      expect(error.key).toBe('bin');
      expect(error.message).toContain('iii.worker.yaml');
      expect(error.message).toContain('"../evil"');
    });
  });

  describe('description', () => {
    it('is empty when absent', () => expect(readWorkerManifest(worker('deploy: image\n')).description).toBe(''));
    it('is null when the key is present without a value', () =>
      expect(readWorkerManifest(worker('deploy: image\ndescription:\n')).description).toBeNull());
    it('must be a string', () => {
      const error = failure(worker('deploy: image\ndescription: [a]\n'));
      expect(error.key).toBe('description');
      expect(error.message).toMatch(/`description` must be a string \(got a list\)/);
    });
  });

  describe('deploy', () => {
    it.each([
      ['deploy: wasm\n', /got string "wasm"/],
      ['deploy: 3\n', /got number 3/],
    ])('rejects %j naming the file, the key and the allowed values', (yaml, got) => {
      const dir = worker(yaml);
      const error = failure(dir);
      expect(error.key).toBe('deploy');
      expect(error.file).toBe(join(dir, 'iii.worker.yaml'));
      expect(error.message).toContain(join(dir, 'iii.worker.yaml'));
      expect(error.message).toContain('`deploy` must be one of binary, image, bundle');
      expect(error.message).toMatch(got);
    });
  });

  it('reads a manifest without deploy (a test harness, an example) as not deployed', () => {
    expect(readWorkerManifest(worker('name: harness\nscripts:\n  start: npm run dev\n')).deploy).toBeUndefined();
  });

  it('rejects an unknown language manifest, listing the allowed ones', () => {
    const error = failure(worker('deploy: binary\nmanifest: go.mod\n'));
    expect(error.key).toBe('manifest');
    expect(error.message).toContain('`manifest` must be one of Cargo.toml, package.json, pyproject.toml (got string "go.mod")');
  });

  it.each([
    ['name: [a]\n', 'name'],
    ['language: {a: 1}\n', 'language'],
    ['runtime: typescript\n', 'runtime'],
    ['runtime: {entry: 3}\n', 'runtime.entry'],
    ['runtime: {package_manager: [npm]}\n', 'runtime.package_manager'],
    ['scripts: npm start\n', 'scripts'],
    ['scripts: {start: [npm, start]}\n', 'scripts.start'],
    ['env: [A]\n', 'env'],
    ['env: {A: {b: 1}}\n', 'env.A'],
  ])('rejects %j naming the key %s', (yaml, key) => {
    const dir = worker(`deploy: binary\n${yaml}`);
    const error = failure(dir);
    expect(error.key).toBe(key);
    expect(error.message).toContain(`\`${key}\``);
    expect(error.message).toContain(join(dir, 'iii.worker.yaml'));
  });

  it('explains a missing iii.worker.yaml', () => {
    const dir = join(root, 'empty');
    mkdirSync(dir);
    const error = failure(dir);
    expect(error.file).toBe(join(dir, 'iii.worker.yaml'));
    expect(error.message).toContain(`No iii.worker.yaml in ${dir}`);
  });

  it('reports malformed YAML with the file and the line', () => {
    const dir = worker('name: x\ndeploy: binary\nscripts: {start: "a"\nbin: y\n');
    const error = failure(dir);
    expect(error.message).toContain(join(dir, 'iii.worker.yaml'));
    expect(error.message).toMatch(/is not valid YAML at line \d+, column \d+/);
  });

  it('reports duplicate keys as invalid YAML at their line', () => {
    const error = failure(worker('deploy: binary\nname: a\nname: b\n'));
    expect(error.message).toMatch(/at line 3, column 1: Map keys must be unique/);
  });

  it('rejects a YAML file that is not a mapping', () => {
    expect(failure(worker('- deploy: binary\n')).message).toContain('must be a YAML mapping');
    expect(failure(worker('')).message).toContain('got null');
  });

  describe('the keys of today (spec publish-pipeline-later §1.1, §3.2)', () => {
    it('reads a JavaScript bundle worker (claude-code)', () => {
      const dir = worker(
        [
          'name: claude-code',
          'language: javascript',
          'deploy: bundle',
          'manifest: package.json',
          'license: Apache-2.0',
          'experimental: true',
          'tags: [agent, coding]',
          'runtime: {kind: javascript}',
          'scripts: {start: node ./index.mjs}',
        ].join('\n'),
        'claude-code',
      );
      expect(readWorkerManifest(dir)).toMatchObject({
        deploy: 'bundle',
        language: 'javascript',
        license: 'Apache-2.0',
        experimental: true,
        tags: ['agent', 'coding'],
        scripts: { start: 'node ./index.mjs' },
      });
    });

    it('defaults: no license, experimental false, no tags, no inline config', () => {
      const manifest = readWorkerManifest(worker('deploy: binary\n'));
      expect(manifest.license).toBeUndefined();
      expect(manifest.experimental).toBe(false);
      expect(manifest.tags).toEqual([]);
      expect(manifest.config).toBeUndefined();
    });

    // The fixtures of the manifest-era builder's tests: strip, lower-case, first-seen dedupe, omitted when empty.
    it.each<[string, string, string[]]>([
      ['stripped and lower-cased', 'tags: ["  Agent ", SEARCH]', ['agent', 'search']],
      ['de-duplicated in first-seen order, not sorted', 'tags: [zeta, Alpha, ZETA, alpha, beta]', ['zeta', 'alpha', 'beta']],
      ['blank entries dropped', 'tags: ["", "  ", ok]', ['ok']],
      ['an empty list', 'tags: []', []],
      ['null', 'tags:', []],
    ])('tags: %s', (_case, line, expected) => {
      expect(readWorkerManifest(worker(`deploy: binary\n${line}\n`)).tags).toEqual(expected);
    });

    it.each<[string, string, RegExp, string]>([
      ['a string', "tags: ''", /`tags` must be a list, got string ""/, 'tags'],
      ['a comma string', 'tags: agent, search', /`tags` must be a list, got string "agent, search"/, 'tags'],
      ['a mapping', 'tags: {a: 1}', /`tags` must be a list, got a mapping/, 'tags'],
      ['a number entry', 'tags: [agent, 2024]', /tags entries must be strings, but `tags\[1\]` is number 2024/, 'tags[1]'],
      ['a list entry', 'tags: [[a]]', /tags entries must be strings, but `tags\[0\]` is a list/, 'tags[0]'],
    ])('tags: %s is an error naming the file and key', (_case, line, message, key) => {
      const error = failure(worker(`deploy: binary\n${line}\n`));
      expect(error.message).toMatch(message);
      expect(error.message).toContain(error.file);
      expect(error.key).toBe(key);
    });

    it('experimental must be a real boolean', () => {
      expect(readWorkerManifest(worker('deploy: binary\nexperimental: false\n')).experimental).toBe(false);
      const error = failure(worker('deploy: binary\nexperimental: "true"\n'));
      expect(error.message).toMatch(/`experimental` must be true or false \(got string "true"\)/);
      expect(error.key).toBe('experimental');
    });

    it('reads an inline config mapping; null is absent; anything else is an error', () => {
      expect(readWorkerManifest(worker('deploy: binary\nconfig: {adapter: {name: local}}\n')).config).toEqual({ adapter: { name: 'local' } });
      expect(readWorkerManifest(worker('deploy: binary\nconfig:\n')).config).toBeUndefined();
      for (const line of ['config: [a]', 'config: 3', 'config: text']) {
        const error = failure(worker(`deploy: binary\n${line}\n`));
        expect(error.message).toMatch(/worker config must be an object/);
        expect(error.key).toBe('config');
      }
    });

    it('license must be a string', () => {
      expect(failure(worker('deploy: binary\nlicense: [MIT]\n')).key).toBe('license');
    });
  });
});
