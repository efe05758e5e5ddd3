import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Dispatcher } from 'undici';
import { assetDeadline, DEFAULT_DOWNLOAD_TIMEOUTS, type HttpGetOptions, idleTimeout, openGet } from './http-get';
import { withRetries } from './retry';

/** Where the bytes go as they arrive (the archive extraction); a new one per attempt. */
export interface DownloadSink {
  /** The promise, when there is one, resolves when the sink can take more (backpressure). */
  write(chunk: Buffer): Promise<void> | undefined;
  /** The attempt failed: stop and let go of whatever the sink wrote. */
  discard(): Promise<void>;
}

export interface StreamedDownload<T extends DownloadSink> {
  sha256: string;
  bytes: number;
  /** The sink of the attempt that succeeded, fed every byte (not ended: the caller decides, once it knows the hash). */
  sink: T;
}

/**
 * Streams `url` into a sink while hashing it, so the asset is never held in memory nor written whole to disk. Each
 * attempt starts from the first byte with a fresh sink from `startSink`.
 */
export async function downloadStream<T extends DownloadSink>(url: string, dispatcher: Dispatcher, options: HttpGetOptions, startSink: () => Promise<T>): Promise<StreamedDownload<T>> {
  const limit = assetDeadline(url, options);
  try {
    return await withRetries(url, options.retry, options.log, () => attempt(url, dispatcher, { ...options, signal: limit.signal }, startSink), limit);
  } finally {
    limit.dispose();
  }
}

async function attempt<T extends DownloadSink>(url: string, dispatcher: Dispatcher, options: HttpGetOptions, startSink: () => Promise<T>): Promise<StreamedDownload<T>> {
  const { body } = await openGet(url, dispatcher, options);
  const sink = await startSink().catch((error: unknown) => {
    body.destroy();
    throw error;
  });
  const hash = createHash('sha256');
  let bytes = 0;
  const consumer = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      bytes += chunk.length;
      const ready = sink.write(chunk);
      if (ready) ready.then(() => callback(), callback);
      else callback();
    },
  });
  const idleMs = options.timeouts?.idleMs ?? DEFAULT_DOWNLOAD_TIMEOUTS.idleMs;
  await pipeline(body, consumer).catch(async (error: unknown) => {
    await sink.discard();
    throw options.signal?.aborted ? options.signal.reason : idleTimeout(error, url, idleMs);
  });
  return { sha256: hash.digest('hex'), bytes, sink };
}
