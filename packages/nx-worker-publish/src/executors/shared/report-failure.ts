import type { Reporter } from '../../core/reporter/step-reporter';

/** GitHub Actions reads `::error::` lines as annotations; newlines must be escaped to stay in one annotation. */
const escapeAnnotation = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

/**
 * Prints a failure as the one paragraph its error carries. Users see no stack trace for problems they can fix;
 * --verbose shows it for the rare bug in the plugin itself.
 */
export function reportFailure(reporter: Reporter, title: string, error: unknown, isVerbose: boolean): void {
  const message = error instanceof Error ? error.message : String(error);
  reporter.error(`✖ ${title}: ${message}`);
  if (isVerbose && error instanceof Error && error.stack) reporter.verbose(error.stack);
  if (process.env.GITHUB_ACTIONS === 'true') reporter.error(`::error title=${escapeAnnotation(title)}::${escapeAnnotation(message)}`);
}
