import { setTimeout as sleep } from 'node:timers/promises';
import { ReleaseAssetError } from './release-asset-error';
import { fsFaultCause, fsFaultPath } from '../fs/fs-fault';

export interface DownloadRetryOptions {
  /** Total attempts, first included (default 4). */
  attempts?: number;
  /** Delay before the 2nd attempt; doubles each time (default 500 ms). */
  baseDelayMs?: number;
  /** Upper bound of one delay (default 8000 ms). */
  maxDelayMs?: number;
}

const FS_ERROR_CODES = new Set(['ENOSPC', 'EDQUOT', 'EACCES', 'EPERM', 'EROFS', 'EISDIR', 'ENOTDIR', 'EMFILE', 'ENFILE']);

/** Retry what a second try can fix (network failures, 5xx); never 4xx, bad content or a full disk. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof ReleaseAssetError) return error.details.retryable === true;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return !(code && FS_ERROR_CODES.has(code));
}

/**
 * Runs `attempt` until it succeeds, fails with something not worth retrying, or runs out of attempts,
 * waiting `baseDelayMs * 2^n` between tries. The last failure is rethrown as a ReleaseAssetError naming `url`.
 */
export async function withRetries<T>(
  url: string,
  options: DownloadRetryOptions | undefined,
  log: ((line: string) => void) | undefined,
  attempt: () => Promise<T>,
  /** The asset's total deadline (see assetDeadline): no retry delay may run past it. */
  limit?: { signal: AbortSignal; deadline: number },
): Promise<T> {
  const attempts = Math.max(1, options?.attempts ?? 4);
  const baseDelayMs = options?.baseDelayMs ?? 500;
  const maxDelayMs = options?.maxDelayMs ?? 8000;
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (caught) {
      const error = limit?.signal.aborted ? limit.signal.reason : caught;
      if (!isRetryable(error)) throw asReleaseAssetError(error, url);
      if (n >= attempts) {
        const last = asReleaseAssetError(error, url);
        throw new ReleaseAssetError(
          `${last.message} Gave up after ${attempts} attempt${attempts === 1 ? '' : 's'}; check the network and the release server, then run the task again.`,
          last.kind,
          { ...last.details, retryable: false },
        );
      }
      const retryAfter = error instanceof ReleaseAssetError ? error.details.retryAfterMs : undefined;
      const delay = retryAfter ?? Math.min(maxDelayMs, baseDelayMs * 2 ** (n - 1));
      if (limit && Date.now() + delay >= limit.deadline) throw pastDeadline(error, url, delay, limit.deadline);
      log?.(`GET ${url} failed (${describeFailure(error)}); retrying in ${delay} ms (attempt ${n + 1} of ${attempts})`);
      await sleep(delay, undefined, limit ? { signal: limit.signal } : undefined).catch(() => {
        throw limit?.signal.reason;
      });
    }
  }
}

function pastDeadline(error: unknown, url: string, delayMs: number, deadline: number): ReleaseAssetError {
  const last = asReleaseAssetError(error, url);
  const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
  const wait = last.details.retryAfterMs !== undefined ? `asked to be retried after ${Math.round(delayMs / 1000)} s (Retry-After)` : 'would be retried';
  return new ReleaseAssetError(
    `${last.message} It ${wait}, but only ${left} s are left before the download deadline (downloadTimeoutSeconds), so it was not. ` +
      'Run the task again later, or raise downloadTimeoutSeconds.',
    last.kind,
    { ...last.details, retryable: false },
  );
}

function asReleaseAssetError(error: unknown, url: string): ReleaseAssetError {
  if (error instanceof ReleaseAssetError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code && FS_ERROR_CODES.has(code)) {
    const at = fsFaultPath(error);
    const cause = fsFaultCause(error) ?? (error as Error).message;
    return new ReleaseAssetError(`Could not write the download of ${url} to disk${at ? ` at ${at}` : ''}: ${cause}.`, 'local-io', { url });
  }
  return new ReleaseAssetError(`GET ${url} failed: ${describeFailure(error)}.`, 'network', { url, retryable: true });
}

function describeFailure(error: unknown): string {
  if (error instanceof ReleaseAssetError) return error.details.status ? `HTTP ${error.details.status}` : error.message;
  const err = error as (Error & { code?: string; cause?: { code?: string; message?: string } }) | undefined;
  const code = err?.code ?? err?.cause?.code;
  const message = err?.message ?? String(error);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}
