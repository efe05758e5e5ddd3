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
}

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
    const response = await request(current, { method: 'GET', headers, dispatcher });
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
      current = new URL(location, current).toString();
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

/** Runs `fn` with the caller's dispatcher, or a private Agent closed afterwards (no sockets left open). */
export async function withDispatcher<T>(options: HttpGetOptions, fn: (dispatcher: Dispatcher) => Promise<T>): Promise<T> {
  if (options.dispatcher) return fn(options.dispatcher);
  const agent = new Agent({ connect: { timeout: 30_000 }, headersTimeout: 60_000, bodyTimeout: 60_000 });
  try {
    return await fn(agent);
  } finally {
    await agent.destroy().catch(() => undefined);
  }
}
