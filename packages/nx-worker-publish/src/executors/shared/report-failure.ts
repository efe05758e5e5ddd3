import type { Reporter } from '../../core/reporter/step-reporter';

/** GitHub Actions reads `::error` lines as annotations; newlines must be escaped to stay in one annotation. */
const escapeAnnotation = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

const BUILT_IN_ERRORS: Function[] = [Error, TypeError, RangeError, ReferenceError, SyntaxError, EvalError, URIError, AggregateError];

/**
 * Problems users can fix are thrown as typed errors (ManifestError, RegistryError, ...) whose message is the whole
 * story. A bare built-in error (a TypeError from a bug, an unexpected system error) is not one of them.
 */
export function isUnexpectedError(error: unknown): boolean {
  return !(error instanceof Error) || BUILT_IN_ERRORS.includes(error.constructor);
}

/**
 * Prints a failure as the one paragraph its error carries. Users see no stack trace for problems they can fix;
 * --verbose shows it for unexpected errors, the rare bug in the plugin itself.
 */
export function reportFailure(reporter: Reporter, title: string, error: unknown, isVerbose: boolean): void {
  const message = error instanceof Error ? error.message : String(error);
  reporter.error(`✖ ${title}: ${message}`);
  if (isVerbose && error instanceof Error && error.stack && isUnexpectedError(error)) error.stack.split('\n').forEach((line) => reporter.verbose(line));
  if (process.env.GITHUB_ACTIONS === 'true') reporter.error(`::error title=${escapeAnnotation(title)}::${escapeAnnotation(message)}`);
}
