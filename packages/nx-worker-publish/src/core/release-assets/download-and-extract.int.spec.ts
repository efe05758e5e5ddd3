import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { downloadReleaseBinary, type DownloadReleaseBinaryOptions } from './download-release-binary';
import { ReleaseAssetError } from './release-asset-error';
import { makeRawTarGz, markerScript, sha256Hex } from './test-support/tarball';

// Download, hash and extraction overlap (issue 13): the archive is extracted into a temporary folder while its bytes
// arrive, and nothing enters the cache before the whole download's sha256 is verified.
jest.setTimeout(30_000);

const TARGET = 'x86_64-unknown-linux-gnu';
const TAG = 'skills/v0.2.0';

let server: Server;
let base: string;
let work: string;
let cacheDir: string;
let marker: string;
let serveArchive: (res: ServerResponse, attempt: number) => void;
let archiveRequests: number;
let checksum: string;

beforeEach(async () => {
  work = mkdtempSync(join(tmpdir(), 'download-and-extract-'));
  cacheDir = join(work, 'cache');
  marker = join(work, 'binary-ran');
  archiveRequests = 0;
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.endsWith('.sha256')) return res.end(`${checksum}  skills-${TARGET}.tar.gz\n`);
    serveArchive(res, ++archiveRequests);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(work, { recursive: true, force: true });
});

const options = (): DownloadReleaseBinaryOptions => ({ releaseBaseUrl: base, tag: TAG, bin: 'skills', target: TARGET, cacheDir, retry: { attempts: 3, baseDelayMs: 5 } });
const listing = (dir: string) => (existsSync(join(cacheDir, dir)) ? readdirSync(join(cacheDir, dir)) : []);
/** Files the running extraction has written so far: `extracted/.tmp-extract-…/<attempt>/<name>`. */
const inProgress = () =>
  listing('extracted')
    .filter((name) => name.startsWith('.tmp-extract-'))
    .flatMap((temp) => readdirSync(join(cacheDir, 'extracted', temp)).flatMap((attempt) => readdirSync(join(cacheDir, 'extracted', temp, attempt))));
const until = async (condition: () => boolean, ms = 5000) => {
  for (const end = Date.now() + ms; Date.now() < end && !condition(); ) await new Promise((r) => setTimeout(r, 10));
  return condition();
};
// Incompressible, so the first half of the .tar.gz really carries most of it.
const payload = randomBytes(2 * 1024 * 1024);
const archive = () => makeRawTarGz([{ path: 'payload.bin', content: payload }, { path: 'skills', content: markerScript(marker), mode: 0o755 }]);

it('extracts while the bytes arrive: the first entry is on disk before the last byte is sent, and enters the cache only after the hash', async () => {
  const body = archive();
  checksum = sha256Hex(body);
  const seenMidDownload: { extracting?: string[]; cacheEntries?: string[] } = {};
  serveArchive = (res) => {
    res.writeHead(200, { 'content-length': String(body.length) });
    res.write(body.subarray(0, Math.floor(body.length * 0.8)));
    // Hold the last 20 % back until the extraction shows the first entry (or 5 s pass: then the test fails below).
    void until(() => inProgress().includes('payload.bin')).then(() => {
      Object.assign(seenMidDownload, { extracting: inProgress(), cacheEntries: listing('extracted').filter((n) => !n.startsWith('.tmp-')) });
      res.end(body.subarray(Math.floor(body.length * 0.8)));
    });
  };

  const result = await downloadReleaseBinary(options());

  expect(seenMidDownload.extracting).toContain('payload.bin');
  expect(seenMidDownload.extracting).not.toContain('skills'); // its bytes had not arrived yet
  expect(seenMidDownload.cacheEntries).toEqual([]);
  expect(result.binaryPath).toBe(join(cacheDir, 'extracted', checksum, 'skills'));
  expect(statSync(result.binaryPath).mode & 0o777).toBe(0o755);
  expect(sha256Hex(readFileSync(join(cacheDir, 'extracted', checksum, 'payload.bin')))).toBe(sha256Hex(payload));
  expect(listing('extracted')).toEqual([checksum]); // no temporary folder left
});

it('reports a checksum mismatch, not the unsafe entry it was extracting, and leaves nothing behind', async () => {
  const body = makeRawTarGz([{ path: 'skills', content: markerScript(marker), mode: 0o755 }, { path: '../escape.txt', content: 'out' }]);
  checksum = sha256Hex('the archive the release meant');
  serveArchive = (res) => res.end(body);

  const error = await downloadReleaseBinary(options()).catch((caught: unknown) => caught);

  expect(error).toBeInstanceOf(ReleaseAssetError);
  expect((error as ReleaseAssetError).kind).toBe('checksum-mismatch');
  expect(listing('extracted')).toEqual([]);
  expect(existsSync(join(cacheDir, 'escape.txt'))).toBe(false);
  expect(existsSync(marker)).toBe(false);
});

it('the same unsafe archive with its right checksum is refused for the entry, and nothing enters the cache', async () => {
  const body = makeRawTarGz([{ path: 'skills', content: markerScript(marker), mode: 0o755 }, { path: '../escape.txt', content: 'out' }]);
  checksum = sha256Hex(body);
  serveArchive = (res) => res.end(body);

  const error = await downloadReleaseBinary(options()).catch((caught: unknown) => caught);

  expect((error as ReleaseAssetError).kind).toBe('unsafe-archive');
  expect((error as Error).message).toContain('../escape.txt');
  expect(listing('extracted')).toEqual([]);
  expect(existsSync(marker)).toBe(false);
});

it('a body cut half-way is downloaded again from the start; the partial extraction is discarded', async () => {
  const body = archive();
  checksum = sha256Hex(body);
  serveArchive = (res, attempt) => {
    res.writeHead(200, { 'content-length': String(body.length) });
    if (attempt > 1) return res.end(body);
    res.write(body.subarray(0, body.length >> 1));
    void until(() => inProgress().includes('payload.bin')).then(() => res.destroy());
  };

  const result = await downloadReleaseBinary(options());

  expect(archiveRequests).toBe(2);
  expect(result.timings.bytes).toBe(body.length);
  expect(readdirSync(join(cacheDir, 'extracted', checksum)).sort()).toEqual(['payload.bin', 'skills']);
  expect(sha256Hex(readFileSync(join(cacheDir, 'extracted', checksum, 'payload.bin')))).toBe(sha256Hex(payload));
  expect(listing('extracted')).toEqual([checksum]);
});

it('extracts an archive the release shipped without gzip, as tar itself would', async () => {
  const body = gunzipSync(archive());
  checksum = sha256Hex(body);
  serveArchive = (res) => res.end(body);

  const result = await downloadReleaseBinary(options());

  expect(readFileSync(result.binaryPath, 'utf8')).toContain('#!/bin/sh');
  expect(sha256Hex(readFileSync(join(result.binaryPath, '..', 'payload.bin')))).toBe(sha256Hex(payload));
});
