import type { Dispatcher } from 'undici';
import { assetDeadline, type HttpGetOptions, openGet } from './http-get';
import { ReleaseAssetError } from './release-asset-error';
import { withRetries } from './retry';

/** A `.sha256` file is one `sha256sum` line; anything much bigger is not one. */
const MAX_CHECKSUM_BYTES = 16 * 1024;

/**
 * Fetches `{bin}-{target}.sha256` and returns the checksum of `archiveName`: the file's only checksum, or, when it
 * lists several (`sha256sum *.tar.gz`), the one on the line naming the archive.
 */
export async function fetchChecksum(url: string, dispatcher: Dispatcher, options: HttpGetOptions, archiveName?: string): Promise<string> {
  const limit = assetDeadline(url, options);
  const text = await withRetries(url, options.retry, options.log, async () => {
    const { body } = await openGet(url, dispatcher, { ...options, signal: limit.signal });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_CHECKSUM_BYTES) {
        body.destroy();
        throw new ReleaseAssetError(
          `${url} is larger than ${MAX_CHECKSUM_BYTES} bytes, so it is not a sha256 checksum file (expected "<64 hex digits>  <archive name>").`,
          'bad-checksum-file',
          { url },
        );
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
  }, limit).finally(() => limit.dispose());
  return parseChecksumFile(text, url, archiveName);
}

const HEX64 = /^[0-9a-fA-F]{64}$/;

/** `sha256sum` writes `<hash>  <name>` (or `<hash> *<name>` in binary mode); a bare hash is accepted on its own. */
export function parseChecksumFile(text: string, url: string, archiveName?: string): string {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  if (lines.length > 1) return checksumNaming(lines, url, archiveName);
  const token = lines[0]?.split(/\s+/)[0] ?? '';
  if (HEX64.test(token)) return token.toLowerCase();
  const shown = JSON.stringify(text.trim().slice(0, 80));
  throw new ReleaseAssetError(
    `${url} does not start with a sha256 checksum (64 hex digits); it holds ${text.trim() ? shown : 'nothing'}. ` +
      'The release must upload the output of `sha256sum <archive>` as this file.',
    'bad-checksum-file',
    { url },
  );
}

function checksumNaming(lines: string[], url: string, archiveName: string | undefined): string {
  const entries = lines.map((line) => {
    const [hash, ...rest] = line.split(/\s+/);
    const name = rest.join(' ').replace(/^\*/, '').replace(/^\.\//, '');
    return { hash, name, base: name.split('/').pop() ?? name };
  });
  const matching = archiveName ? entries.filter((entry) => entry.name === archiveName || entry.base === archiveName) : [];
  const hashes = [...new Set(matching.map((entry) => entry.hash.toLowerCase()))];
  if (hashes.length === 1 && HEX64.test(hashes[0])) return hashes[0];
  const names = entries.map((entry) => entry.name || '(no name)').slice(0, 10).join(', ');
  const why =
    hashes.length > 1
      ? `names ${archiveName} on ${matching.length} lines with different checksums`
      : `has ${lines.length} lines and none names ${archiveName ?? 'the archive'} with a 64-hex-digit checksum (it names: ${names})`;
  throw new ReleaseAssetError(
    `${url} ${why}, so it cannot tell which checksum to trust. Upload one \`sha256sum <archive>\` line per asset, or make one of the lines name ${archiveName ?? 'the archive'}.`,
    'bad-checksum-file',
    { url },
  );
}
