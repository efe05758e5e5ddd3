import { appendFileSync } from 'node:fs';

/** On GitHub Actions, appends markdown to the job's summary page. */
export function appendStepSummary(markdown: string): void {
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (process.env.GITHUB_ACTIONS === 'true' && file) appendFileSync(file, markdown.endsWith('\n') ? markdown : `${markdown}\n`);
}
