import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Dispatcher } from 'undici';
import { assetDeadline, DEFAULT_DOWNLOAD_TIMEOUTS, type HttpGetOptions, idleTimeout, openGet } from './http-get';
import { withRetries } from './retry';

export interface StreamedDownload {
  sha256: string;
  bytes: number;
}

/**
 * Streams `url` into `file` while hashing it, so the asset is never held in memory. Each attempt
 * rewrites the file from scratch; the caller owns `file` (and deletes it on failure).
 */
export async function downloadToFile(
  url: string,
  file: string,
  dispatcher: Dispatcher,
  options: HttpGetOptions,
): Promise<StreamedDownload> {
  const limit = assetDeadline(url, options);
  try {
    return await withRetries(url, options.retry, options.log, () => attempt(url, file, dispatcher, { ...options, signal: limit.signal }), limit);
  } finally {
    limit.dispose();
  }
}

async function attempt(url: string, file: string, dispatcher: Dispatcher, options: HttpGetOptions): Promise<StreamedDownload> {
  const { body } = await openGet(url, dispatcher, options);
  const hash = createHash('sha256');
  let bytes = 0;
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      bytes += chunk.length;
      callback(null, chunk);
    },
  });
  const idleMs = options.timeouts?.idleMs ?? DEFAULT_DOWNLOAD_TIMEOUTS.idleMs;
  await pipeline(body, hashing, createWriteStream(file, { flags: 'w' })).catch((error: unknown) => {
    throw options.signal?.aborted ? options.signal.reason : idleTimeout(error, url, idleMs);
  });
  return { sha256: hash.digest('hex'), bytes };
}
