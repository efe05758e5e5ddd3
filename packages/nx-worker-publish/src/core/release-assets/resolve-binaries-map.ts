import type { Dispatcher } from 'undici';
import { fetchChecksum } from './fetch-checksum';
import { withDispatcher } from './http-get';
import { ReleaseAssetError } from './release-asset-error';
import { releaseAssetUrls } from './release-asset-urls';
import { DEFAULT_RELEASE_TARGETS } from './release-targets';
import type { DownloadRetryOptions } from './retry';

export interface BinaryAsset {
  url: string;
  sha256: string;
}

/** The payload's `binaries` map: `{ [target]: { url, sha256 } }`. */
export type BinariesMap = Record<string, BinaryAsset>;

export interface ResolveBinariesMapOptions {
  releaseBaseUrl: string;
  tag: string;
  bin: string;
  /** Default: the 9 targets of every release (`DEFAULT_RELEASE_TARGETS`). */
  targets?: readonly string[];
  /** Leave out targets whose checksum cannot be fetched (with a warning) instead of failing. */
  allowMissingTargets?: boolean;
  githubToken?: string;
  retry?: DownloadRetryOptions;
  log?: (line: string) => void;
  dispatcher?: Dispatcher;
}

/**
 * Fetches every target's `.sha256` in parallel and builds the `binaries` map, in target order. Strict by
 * default: a release missing any target is an error listing every missing one (the workers repo silently
 * published partial maps, #983). A malformed checksum file is always an error.
 */
export async function resolveBinariesMap(options: ResolveBinariesMapOptions): Promise<BinariesMap> {
  const targets = [...new Set(options.targets ?? DEFAULT_RELEASE_TARGETS)];
  if (targets.length === 0) {
    throw new ReleaseAssetError('The list of release targets is empty; give at least one target (or leave `targets` unset for the default 9).', 'invalid-input');
  }
  const assets = targets.map((target) => ({ target, urls: releaseAssetUrls({ ...options, target }) }));

  const results = await withDispatcher(options, (dispatcher) =>
    Promise.allSettled(assets.map(({ urls }) => fetchChecksum(urls.checksumUrl, dispatcher, options, urls.archiveName))),
  );

  const unreachable = unreachableServerError(results, options);
  if (unreachable) throw unreachable;

  const binaries: BinariesMap = {};
  const missing: string[] = [];
  results.forEach((result, index) => {
    const { target, urls } = assets[index];
    if (result.status === 'fulfilled') {
      binaries[target] = { url: urls.archiveUrl, sha256: result.value };
      return;
    }
    const error = result.reason as unknown;
    if (error instanceof ReleaseAssetError && error.kind === 'bad-checksum-file') throw error;
    const why = error instanceof ReleaseAssetError && error.details.status ? `HTTP ${error.details.status}` : (error as Error).message;
    missing.push(`${target} (${urls.checksumUrl}: ${why})`);
  });

  if (missing.length === 0) return binaries;
  const list = missing.join('; ');
  if (!options.allowMissingTargets || missing.length === targets.length) {
    const all = missing.length === targets.length ? 'none of the targets has' : `${missing.length} of ${targets.length} targets have`;
    throw new ReleaseAssetError(
      `Release ${options.tag} is incomplete: ${all} a checksum file for "${options.bin}": ${list}. ` +
        'Wait for the release build to upload every target, narrow `targets`, or set `allowMissingTargets` to publish without them.',
      'missing-targets',
    );
  }
  options.log?.(`warning: leaving ${missing.length} target(s) out of the binaries map: ${list}`);
  return binaries;
}

/**
 * When no checksum got an answer from the release server (DNS, refused connection, timeout: no HTTP status), the
 * release is not known to be incomplete; the server could not be asked. One error says so, each cause once.
 */
function unreachableServerError(results: PromiseSettledResult<string>[], options: ResolveBinariesMapOptions): ReleaseAssetError | undefined {
  const unanswered = (result: PromiseSettledResult<string>) =>
    result.status === 'rejected' && result.reason instanceof ReleaseAssetError && ['network', 'timeout'].includes(result.reason.kind) && !result.reason.details.status;
  if (!results.every(unanswered)) return undefined;
  const causes = [...new Set(results.map((result) => causeOf((result as PromiseRejectedResult).reason as ReleaseAssetError)))];
  return new ReleaseAssetError(
    `Could not read the checksums of release ${options.tag}: the release server at ${options.releaseBaseUrl} did not answer for any of the ` +
      `${results.length} targets (${causes.join('; ')}). Check the network and \`releaseBaseUrl\`, then run the task again.`,
    'network',
    { url: options.releaseBaseUrl },
  );
}

/** The failure without its URL and retry advice, so that the same cause for every target reads once. */
const causeOf = (error: ReleaseAssetError) => /failed: (.*?)\.(?: Gave up|$)/.exec(error.message)?.[1] ?? error.message;
