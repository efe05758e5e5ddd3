import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendStepSummary } from './github-step-summary';

describe('appendStepSummary', () => {
  let dir: string;
  let summary: string;
  const warnings: string[] = [];
  const warn = (line: string) => warnings.push(line);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'step-summary-'));
    summary = join(dir, 'summary.md');
    writeFileSync(summary, '# build\n');
    warnings.length = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('appends the markdown, ending it with a newline, on GitHub Actions', () => {
    appendStepSummary('### calc 1.4.0', warn, { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary });
    appendStepSummary('| a |\n', warn, { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary });
    expect(readFileSync(summary, 'utf8')).toBe('# build\n### calc 1.4.0\n| a |\n');
    expect(warnings).toEqual([]);
  });

  it('writes nothing outside GitHub Actions, or without GITHUB_STEP_SUMMARY', () => {
    appendStepSummary('### calc', warn, { GITHUB_STEP_SUMMARY: summary });
    appendStepSummary('### calc', warn, { GITHUB_ACTIONS: 'false', GITHUB_STEP_SUMMARY: summary });
    appendStepSummary('### calc', warn, { GITHUB_ACTIONS: 'true' });
    expect(readFileSync(summary, 'utf8')).toBe('# build\n');
    expect(warnings).toEqual([]);
  });

  it('warns instead of throwing when the summary cannot be written', () => {
    const missing = join(dir, 'no-such-folder', 'summary.md');
    expect(() => appendStepSummary('### calc', warn, { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: missing })).not.toThrow();
    expect(warnings).toEqual([expect.stringMatching(new RegExp(`^⚠ could not append to the step summary ${missing} \\(GITHUB_STEP_SUMMARY\\): ENOENT`))]);
  });
});
