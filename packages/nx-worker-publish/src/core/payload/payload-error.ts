/** A payload cannot be built from the given inputs; the message names the file or option to fix. */
export class PayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadError';
  }
}
