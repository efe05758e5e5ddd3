import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readWorkerSdk } from './read-worker-sdk';

let root: string;
beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'sdk-version-'))));
afterEach(() => rmSync(root, { recursive: true, force: true }));

const write = (files: Record<string, string>) => {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
};
const read = (worker = 'workers/w') => readWorkerSdk(join(root, worker), root);

const CARGO_TOML = (crate: string, requirement: string) => `[package]\nname = "${crate}"\nversion = "0.1.0"\n\n[dependencies]\niii-sdk = ${requirement}\nserde = "1"\n`;
const lockPackage = (name: string, version: string, dependencies: string[] = []) =>
  `[[package]]\nname = "${name}"\nversion = "${version}"\n${dependencies.length ? `dependencies = [\n${dependencies.map((d) => ` "${d}",`).join('\n')}\n]\n` : ''}\n`;

describe('Rust', () => {
  it('reads the one iii-sdk a Cargo.lock holds', () => {
    write({ 'workers/w/Cargo.toml': CARGO_TOML('w', '"=0.11.3"'), 'workers/w/Cargo.lock': `version = 4\n\n${lockPackage('iii-sdk', '0.11.3')}${lockPackage('w', '0.1.0', ['iii-sdk', 'serde'])}` });
    expect(read()).toEqual({ sdk: { language: 'rust', version: '0.11.3', source: 'workers/w/Cargo.lock' } });
  });

  it('picks the worker crate\'s own iii-sdk from a workspace Cargo.lock that holds several', () => {
    const lock =
      lockPackage('iii-sdk', '0.11.3') +
      lockPackage('iii-sdk', '0.26.0-rc.4') +
      lockPackage('old-worker', '0.1.0', ['iii-sdk 0.11.3']) +
      lockPackage('new-worker', '0.1.0', ['iii-sdk 0.26.0-rc.4', 'schemars']);
    write({
      'fixtures/Cargo.lock': lock,
      'fixtures/old/Cargo.toml': CARGO_TOML('old-worker', '"=0.11.3"'),
      'fixtures/new/Cargo.toml': CARGO_TOML('new-worker', '{ version = "=0.26.0-rc.4", default-features = false }'),
    });
    expect(read('fixtures/new')).toEqual({ sdk: { language: 'rust', version: '0.26.0-rc.4', source: 'fixtures/Cargo.lock' } });
    expect(read('fixtures/old')).toEqual({ sdk: { language: 'rust', version: '0.11.3', source: 'fixtures/Cargo.lock' } });
  });

  it('falls back to the Cargo.toml requirement without a lockfile', () => {
    write({ 'workers/w/Cargo.toml': CARGO_TOML('w', '{ version = "=0.25.0" }') });
    expect(read()).toEqual({ sdk: { language: 'rust', version: '0.25.0', source: 'workers/w/Cargo.toml' } });
  });
});

describe('Python', () => {
  it('prefers the version installed in the worker\'s venv', () => {
    write({ 'workers/w/requirements.txt': 'iii-sdk==0.11.3\n', 'workers/w/.venv/lib/python3.11/site-packages/iii_sdk-0.25.0.dist-info/METADATA': '' });
    expect(read().sdk).toMatchObject({ language: 'python', version: '0.25.0' });
  });

  it.each([
    ['uv.lock', `version = 1\n\n${lockPackage('iii-sdk', '0.25.0')}[package.optional-dependencies]\nx = []\n\n${lockPackage('pydantic', '2.13.0')}`],
    ['poetry.lock', `${lockPackage('iii_sdk', '0.25.0')}[package.dependencies]\npydantic = ">=2"\n`],
    ['requirements.txt', '# pinned\npydantic>=2\niii-sdk==0.25.0 ; python_version >= "3.10"\n'],
    ['requirements-dev.txt', 'iii_sdk ~= 0.25.0\n'],
    ['pyproject.toml', '[project]\nname = "w"\ndependencies = ["pydantic>=2", "iii-sdk==0.25.0"]\n'],
    ['pyproject.toml', '[tool.poetry.dependencies]\npython = "^3.11"\niii-sdk = "^0.25.0"\n'],
  ])('reads %s', (file, text) => {
    write({ [`workers/w/${file}`]: text });
    expect(read()).toEqual({ sdk: { language: 'python', version: '0.25.0', source: `workers/w/${file}` } });
  });
});

describe('Node', () => {
  it('reads the installed package Node would load, found upwards', () => {
    write({ 'workers/w/package.json': JSON.stringify({ dependencies: { 'iii-sdk': '^0.22.0' } }), 'node_modules/iii-sdk/package.json': JSON.stringify({ version: '0.22.1' }) });
    expect(read()).toEqual({ sdk: { language: 'node', version: '0.22.1', source: 'node_modules/iii-sdk/package.json' } });
  });

  it('reads the workspace package-lock.json entry, then the package.json range', () => {
    write({
      'workers/w/package.json': JSON.stringify({ dependencies: { 'iii-sdk': '^0.11.0' } }),
      'package-lock.json': JSON.stringify({ packages: { 'workers/w/node_modules/iii-sdk': { version: '0.11.6' }, 'node_modules/iii-sdk': { version: '0.22.1' } } }),
    });
    expect(read().sdk).toEqual({ language: 'node', version: '0.11.6', source: 'package-lock.json' });
    rmSync(join(root, 'package-lock.json'));
    expect(read().sdk).toEqual({ language: 'node', version: '0.11.0', source: 'workers/w/package.json' });
  });

  it('reads the workspace package.json when the SDK is a workspace dependency of a worker without one', () => {
    write({ 'workers/w/package.json': JSON.stringify({ name: 'w' }), 'package.json': JSON.stringify({ devDependencies: { 'iii-sdk': '0.22.1' } }) });
    expect(read().sdk).toEqual({ language: 'node', version: '0.22.1', source: 'package.json' });
  });
});

it('says which files it looked for when nothing names iii-sdk', () => {
  write({ 'workers/w/package.json': JSON.stringify({ dependencies: { ws: '8' } }), 'workers/w/Cargo.toml': '[package]\nname = "w"\n' });
  const reading = read();
  expect(reading.sdk).toBeUndefined();
  expect(reading).toMatchObject({ reason: expect.stringMatching(/^no iii-sdk version found for workers\/w \(looked for Cargo\.lock.*package\.json\)$/) });
});
