import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManifestError } from './manifest-error';
import { readYamlFile } from './parse-yaml-file';
import { MAX_WORKER_FILE_ENV, maxWorkerFileBytes } from './read-text-file';

/** A "billion laughs" document: 13 levels of 9 aliases each. */
function aliasBomb(): string {
  let text = 'a: &a [x, x, x, x, x, x, x, x, x]\n';
  let previous = 'a';
  for (let level = 0; level < 12; level++) {
    text += `l${level}: &l${level} [${Array(9).fill(`*${previous}`).join(', ')}]\n`;
    previous = `l${level}`;
  }
  return `${text}deploy: binary\n`;
}

describe('readYamlFile bounds (issue 12 #8)', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'parse-yaml-'));
    file = join(dir, 'iii.worker.yaml');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const failure = (run: () => unknown): ManifestError => {
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(ManifestError);
      return error as ManifestError;
    }
    throw new Error('expected a ManifestError');
  };

  it('refuses a file over the size limit before reading it, naming the file, the limit and how to raise it', () => {
    writeFileSync(file, `deploy: binary\ndescription: ${'x'.repeat(4096)}\n`);
    const error = failure(() => readYamlFile(file, { maxBytes: 1024 }));
    expect(error.file).toBe(file);
    expect(error.message).toContain(`${file} is 0.00 MiB, more than the 0.00 MiB a worker file may have`);
    expect(error.message).toContain(MAX_WORKER_FILE_ENV);
    expect(readYamlFile(file, { maxBytes: 8192 })).toMatchObject({ exists: true });
  });

  it('defaults to 1 MiB, raised by the environment variable', () => {
    expect(maxWorkerFileBytes({})).toBe(1024 * 1024);
    expect(maxWorkerFileBytes({ [MAX_WORKER_FILE_ENV]: '4' })).toBe(4 * 1024 * 1024);
    expect(maxWorkerFileBytes({ [MAX_WORKER_FILE_ENV]: 'lots' })).toBe(1024 * 1024);
  });

  it('refuses an alias bomb as a ManifestError naming the file (not a ReferenceError)', () => {
    writeFileSync(file, aliasBomb());
    const error = failure(() => readYamlFile(file));
    expect(error.message).toContain(`${file} cannot be read: Excessive alias count`);
  });

  it('still reads a manifest that uses a few aliases', () => {
    writeFileSync(file, 'base: &base {width: 800}\nconfig: *base\ndeploy: binary\n');
    expect(readYamlFile(file)).toEqual({ exists: true, value: { base: { width: 800 }, config: { width: 800 }, deploy: 'binary' } });
  });

  it('refuses bytes that are not UTF-8, naming the file, the line and the key', () => {
    writeFileSync(file, Buffer.concat([Buffer.from('deploy: binary\nname: caf\u00e9\ndescription: |\n  Resizes images\n  in '), Buffer.from([0xe9, 0x74, 0xe9]), Buffer.from('\n')]));
    const error = failure(() => readYamlFile(file));
    expect(error.message).toContain(`${file} is not valid UTF-8: byte 64 (line 5, key \`description\`)`);
    expect(error.message).toContain('U+FFFD');
  });

  it('a bad byte on a key line names that key', () => {
    writeFileSync(file, Buffer.concat([Buffer.from('deploy: binary\nname: w'), Buffer.from([0xff]), Buffer.from('\n')]));
    expect(failure(() => readYamlFile(file)).message).toContain('(line 2, key `name`)');
  });
});
