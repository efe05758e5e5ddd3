export type ReleaseAssetErrorKind =
  | 'invalid-input'
  | 'not-found'
  | 'http-status'
  | 'network'
  | 'timeout'
  | 'bad-checksum-file'
  | 'checksum-mismatch'
  | 'bad-archive'
  | 'unsafe-archive'
  | 'archive-too-large'
  | 'binary-not-found'
  | 'unsupported-archive'
  | 'missing-targets'
  | 'local-io';

/** A release asset could not be fetched, trusted or unpacked. The message names the URL or entry at fault. */
export class ReleaseAssetError extends Error {
  override readonly name = 'ReleaseAssetError';

  constructor(
    message: string,
    readonly kind: ReleaseAssetErrorKind,
    readonly details: { url?: string; status?: number; retryable?: boolean; retryAfterMs?: number } = {},
  ) {
    super(message);
  }
}
