import { Agent, request } from 'undici';
import { redactSecret } from './redact-secret';
import { RegistryError } from './registry-error';

/** One answer from the registry, or why there was none. Bodies are kept whole; messages truncate them. */
export type RegistryAnswer =
  | { kind: 'answer'; status: number; body: string; json: unknown; location?: string }
  | { kind: 'transport'; reason: string; timedOut: boolean };

export interface RegistryClientOptions {
  apiUrl: string;
  /** Sent as `X-API-Key` on every request; never printed. Reads work without it. */
  apiKey?: string;
  /** Epoch ms after which no request is started and running ones are cut (`publishTimeoutSeconds`). */
  deadline: number;
  /** Cap of one request (default 60 s, as the workflow's urllib timeout). */
  requestTimeoutMs?: number;
  /** Cap of one response body (default 4 MiB): a registry answer is a few KiB, an endless body must not fill memory. */
  maxResponseBytes?: number;
  /**
   * Asked before every write (POST, PUT); a reason stops the publish there. The publish task passes "nx is gone",
   * so a task orphaned by `kill -9` of nx writes nothing more.
   */
  stopBeforeWrite?: () => string | undefined;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
const MAX_BODY_CHARS = 2048;
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

export function truncateBody(body: string): string {
  const text = body.trim();
  if (!text) return '(empty response body)';
  if (text.length <= MAX_BODY_CHARS) return text;
  return `${text.slice(0, MAX_BODY_CHARS)}… (${text.length - MAX_BODY_CHARS} more characters)`;
}

/** Error codes of a transport failure, including wrapped causes and the parts of an AggregateError. */
function errorCodes(error: unknown, depth = 0): string[] {
  if (!error || typeof error !== 'object' || depth > 3) return [];
  const { code, cause, errors, name } = error as { code?: unknown; cause?: unknown; errors?: unknown; name?: unknown };
  return [
    ...(typeof code === 'string' ? [code] : []),
    ...(name === 'TimeoutError' ? ['ETIMEDOUT'] : []),
    ...errorCodes(cause, depth + 1),
    ...(Array.isArray(errors) ? errors.flatMap((inner) => errorCodes(inner, depth + 1)) : []),
  ];
}

function describeTransportError(error: unknown, timeoutMs: number): { reason: string; timedOut: boolean } {
  const codes = errorCodes(error);
  if (codes.some((code) => TIMEOUT_CODES.has(code))) return { reason: `no answer within ${timeoutMs} ms`, timedOut: true };
  const message = error instanceof Error ? error.message : String(error);
  const code = codes[0];
  return { reason: code && !message.includes(code) ? `${code}: ${message}` : message || code || 'unknown network error', timedOut: false };
}

function parseBaseUrl(apiUrl: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(apiUrl.trim().replace(/\/+$/, ''));
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new RegistryError(
      `The \`apiUrl\` option ${JSON.stringify(apiUrl)} is not an http(s) URL; set it to the registry's base URL, ` +
        'e.g. https://api.workers.iii.dev. Nothing was sent.',
    );
  }
  return url;
}

/**
 * The one HTTP door to the registry: every request goes through here, bounded by the publish's deadline, with the
 * key as a header only, and every URL it reports redacted. One private connection pool per publish, closed at the end.
 */
export class RegistryClient {
  private readonly base: URL;
  private readonly agent: Agent;
  private readonly requestTimeoutMs: number;
  private readonly maxResponseBytes: number;

  constructor(private readonly options: RegistryClientOptions) {
    this.base = parseBaseUrl(options.apiUrl);
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.agent = new Agent({ connect: { timeout: this.requestTimeoutMs } });
  }

  /** `{apiUrl}{path}` as messages show it: without credentials, without the key. */
  shown(path: string): string {
    const url = new URL(`${this.base.href.replace(/\/+$/, '')}${path}`);
    url.username = '';
    url.password = '';
    return redactSecret(url.href, this.options.apiKey);
  }

  /** Milliseconds left before the deadline. */
  remainingMs(): number {
    return this.options.deadline - Date.now();
  }

  /** The key removed, in every encoding: for any text the registry sent that may reach a message. */
  redact(text: string): string {
    return redactSecret(text, this.options.apiKey);
  }

  /** One request; `kind` says whether it changes the registry (`POST /resolve` is a read). */
  async send(method: 'GET' | 'POST' | 'PUT', path: string, body?: string, kind: 'read' | 'write' = method === 'GET' ? 'read' : 'write'): Promise<RegistryAnswer> {
    if (kind === 'write') {
      const stop = this.options.stopBeforeWrite?.();
      if (stop) {
        throw new RegistryError(
          `Stopped before ${method} ${this.shown(path)}: ${stop}. Nothing more was written; run publish-interface again to complete the publish ` +
            '(a stored version is recognised as identical, a moved channel as unchanged).',
        );
      }
    }
    const timeoutMs = Math.max(1, Math.min(this.requestTimeoutMs, this.remainingMs()));
    if (this.remainingMs() <= 0) return { kind: 'transport', reason: 'the publish deadline (publishTimeoutSeconds) has passed', timedOut: true };
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.options.apiKey) headers['x-api-key'] = this.options.apiKey;
    if (body !== undefined) headers['content-type'] = 'application/json';
    try {
      const response = await request(`${this.base.href.replace(/\/+$/, '')}${path}`, {
        method,
        dispatcher: this.agent,
        headers,
        body,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await readCapped(response.body, this.maxResponseBytes);
      if (text === undefined) {
        return {
          kind: 'transport',
          reason: `the response body exceeded ${formatBytes(this.maxResponseBytes)}, the cap of every registry answer (a registry answer is a few KiB): reading stopped there; check that \`apiUrl\` points at the workers registry`,
          timedOut: false,
        };
      }
      const header = response.headers.location;
      let json: unknown;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      const location = Array.isArray(header) ? header[0] : header;
      return { kind: 'answer', status: response.statusCode, body: this.redact(text), json, location: location === undefined ? undefined : this.redact(location) };
    } catch (error) {
      const described = describeTransportError(error, timeoutMs);
      return { kind: 'transport', reason: redactSecret(described.reason, this.options.apiKey), timedOut: described.timedOut };
    }
  }

  async close(): Promise<void> {
    await this.agent.destroy();
  }
}

/** The body as text, or undefined once it passes `limit` bytes (the rest is never read: the stream is destroyed). */
async function readCapped(body: AsyncIterable<Buffer> & { destroy(): unknown }, limit: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > limit) {
      body.destroy();
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function formatBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}
