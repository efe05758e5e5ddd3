import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManifestError } from './manifest-error';
import { readWorkerConfig, readWorkerReadme } from './read-worker-files';

describe('readWorkerConfig / readWorkerReadme', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'worker-files-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is {} and "" when the files are absent', () => {
    expect(readWorkerConfig(dir)).toEqual({});
    expect(readWorkerReadme(dir)).toBe('');
  });

  it('is {} for an empty or null config.yaml', () => {
    writeFileSync(join(dir, 'config.yaml'), '# nothing yet\n');
    expect(readWorkerConfig(dir)).toEqual({});
    writeFileSync(join(dir, 'config.yaml'), '~\n');
    expect(readWorkerConfig(dir)).toEqual({});
  });

  it('parses config.yaml and reads README.md verbatim', () => {
    writeFileSync(join(dir, 'config.yaml'), 'width: 800\nstrategy: scale-to-fit\nworkers:\n  - name: iii-http\n');
    writeFileSync(join(dir, 'README.md'), '# Image resize\n\nResizes images.\n');
    expect(readWorkerConfig(dir)).toEqual({ width: 800, strategy: 'scale-to-fit', workers: [{ name: 'iii-http' }] });
    expect(readWorkerReadme(dir)).toBe('# Image resize\n\nResizes images.\n');
  });

  it('reports malformed config.yaml with the file and line', () => {
    writeFileSync(join(dir, 'config.yaml'), 'a: 1\nb: [1, 2\n');
    expect(() => readWorkerConfig(dir)).toThrow(ManifestError);
    expect(() => readWorkerConfig(dir)).toThrow(new RegExp(`${join(dir, 'config.yaml')} is not valid YAML at line \\d+`));
  });

  it('rejects a config.yaml that is not a mapping', () => {
    writeFileSync(join(dir, 'config.yaml'), '- a\n- b\n');
    expect(() => readWorkerConfig(dir)).toThrow(/must be a YAML mapping .* got a list/);
  });
});

describe('README.md is checked like the manifest (issue 12 #8)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'worker-readme-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a README that is not UTF-8, naming the file', () => {
    writeFileSync(join(dir, 'README.md'), Buffer.from([0x23, 0x20, 0xc3, 0x28, 0x0a]));
    expect(() => readWorkerReadme(dir)).toThrow(`${join(dir, 'README.md')} is not valid UTF-8: byte 2 (line 1)`);
  });
});
