import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { faults, startReleaseServer, writeReleaseAsset, type ReleaseServer } from './index';

const RELEASE = { owner: 'iii-hq', repo: 'workers', tag: 'skills/v0.1.4' };
const ASSET = 'skills-x86_64-unknown-linux-gnu.tar.gz';
const BODY = Buffer.from('0123456789'.repeat(1000));

interface Answer {
  status: number;
  location?: string;
  body: Buffer;
  /** The connection was cut before the promised body arrived. */
  truncated: boolean;
}

/** One plain GET that reports a cut connection instead of throwing, so faults can be inspected. */
function get(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      const finish = (truncated: boolean) =>
        resolve({ status: res.statusCode ?? 0, location: res.headers.location, body: Buffer.concat(chunks), truncated });
      res.on('end', () => finish(false));
      res.on('aborted', () => finish(true));
      res.on('error', () => finish(true));
    });
    req.on('error', reject);
    req.end();
  });
}

let root: string;
let server: ReleaseServer;

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'release-server-'));
  writeReleaseAsset(root, RELEASE, ASSET, BODY);
  server = await startReleaseServer({ root });
});

afterEach(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

const assetUrl = () => `${server.releaseBaseUrl(RELEASE.owner, RELEASE.repo)}/${RELEASE.tag}/${ASSET}`;

test('answers 302 to another port that serves the file bytes, and logs both hops', async () => {
  const first = await get(assetUrl(), { authorization: 'Bearer t0ken' });
  expect(first.status).toBe(302);
  expect(first.location).toMatch(new RegExp(`^${server.storageOrigin}/objects/iii-hq/workers/skills/v0.1.4/${ASSET}\\?`));
  expect(new URL(first.location!).port).not.toBe(new URL(server.origin).port);
  const second = await get(first.location!);
  expect(second.status).toBe(200);
  expect(second.body.equals(BODY)).toBe(true);
  expect(server.requests).toEqual([
    { server: 'origin', method: 'GET', asset: `iii-hq/workers/skills/v0.1.4/${ASSET}`, status: 302, authorization: 'Bearer t0ken' },
    { server: 'storage', method: 'GET', asset: `iii-hq/workers/skills/v0.1.4/${ASSET}`, status: 200 },
  ]);
});

test('reads the folder at request time: a missing or later-deleted asset is 404, and `..` cannot leave the folder', async () => {
  expect((await get(`${server.releaseBaseUrl('iii-hq', 'workers')}/skills/v0.1.4/skills-aarch64-apple-darwin.tar.gz`)).status).toBe(404);
  rmSync(join(root, 'iii-hq/workers/skills/v0.1.4', ASSET));
  expect((await get(assetUrl())).status).toBe(404);
  expect((await get(`${server.origin}/iii-hq/workers/releases/download/%2e%2e/%2e%2e/%2e%2e/etc/passwd`)).status).toBe(404);
  expect((await get(`${server.origin}/not/a/release/path`)).status).toBe(404);
});

test('a queued 503 is used up by one request each, then the asset is served again', async () => {
  server.failNext(ASSET, ...faults.unavailable(2));
  const location = (await get(assetUrl())).location!;
  expect((await get(location)).status).toBe(503);
  expect((await get(location)).status).toBe(503);
  expect((await get(location)).status).toBe(200);
  expect(server.requestsFor(ASSET).filter((r) => r.server === 'storage').map((r) => [r.status, r.fault])).toEqual([
    [503, 'status'],
    [503, 'status'],
    [200, undefined],
  ]);
});

test('reset mid-body cuts the connection after part of the bytes', async () => {
  server.failNext(ASSET, faults.resetMidBody());
  const answer = await get((await get(assetUrl())).location!);
  expect(answer.status).toBe(200);
  expect(answer.truncated || answer.body.length < BODY.length).toBe(true);
  expect(answer.body.length).toBeLessThan(BODY.length);
});

test('a slow body still arrives whole', async () => {
  server.failNext(ASSET, faults.slowBody(200));
  const answer = await get((await get(assetUrl())).location!);
  expect(answer.body.equals(BODY)).toBe(true);
  expect(server.requestsFor(ASSET).at(-1)?.fault).toBe('slow-body');
});

test('without redirects the origin serves the bytes and applies the faults itself', async () => {
  const direct = await startReleaseServer({ root, redirect: false });
  try {
    direct.failNext(ASSET, faults.status(500));
    const url = `${direct.releaseBaseUrl(RELEASE.owner, RELEASE.repo)}/${RELEASE.tag}/${ASSET}`;
    expect((await get(url)).status).toBe(500);
    const answer = await get(url);
    expect(answer.status).toBe(200);
    expect(answer.body.equals(BODY)).toBe(true);
  } finally {
    await direct.close();
  }
});
