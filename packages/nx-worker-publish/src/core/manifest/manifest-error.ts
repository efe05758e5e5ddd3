/**
 * A problem in a worker's own files (iii.worker.yaml, its language manifest, config.yaml).
 * The message is one paragraph naming the file, the key and what is allowed, so it can be shown
 * to the user as is (no stack trace needed).
 */
export class ManifestError extends Error {
  override readonly name = 'ManifestError';

  constructor(
    message: string,
    /** Absolute path of the file at fault. */
    readonly file: string,
    /** The key at fault (dotted for nested keys, e.g. `runtime.entry`), when there is one. */
    readonly key?: string,
  ) {
    super(message);
  }
}
