import type { Dispatcher } from 'undici';
import { type HttpGetOptions, openGet } from './http-get';
import { ReleaseAssetError } from './release-asset-error';
import { withRetries } from './retry';

/** A `.sha256` file is one `sha256sum` line; anything much bigger is not one. */
const MAX_CHECKSUM_BYTES = 16 * 1024;

/** Fetches `{bin}-{target}.sha256` and returns its first whitespace token, which must be 64 hex digits. */
export async function fetchChecksum(url: string, dispatcher: Dispatcher, options: HttpGetOptions): Promise<string> {
  const text = await withRetries(url, options.retry, options.log, async () => {
    const { body } = await openGet(url, dispatcher, options);
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
  });
  return parseChecksumFile(text, url);
}

export function parseChecksumFile(text: string, url: string): string {
  const token = text.trim().split(/\s+/)[0] ?? '';
  if (/^[0-9a-fA-F]{64}$/.test(token)) return token.toLowerCase();
  const shown = JSON.stringify(text.trim().slice(0, 80));
  throw new ReleaseAssetError(
    `${url} does not start with a sha256 checksum (64 hex digits); it holds ${text.trim() ? shown : 'nothing'}. ` +
      'The release must upload the output of `sha256sum <archive>` as this file.',
    'bad-checksum-file',
    { url },
  );
}
