import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Dispatcher } from 'undici';
import { type HttpGetOptions, openGet } from './http-get';
import { withRetries } from './retry';

/** Bytes that may queue for the disk, so the network, the hash and the extraction do not wait on each write. */
const BUFFER_BYTES = 4 << 20;

export interface StreamedDownload {
  sha256: string;
  bytes: number;
}

/** A second consumer of the bytes, fed as they arrive (the streaming extraction). `write` resolves when it can take more. */
export interface ByteSink {
  write(chunk: Buffer): Promise<void>;
  /** The last byte has arrived. */
  end(): void;
}

/**
 * Streams `url` into `file` while hashing it, so the asset is never held in memory. Each attempt
 * rewrites the file from scratch; the caller owns `file` (and deletes it on failure). `alongside` is asked for
 * a fresh sink at the start of every attempt and gets the same bytes as the file.
 */
export async function downloadToFile(
  url: string,
  file: string,
  dispatcher: Dispatcher,
  options: HttpGetOptions,
  alongside?: () => Promise<ByteSink>,
): Promise<StreamedDownload> {
  return withRetries(url, options.retry, options.log, async () => {
    const sink = await alongside?.();
    const { body } = await openGet(url, dispatcher, options);
    const hash = createHash('sha256');
    let bytes = 0;
    const hashing = new Transform({
      highWaterMark: BUFFER_BYTES,
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        bytes += chunk.length;
        if (!sink) return callback(null, chunk);
        sink.write(chunk).then(() => callback(null, chunk), callback);
      },
      flush(callback) {
        sink?.end();
        callback();
      },
    });
    await pipeline(body, hashing, createWriteStream(file, { flags: 'w', highWaterMark: BUFFER_BYTES }));
    return { sha256: hash.digest('hex'), bytes };
  });
}
