import { mkdir, rename, rm } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import { downloadToFile } from './download-to-file';
import { type ExtractedBinary, startExtraction, type StreamingExtraction } from './extract-archive';
import type { HttpGetOptions } from './http-get';
import { ReleaseAssetError } from './release-asset-error';
import { uniqueTempPath } from './release-cache';

export interface OverlappedDownload {
  /** The private folder the archive was extracted into; the caller renames it into the cache (or removes it). */
  extractedTemp: string;
  extracted: ExtractedBinary;
  bytes: number;
  /** first request → every byte hashed and in the archive file (the extraction runs meanwhile) */
  downloadMs: number;
  /** comparing the hash and moving the verified archive into place */
  verifyMs: number;
  /** what the extraction still needed after that: its tail, not its whole time */
  extractMs: number;
}

export interface OverlappedDownloadRequest {
  url: string;
  checksumUrl: string;
  expectedSha256: string;
  bin: string;
  /** The verified archive lands here (content-addressed cache file). */
  archive: string;
  assetsDir: string;
  /** Temporary extraction folders are made here, beside the content-addressed ones. */
  extractedDir: string;
}

/**
 * One pass over the bytes: they are hashed, written to a temporary archive file and extracted into a private
 * temporary folder while they arrive. Nothing from the archive is run or put into the cache before its sha256
 * matches: on a mismatch both temporaries are deleted; on success the archive is renamed into place and the
 * extraction folder is handed to the caller. Every entry is checked before it is written, as for a cached archive.
 */
export async function downloadAndExtract(request: OverlappedDownloadRequest, dispatcher: Dispatcher, options: HttpGetOptions): Promise<OverlappedDownload> {
  const { url, checksumUrl, expectedSha256, bin } = request;
  const archiveTemp = uniqueTempPath(request.assetsDir, 'download');
  let extraction: StreamingExtraction | undefined;
  let extractedTemp: string | undefined;
  const discardExtraction = async () => {
    await extraction?.abandon();
    if (extractedTemp) await rm(extractedTemp, { recursive: true, force: true, maxRetries: 3 });
    extraction = undefined;
    extractedTemp = undefined;
  };
  // A fresh extraction for every download attempt: a retried download starts its archive from byte 0.
  const freshExtraction = async () => {
    await discardExtraction();
    const dir = uniqueTempPath(request.extractedDir, 'extract');
    await mkdir(dir);
    const current = startExtraction(dir, bin, url);
    extraction = current;
    extractedTemp = dir;
    return {
      write: (chunk: Buffer) => current.write(chunk),
      end: () => current.end(),
    };
  };

  let handedOver = false;
  try {
    options.log?.(`downloading ${url} (hash and extraction run while it arrives)`);
    const started = performance.now();
    const downloaded = await downloadToFile(url, archiveTemp, dispatcher, options, freshExtraction);
    const downloadMs = performance.now() - started;

    let mark = performance.now();
    if (downloaded.sha256 !== expectedSha256) {
      throw new ReleaseAssetError(
        `Refusing ${url}: its sha256 is ${downloaded.sha256}, but ${checksumUrl} says ${expectedSha256}. ` +
          'The download was deleted and nothing was extracted or run. The release assets are inconsistent (re-upload them) or were tampered with.',
        'checksum-mismatch',
        { url },
      );
    }
    // Verified: the archive may enter the cache even if its contents are refused below (they would be refused again).
    await rename(archiveTemp, request.archive);
    const verifyMs = performance.now() - mark;

    mark = performance.now();
    const extracted = await extraction!.finish();
    const extractMs = performance.now() - mark;
    handedOver = true;
    return { extractedTemp: extractedTemp!, extracted, bytes: downloaded.bytes, downloadMs, verifyMs, extractMs };
  } finally {
    await rm(archiveTemp, { force: true });
    if (!handedOver) await discardExtraction();
  }
}
