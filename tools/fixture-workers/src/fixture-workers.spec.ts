import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { crc32 } from 'node:zlib';
import { x as extractTar } from 'tar';
import {
  FIXTURE_WORKERS,
  FIXTURE_WORKERS_DIR,
  RELEASE_TARGETS,
  fixtureBinary,
  layFixtureWorker,
  makeReleaseAssets,
  readFixtureMarkers,
  sha256Hex,
} from './index';

const temps: string[] = [];
const temp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'fixture-workers-'));
  temps.push(dir);
  return dir;
};
afterAll(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('the fixture workers', () => {
  it('has a folder with an iii.worker.yaml for every catalogued fixture, and nothing uncatalogued', () => {
    expect(readdirSync(FIXTURE_WORKERS_DIR).sort()).toEqual(Object.keys(FIXTURE_WORKERS).sort());
    for (const name of Object.keys(FIXTURE_WORKERS)) expect(statSync(join(FIXTURE_WORKERS_DIR, name, 'iii.worker.yaml')).isFile()).toBe(true);
  });

  it('ships only JavaScript that parses', () => {
    const scripts = Object.keys(FIXTURE_WORKERS).flatMap((name) =>
      readdirSync(join(FIXTURE_WORKERS_DIR, name), { recursive: true, encoding: 'utf8' })
        .filter((file) => file.endsWith('.js'))
        .map((file) => join(FIXTURE_WORKERS_DIR, name, file)),
    );
    expect(scripts.length).toBeGreaterThanOrEqual(8);
    for (const file of scripts) expect(() => new Script(readFileSync(file, 'utf8'), { filename: file })).not.toThrow();
  });

  it('bakes the greeting into built-greeter the way its build does, and starts binaries with a node shebang', () => {
    const binary = fixtureBinary('built-greeter', { greeting: 'Say "hi"' }).toString();
    expect(binary.startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(binary).toContain(`const GREETING = 'Say \\"hi\\"';`);
    expect(binary).not.toContain('__GREETING__');
    expect(fixtureBinary('release-echo').toString().startsWith('#!/usr/bin/env node\n')).toBe(true);
  });
});

describe('layFixtureWorker', () => {
  it('copies the files and merges target options into the existing project.json', () => {
    const root = temp();
    const laid = layFixtureWorker(root, 'built-greeter', { targetOptions: { 'collect-interface': { waitSeconds: 5 } } });
    expect(laid).toEqual({ name: 'built-greeter', projectRoot: 'workers/built-greeter', dir: join(root, 'workers/built-greeter') });
    const project = JSON.parse(readFileSync(join(laid.dir, 'project.json'), 'utf8'));
    expect(project.targets.build.command).toBe('node build.js');
    expect(project.targets['collect-interface']).toEqual({ options: { waitSeconds: 5 } });
    expect(readFileSync(join(laid.dir, 'src/main.js'), 'utf8')).toContain('__GREETING__');
  });

  it('creates a project.json named after the fixture when it has none, and honours projectRoot', () => {
    const root = temp();
    const laid = layFixtureWorker(root, 'node-todo', { projectRoot: 'apps/todo', targetOptions: { 'publish-interface': { dryRun: true } } });
    expect(JSON.parse(readFileSync(join(root, 'apps/todo/project.json'), 'utf8'))).toEqual({
      name: 'node-todo',
      targets: { 'publish-interface': { options: { dryRun: true } } },
    });
    expect(laid.projectRoot).toBe('apps/todo');
  });
});

describe('makeReleaseAssets', () => {
  it('makes an archive and a sha256sum line per target, with the binary executable at the archive root', async () => {
    const binary = fixtureBinary('release-echo');
    const set = await makeReleaseAssets({ bin: 'release-echo', binary });
    expect(set.assets).toHaveLength(RELEASE_TARGETS.length * 2);
    for (const target of RELEASE_TARGETS) {
      const archiveName = set.archiveByTarget[target];
      expect(archiveName).toBe(`release-echo-${target}.${target.includes('windows') ? 'zip' : 'tar.gz'}`);
      const archive = set.assets.find((asset) => asset.name === archiveName)!.body;
      expect(set.sha256ByTarget[target]).toBe(sha256Hex(archive));
      const checksum = set.assets.find((asset) => asset.name === `release-echo-${target}.sha256`)!.body.toString();
      expect(checksum).toBe(`${sha256Hex(archive)}  ${archiveName}\n`);
    }

    const dir = temp();
    const tarball = set.assets.find((asset) => asset.name === 'release-echo-x86_64-unknown-linux-gnu.tar.gz')!.body;
    writeFileSync(join(dir, 'a.tar.gz'), tarball);
    await extractTar({ file: join(dir, 'a.tar.gz'), cwd: dir });
    expect(readFileSync(join(dir, 'release-echo')).equals(binary)).toBe(true);
    expect(statSync(join(dir, 'release-echo')).mode & 0o777).toBe(0o755);
  });

  it('writes a well-formed stored zip for Windows targets', async () => {
    const binary = fixtureBinary('release-echo');
    const set = await makeReleaseAssets({ bin: 'release-echo', binary, targets: ['x86_64-pc-windows-msvc'] });
    const zip = set.assets[0].body;
    expect(zip.readUInt32LE(0)).toBe(0x04034b50);
    const nameLength = zip.readUInt16LE(26);
    expect(zip.subarray(30, 30 + nameLength).toString()).toBe('release-echo.exe');
    expect(zip.subarray(30 + nameLength, 30 + nameLength + binary.length).equals(binary)).toBe(true);
    expect(zip.readUInt32LE(14)).toBe(crc32(binary));
    expect(zip.readUInt32LE(zip.length - 22)).toBe(0x06054b50);
  });

  it('can corrupt a checksum or leave an archive out, as broken releases do', async () => {
    const set = await makeReleaseAssets({
      bin: 'b',
      binary: Buffer.from('#!/bin/sh\n'),
      targets: ['x86_64-unknown-linux-gnu', 'aarch64-apple-darwin'],
      wrongChecksums: { 'x86_64-unknown-linux-gnu': 'f'.repeat(64) },
      withoutArchive: ['aarch64-apple-darwin'],
    });
    expect(set.assets.map((asset) => asset.name)).toEqual([
      'b-x86_64-unknown-linux-gnu.tar.gz',
      'b-x86_64-unknown-linux-gnu.sha256',
      'b-aarch64-apple-darwin.sha256',
    ]);
    expect(set.assets[1].body.toString()).toBe(`${'f'.repeat(64)}  b-x86_64-unknown-linux-gnu.tar.gz\n`);
  });
});

test('readFixtureMarkers reads start and build markers', () => {
  const dir = temp();
  writeFileSync(join(dir, 'node-todo.123.started'), JSON.stringify({ cwd: '/ws/workers/node-todo', envNames: ['III_URL'] }));
  writeFileSync(join(dir, 'built-greeter.build.77'), JSON.stringify({ greeting: 'Hello' }));
  writeFileSync(join(dir, 'unrelated.txt'), '');
  expect(readFixtureMarkers(dir).sort((a, b) => a.pid - b.pid)).toEqual([
    { fixture: 'built-greeter', event: 'build', pid: 77, details: { greeting: 'Hello' } },
    { fixture: 'node-todo', event: 'started', pid: 123, details: { cwd: '/ws/workers/node-todo', envNames: ['III_URL'] } },
  ]);
  expect(readFixtureMarkers(join(dir, 'missing'))).toEqual([]);
});
