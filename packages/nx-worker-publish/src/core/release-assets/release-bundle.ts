import { dirname } from 'node:path';
import type { Dispatcher } from 'undici';
import { type DownloadReleaseBinaryOptions, type DownloadedAsset, downloadReleaseBinary } from './download-release-binary';
import { fetchChecksum } from './fetch-checksum';
import { withDispatcher } from './http-get';
import { ReleaseAssetError } from './release-asset-error';
import { type ReleaseAssetUrls, releaseAssetUrls } from './release-asset-urls';
import type { DownloadRetryOptions } from './retry';

/** The file every bundle archive holds at its root (spec publish-pipeline-later §2.1). */
export const BUNDLE_MANIFEST = 'iii.worker.yaml';

/** `{releaseBaseUrl}/{tag}/{worker}.tar.gz` and `{worker}.sha256`: the bundle's assets, named after the worker. */
export function bundleAssetUrls(ref: { releaseBaseUrl: string; tag: string; worker: string }): ReleaseAssetUrls {
  // The binary naming rules check every segment; a bundle is `{worker}` with no target, so strip the suffix again.
  const checked = releaseAssetUrls({ releaseBaseUrl: ref.releaseBaseUrl, tag: ref.tag, bin: ref.worker, target: 'bundle' });
  const strip = (url: string) => url.replace(/-bundle\.(tar\.gz|sha256)$/, '.$1');
  return { archiveName: `${ref.worker}.tar.gz`, archiveFormat: 'tar.gz', archiveUrl: strip(checked.archiveUrl), checksumUrl: strip(checked.checksumUrl) };
}

export interface BundleRef {
  releaseBaseUrl: string;
  tag: string;
  worker: string;
  githubToken?: string;
  retry?: DownloadRetryOptions;
  log?: (line: string) => void;
  /** A connection pool to use instead of a private one (the caller closes it). */
  dispatcher?: Dispatcher;
}

/** The payload's `archive_url` and `sha256`, from the release's checksum file (nothing is downloaded). */
export async function resolveBundleAsset(ref: BundleRef): Promise<{ archiveUrl: string; sha256: string }> {
  const urls = bundleAssetUrls(ref);
  return withDispatcher(ref, async (dispatcher) => {
    try {
      return { archiveUrl: urls.archiveUrl, sha256: await fetchChecksum(urls.checksumUrl, dispatcher, ref, urls.archiveName) };
    } catch (error) {
      if (!(error instanceof ReleaseAssetError) || error.kind === 'bad-checksum-file') throw error;
      throw new ReleaseAssetError(
        `deploy=bundle requires the release's ${ref.worker}.sha256: ${error.message} The release of ${ref.tag} must hold ${urls.archiveName} and ${ref.worker}.sha256.`,
        error.kind,
        { url: urls.checksumUrl },
      );
    }
  });
}

export interface DownloadedBundle extends DownloadedAsset {
  /** The extracted folder that holds `iii.worker.yaml` (inside the cache). */
  bundleDir: string;
}

/**
 * Downloads the bundle, verifies it against `{worker}.sha256` before anything is extracted, and extracts it with the
 * binary rules (regular files and folders only). The same content-addressed cache as release binaries.
 */
export async function downloadReleaseBundle(ref: BundleRef & Omit<DownloadReleaseBinaryOptions, 'bin' | 'target' | 'urls'>): Promise<DownloadedBundle> {
  const urls = bundleAssetUrls(ref);
  const asset = await downloadReleaseBinary({ ...ref, bin: BUNDLE_MANIFEST, target: 'bundle', urls });
  return { ...asset, bundleDir: dirname(asset.binaryPath) };
}
