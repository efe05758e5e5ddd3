import { appendFileSync } from 'node:fs';

/**
 * On GitHub Actions, appends markdown to the job's summary page. It runs after the registry accepted the
 * payload, so a summary that cannot be written is only a warning: failing the task would invite a re-run
 * that publishes the same version again.
 */
export function appendStepSummary(markdown: string, warn: (line: string) => void, env: NodeJS.ProcessEnv = process.env): void {
  const file = env.GITHUB_STEP_SUMMARY;
  if (env.GITHUB_ACTIONS !== 'true' || !file) return;
  try {
    appendFileSync(file, markdown.endsWith('\n') ? markdown : `${markdown}\n`);
  } catch (error) {
    warn(`⚠ could not append to the step summary ${file} (GITHUB_STEP_SUMMARY): ${(error as Error).message}`);
  }
}
