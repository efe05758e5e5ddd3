import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManifestError } from './manifest-error';
import { readWorkerManifest } from './read-worker-manifest';
import { readWorkerVersion } from './read-worker-version';

describe('readWorkerVersion', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'version-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const worker = (manifestKey: string | undefined, files: Record<string, string>, extraYaml = '') => {
    const dir = join(root, 'w');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'iii.worker.yaml'), `deploy: binary\n${manifestKey ? `manifest: ${manifestKey}\n` : ''}${extraYaml}`);
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return readWorkerManifest(dir);
  };
  const failure = (manifest: ReturnType<typeof worker>): ManifestError => {
    try {
      readWorkerVersion(manifest);
    } catch (error) {
      expect(error).toBeInstanceOf(ManifestError);
      return error as ManifestError;
    }
    throw new Error('expected a ManifestError');
  };

  describe('Cargo.toml', () => {
    it('reads [package] version, not a dependency version or another table', () => {
      const cargo = [
        '# version = "0.0.0-comment"',
        '[workspace]',
        'version = "9.9.9"',
        '',
        '[ package ]  # the crate',
        'name = "skills"',
        'description = """',
        'version = "0.0.1-inside-a-multiline-string"',
        '"""',
        'authors = [',
        '  "a",',
        '  ["b"]',
        ']',
        'version = "0.1.4" # bumped by create-tag',
        '',
        '[package.metadata]',
        'version = "7.7.7"',
        '[dependencies]',
        'serde = { version = "1.0" }',
      ].join('\n');
      expect(readWorkerVersion(worker('Cargo.toml', { 'Cargo.toml': cargo }))).toBe('0.1.4');
    });

    it('reads literal strings and dotted keys', () => {
      expect(readWorkerVersion(worker('Cargo.toml', { 'Cargo.toml': "[package]\nname='x'\nversion = '1.2.3-rc.1'\n" }))).toBe('1.2.3-rc.1');
      expect(readWorkerVersion(worker('Cargo.toml', { 'Cargo.toml': 'package.name = "x"\npackage.version = "2.0.0"\n' }))).toBe('2.0.0');
    });

    it('follows version.workspace = true to [workspace.package]', () => {
      writeFileSync(join(root, 'Cargo.toml'), '[workspace]\nmembers = ["w"]\n\n[workspace.package]\nversion = "3.1.0"\n');
      expect(readWorkerVersion(worker('Cargo.toml', { 'Cargo.toml': '[package]\nname = "w"\nversion.workspace = true\n' }))).toBe('3.1.0');
      expect(readWorkerVersion(worker('Cargo.toml', { 'Cargo.toml': '[package]\nversion = { workspace = true }\n' }))).toBe('3.1.0');
    });

    it('names the file and key when [package] version is missing', () => {
      const manifest = worker('Cargo.toml', { 'Cargo.toml': '[workspace.package]\nversion = "1.0.0"\n[package]\nname = "x"\n' });
      const error = failure(manifest);
      expect(error.file).toBe(join(manifest.dir, 'Cargo.toml'));
      expect(error.key).toBe('package.version');
      expect(error.message).toContain(`${join(manifest.dir, 'Cargo.toml')}: [package] version must be a non-empty string (it is missing)`);
    });
  });

  describe('package.json', () => {
    it('reads version', () => expect(readWorkerVersion(worker('package.json', { 'package.json': '{"name":"x","version":"0.3.0"}' }))).toBe('0.3.0'));
    it('rejects a missing or non-string version', () => {
      const error = failure(worker('package.json', { 'package.json': '{"version": 3}' }));
      expect(error.key).toBe('version');
      expect(error.message).toContain('package.json: "version" must be a non-empty string (got 3)');
    });
    it('rejects invalid JSON naming the file', () => {
      const manifest = worker('package.json', { 'package.json': '{"version": ' });
      expect(failure(manifest).message).toContain(`${join(manifest.dir, 'package.json')} is not valid JSON`);
    });
  });

  describe('pyproject.toml', () => {
    it('reads [project] version', () =>
      expect(readWorkerVersion(worker('pyproject.toml', { 'pyproject.toml': '[build-system]\nrequires = ["hatchling"]\n[project]\nname = "todo"\nversion = "0.2.1"\n' }))).toBe('0.2.1'));
    it('falls back to [tool.poetry] version', () =>
      expect(readWorkerVersion(worker('pyproject.toml', { 'pyproject.toml': '[tool.poetry]\nname = "todo"\nversion = "1.0.0"\n' }))).toBe('1.0.0'));
    it('explains a dynamic version', () => {
      const error = failure(worker('pyproject.toml', { 'pyproject.toml': '[project]\nname = "x"\ndynamic = ["version"]\n' }));
      expect(error.key).toBe('project.version');
      expect(error.message).toContain('dynamic');
    });
    it('names [project] version when missing', () =>
      expect(failure(worker('pyproject.toml', { 'pyproject.toml': '[project]\nname = "x"\n' })).message).toContain('[project] version must be a non-empty string'));
  });

  it('names the language manifest when it does not exist', () => {
    const manifest = worker('Cargo.toml', {});
    const error = failure(manifest);
    expect(error.file).toBe(join(manifest.dir, 'Cargo.toml'));
    expect(error.message).toContain('names `manifest`');
    expect(error.message).toContain('it does not exist');
  });

  it('uses iii.worker.yaml `version` only when no manifest key is set, and otherwise explains', () => {
    expect(readWorkerVersion(worker(undefined, {}, 'version: 0.1.0\n'))).toBe('0.1.0');
    const error = failure(worker(undefined, {}));
    expect(error.key).toBe('manifest');
    expect(error.message).toContain('has no `manifest` key');
  });

  it('is not read by readWorkerManifest (a broken Cargo.toml does not break the manifest)', () => {
    const manifest = worker('Cargo.toml', { 'Cargo.toml': 'garbage' });
    expect(manifest.bin).toBe('w');
    expect(() => readWorkerVersion(manifest)).toThrow(ManifestError);
  });
});
