import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { homedir } from 'node:os';
import { join } from 'node:path';

const PUBLIC_REGISTRY = 'https://registry.npmjs.org/';

export interface NpmCacheRegistry {
  /** `http://127.0.0.1:<port>/`, for `--registry`. */
  url: string;
  /** Package documents and tarballs asked for that the npm cache does not hold. */
  misses: string[];
  close(): Promise<void>;
}

/** The npm cache folder (`npm config get cache`), where `npm ci` left the packages of this repository. */
export function npmCacheDir(): string {
  return process.env.npm_config_cache ?? join(homedir(), '.npm');
}

/**
 * Reads one response the npm cache (cacache) stored for a registry URL: the index bucket is the sha256 of the key,
 * the content is addressed by its integrity. Undefined when the cache has no such response.
 */
function cachedResponse(cacheDir: string, url: string, options: { exists?: boolean } = {}): Buffer | undefined {
  const key = `make-fetch-happen:request-cache:${url}`;
  const hash = createHash('sha256').update(key).digest('hex');
  const bucket = join(cacheDir, '_cacache', 'index-v5', hash.slice(0, 2), hash.slice(2, 4), hash.slice(4));
  if (!existsSync(bucket)) return undefined;
  const entries = readFileSync(bucket, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line.slice(line.indexOf('\t') + 1)) as { key: string; integrity: string | null })
    .filter((entry) => entry.key === key && entry.integrity);
  const latest = entries.at(-1);
  if (!latest) return undefined;
  const [algorithm, base64] = latest.integrity!.split(' ')[0].split('-');
  const hex = Buffer.from(base64, 'base64').toString('hex');
  const content = join(cacheDir, '_cacache', 'content-v2', algorithm, hex.slice(0, 2), hex.slice(2, 4), hex.slice(4));
  if (!existsSync(content)) return undefined;
  return options.exists ? Buffer.alloc(0) : readFileSync(content);
}

interface PackageDocument {
  versions?: Record<string, { dist?: { tarball?: string } }>;
  'dist-tags'?: Record<string, string>;
}

/**
 * Keeps the versions whose tarball is in the cache, as an offline install could use them: npm then picks among those
 * (a newer release the cache never saw would be a 404). Dist-tags that point at a dropped version go too.
 */
function onlyCachedVersions(cacheDir: string, document: PackageDocument): PackageDocument {
  const versions = Object.fromEntries(
    Object.entries(document.versions ?? {}).filter(([, manifest]) => {
      const tarball = manifest.dist?.tarball;
      return tarball !== undefined && cachedResponse(cacheDir, tarball, { exists: true }) !== undefined;
    }),
  );
  const distTags = Object.fromEntries(Object.entries(document['dist-tags'] ?? {}).filter(([, version]) => version in versions));
  return { ...document, versions, 'dist-tags': distTags };
}

/**
 * A registry on 127.0.0.1 that answers from the npm cache alone, so a test can `npm install` into a fresh workspace
 * exactly what a user would get, without the network: npm 11 asks for full package documents on install, which
 * `--offline` cannot match against the cached ones, so the cache is served instead of read by npm directly.
 */
export async function startNpmCacheRegistry(cacheDir = npmCacheDir()): Promise<NpmCacheRegistry> {
  const misses: string[] = [];
  let base = '';
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').replace(/^\/+/, '');
    // npm writes a scoped name as @scope%2fname; the cache keys it the same way.
    const upstream = PUBLIC_REGISTRY + (path.includes('/-/') ? path : path.replace(/^(@[^/%]+)\//, '$1%2f').replace(/%2F/g, '%2f'));
    const body = cachedResponse(cacheDir, upstream);
    if (!body) {
      misses.push(path);
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not in the npm cache"}');
      return;
    }
    if (path.includes('/-/')) {
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length }).end(body);
      return;
    }
    const document = onlyCachedVersions(cacheDir, JSON.parse(body.toString('utf8')));
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(document).split(PUBLIC_REGISTRY).join(base));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the npm cache registry has no port');
  base = `http://127.0.0.1:${address.port}/`;
  return {
    url: base,
    misses,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
