/**
 * A problem with the target's options or the files it reads (not the worker's own files, which raise
 * ManifestError): the message says what to change, so it is shown without a stack trace.
 */
export class ExecutorInputError extends Error {
  override readonly name = 'ExecutorInputError';
}
