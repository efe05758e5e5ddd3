import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Dispatcher } from 'undici';
import { assetDeadline, DEFAULT_DOWNLOAD_TIMEOUTS, type HttpGetOptions, idleTimeout, openGet } from './http-get';
import { withRetries } from './retry';

/** A second consumer of the bytes as they arrive (the archive extraction); a new one per attempt. */
export interface DownloadTap {
  /** The promise, when there is one, resolves when the tap can take more (backpressure). */
  write(chunk: Buffer): Promise<void> | undefined;
  /** The attempt failed: stop and let go of whatever the tap wrote. */
  discard(): Promise<void>;
}

export interface StreamedDownload<T extends DownloadTap = DownloadTap> {
  sha256: string;
  bytes: number;
  /** The tap of the attempt that succeeded, fed every byte of `file` (not ended: the caller decides). */
  tap?: T;
}

/**
 * Streams `url` into `file` while hashing it (and feeding `startTap()`'s tap), so the asset is never held in memory.
 * Each attempt rewrites the file from scratch with a fresh tap; the caller owns `file` (and deletes it on failure).
 */
export async function downloadToFile<T extends DownloadTap>(
  url: string,
  file: string,
  dispatcher: Dispatcher,
  options: HttpGetOptions,
  startTap?: () => Promise<T>,
): Promise<StreamedDownload<T>> {
  const limit = assetDeadline(url, options);
  try {
    return await withRetries(url, options.retry, options.log, () => attempt(url, file, dispatcher, { ...options, signal: limit.signal }, startTap), limit);
  } finally {
    limit.dispose();
  }
}

async function attempt<T extends DownloadTap>(url: string, file: string, dispatcher: Dispatcher, options: HttpGetOptions, startTap?: () => Promise<T>): Promise<StreamedDownload<T>> {
  const { body } = await openGet(url, dispatcher, options);
  const tap = await startTap?.().catch((error: unknown) => {
    body.destroy();
    throw error;
  });
  const hash = createHash('sha256');
  let bytes = 0;
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      bytes += chunk.length;
      const tapReady = tap?.write(chunk);
      if (tapReady) tapReady.then(() => callback(null, chunk), callback);
      else callback(null, chunk);
    },
  });
  const idleMs = options.timeouts?.idleMs ?? DEFAULT_DOWNLOAD_TIMEOUTS.idleMs;
  await pipeline(body, hashing, createWriteStream(file, { flags: 'w' })).catch(async (error: unknown) => {
    await tap?.discard();
    throw options.signal?.aborted ? options.signal.reason : idleTimeout(error, url, idleMs);
  });
  return { sha256: hash.digest('hex'), bytes, tap };
}
