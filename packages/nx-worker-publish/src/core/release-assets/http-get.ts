import { Agent, type Dispatcher, request } from 'undici';
import { ReleaseAssetError } from './release-asset-error';
import type { DownloadRetryOptions } from './retry';

export interface HttpGetOptions {
  /** Sent as `Authorization: Bearer` to the first URL's origin only (never across a redirect to another host:port). */
  githubToken?: string;
  retry?: DownloadRetryOptions;
  log?: (line: string) => void;
  /** An undici dispatcher to use instead of a private Agent (the caller closes it). */
  dispatcher?: Dispatcher;
  maxRedirects?: number;
  /** Per asset: no data for `idleMs` (default 60 s), or not done within `totalMs` (default 10 min), fails it. */
  timeouts?: DownloadTimeouts;
  /** Aborts the request (the asset's total deadline); its reason is what the request rejects with. */
  signal?: AbortSignal;
}

export interface DownloadTimeouts {
  idleMs?: number;
  totalMs?: number;
}

export const DEFAULT_DOWNLOAD_TIMEOUTS: Required<DownloadTimeouts> = { idleMs: 60_000, totalMs: 600_000 };

/** A Retry-After beyond this is read as this (the asset's deadline decides whether it is waited for at all). */
const MAX_RETRY_AFTER_MS = 60 * 60_000;

export interface OpenedResponse {
  body: Dispatcher.ResponseData['body'];
  headers: Dispatcher.ResponseData['headers'];
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const USER_AGENT = 'nx-worker-publish';

/**
 * GETs `url`, following redirects by hand (GitHub answers 302 to its object store) so that the token
 * is attached only while we talk to the origin it was meant for. Non-2xx answers become errors: 404 and
 * other 4xx are final, 5xx are retryable. The caller must consume or destroy the returned body.
 */
export async function openGet(url: string, dispatcher: Dispatcher, options: HttpGetOptions): Promise<OpenedResponse> {
  const tokenOrigin = new URL(url).origin;
  const maxRedirects = options.maxRedirects ?? 10;
  let current = url;
  for (let hop = 0; ; hop++) {
    const headers: Record<string, string> = { 'user-agent': USER_AGENT, accept: 'application/octet-stream, */*' };
    if (options.githubToken && new URL(current).origin === tokenOrigin) {
      headers.authorization = `Bearer ${options.githubToken}`;
    }
    const idleMs = options.timeouts?.idleMs ?? DEFAULT_DOWNLOAD_TIMEOUTS.idleMs;
    const response = await request(current, {
      method: 'GET',
      headers,
      dispatcher,
      signal: options.signal,
      headersTimeout: idleMs,
      bodyTimeout: idleMs,
    }).catch((error: unknown) => {
      throw options.signal?.aborted ? options.signal.reason : idleTimeout(error, url, idleMs);
    });
    const { statusCode } = response;
    if (statusCode >= 200 && statusCode < 300) return { body: response.body, headers: response.headers };
    await response.body.dump().catch(() => undefined);

    const via = current === url ? '' : ` (after a redirect to ${new URL(current).origin})`;
    if (REDIRECT_STATUSES.has(statusCode)) {
      const location = response.headers.location;
      if (typeof location !== 'string' || !location) {
        throw new ReleaseAssetError(`GET ${url}${via} answered ${statusCode} without a Location header.`, 'http-status', { url, status: statusCode });
      }
      if (hop >= maxRedirects) {
        throw new ReleaseAssetError(`GET ${url} was redirected more than ${maxRedirects} times.`, 'http-status', { url, status: statusCode });
      }
      const next = new URL(location, current);
      if (next.protocol !== 'http:' && next.protocol !== 'https:') {
        // Never retried: the answer will not change, and following it would read a local file or another protocol.
        throw new ReleaseAssetError(
          `GET ${url}${via} was redirected to ${next.toString().slice(0, 200)}, which is not an http(s) URL: refused. Only http and https redirects are followed.`,
          'http-status',
          { url, status: statusCode, retryable: false },
        );
      }
      current = next.toString();
      continue;
    }
    if (statusCode === 404) {
      throw new ReleaseAssetError(
        `GET ${url}${via} answered 404 Not Found. Check that the release tag exists and that its assets were uploaded ` +
          '(bin name, target and tag must match the release), or point releaseBaseUrl at the right repository.',
        'not-found',
        { url, status: statusCode },
      );
    }
    if (statusCode === 429) {
      throw new ReleaseAssetError(`GET ${url}${via} answered 429 Too Many Requests.`, 'http-status', {
        url,
        status: statusCode,
        retryable: true,
        retryAfterMs: retryAfterMs(response.headers['retry-after']),
      });
    }
    const retryable = statusCode >= 500;
    const hint =
      statusCode === 401 || statusCode === 403 ? ' For a private repository, set GITHUB_TOKEN to a token that can read its releases.' : '';
    throw new ReleaseAssetError(`GET ${url}${via} answered HTTP ${statusCode}.${hint}`, 'http-status', {
      url,
      status: statusCode,
      retryable,
    });
  }
}

const newAgent = () => new Agent({ connect: { timeout: 30_000 }, headersTimeout: 60_000, bodyTimeout: 60_000 });

/** Runs `fn` with the caller's dispatcher, or a private Agent closed afterwards (no sockets left open). */
export async function withDispatcher<T>(options: HttpGetOptions, fn: (dispatcher: Dispatcher) => Promise<T>): Promise<T> {
  if (options.dispatcher) return fn(options.dispatcher);
  const agent = newAgent();
  try {
    return await fn(agent);
  } finally {
    await agent.destroy().catch(() => undefined);
  }
}

export interface SharedConnections {
  /** The pool, created on first use. */
  dispatcher(): Dispatcher;
  /** Closes its sockets; nothing may use it afterwards. */
  close(): Promise<void>;
}

/**
 * One keep-alive connection pool for many requests to the same release server (a batch's publishes ask it for 9
 * checksums each): without it every publish opens, and tears down, connections of its own.
 */
export function sharedConnections(): SharedConnections {
  let agent: Agent | undefined;
  return {
    dispatcher: () => (agent ??= newAgent()),
    close: async () => {
      await agent?.destroy().catch(() => undefined);
    },
  };
}

/** `Retry-After: <seconds>` or `Retry-After: <HTTP date>`, in ms (bounded); undefined when absent or unreadable. */
export function retryAfterMs(header: string | string[] | undefined, now = Date.now()): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value?.trim()) return undefined;
  const seconds = Number(value.trim());
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - now;
  if (!Number.isFinite(ms)) return undefined;
  return Math.min(Math.max(0, ms), MAX_RETRY_AFTER_MS);
}

/** undici's idle timers, named after the option that sets them; anything else is left as is. */
export function idleTimeout(error: unknown, url: string, idleMs: number): unknown {
  const code = (error as { code?: string } | undefined)?.code;
  if (code !== 'UND_ERR_BODY_TIMEOUT' && code !== 'UND_ERR_HEADERS_TIMEOUT') return error;
  return new ReleaseAssetError(
    `GET ${url} sent no data for ${idleMs / 1000} s (downloadIdleTimeoutSeconds).`,
    'network',
    { url, retryable: true },
  );
}

/**
 * The total deadline of one asset (every attempt, redirect and retry delay included): its signal aborts the
 * request, and the reason names the URL and the option that raises it.
 */
export function assetDeadline(url: string, options: HttpGetOptions): { signal: AbortSignal; deadline: number; dispose(): void } {
  const totalMs = options.timeouts?.totalMs ?? DEFAULT_DOWNLOAD_TIMEOUTS.totalMs;
  const controller = new AbortController();
  const timer = setTimeout(() => {
    controller.abort(
      new ReleaseAssetError(
        `GET ${url} did not complete within ${totalMs / 1000} s (downloadTimeoutSeconds): the server is too slow or stalled. ` +
          'Raise downloadTimeoutSeconds for a large asset on a slow link.',
        'timeout',
        { url, retryable: false },
      ),
    );
  }, totalMs);
  timer.unref();
  const parent = options.signal;
  const onParentAbort = () => controller.abort(parent?.reason);
  parent?.addEventListener('abort', onParentAbort, { once: true });
  return {
    signal: controller.signal,
    deadline: Date.now() + totalMs,
    dispose: () => {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParentAbort);
    },
  };
}
