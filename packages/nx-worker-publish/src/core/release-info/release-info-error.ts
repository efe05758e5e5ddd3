/** A value derived from git or CI (tag, repository URL) is missing or malformed; the message says what to set. */
export class ReleaseInfoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReleaseInfoError';
  }
}
