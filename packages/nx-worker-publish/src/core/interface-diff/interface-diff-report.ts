import type { GateVerdict } from './breaking-gate';
import { describeSchemaChange, isEmptyDiff, type EntryChanges, type InterfaceDiff } from './diff-interfaces';
import { plainText } from './plain-text';

/** What the interface was compared with. */
export interface DiffReference {
  /** `registry`: the version a channel points at; `base-commit`: the interface collected on the base commit; `none`: nothing published yet. */
  kind: 'registry' | 'base-commit' | 'none';
  /** How reports name it, e.g. `0.3.0 (registry channel latest)`, `base commit 1a2b3c4 (main)`. */
  label: string;
  version?: string;
  /** Why the registry was not used, when it was not. */
  note?: string;
}

export interface InterfaceDiffReport {
  worker: string;
  version: string;
  reference: DiffReference;
  diff: InterfaceDiff;
  verdict: GateVerdict;
}

const VERDICT_TEXT: Record<GateVerdict['status'], string> = {
  compatible: '✔ compatible',
  'breaking-allowed-by-version': '⚠ breaking, allowed by the version bump',
  'breaking-allowed-by-option': '⚠ breaking, allowed by allowBreakingChanges',
  breaking: '✖ breaking',
};

/** The JSON report: the whole comparison, stable for tools (sorted lists, 2-space indent, trailing newline). */
export function renderJsonReport(report: InterfaceDiffReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** One line per worker, as the terminal and the overall summary show it. */
export function verdictLine(report: InterfaceDiffReport): string {
  const { verdict } = report;
  const needs = verdict.status === 'breaking' && verdict.requiredVersion ? ` (needs ${verdict.requiredVersion} or later)` : '';
  // The label carries the registry's version string: shown without control characters, like everything untrusted.
  return plainText(`${VERDICT_TEXT[verdict.status]}${needs}: ${report.worker} ${report.version} compared with ${report.reference.label}, ${countChanges(report.diff)}`);
}

/** The Markdown report a reviewer reads: the verdict first, then one row per change, breaking ones marked. */
export function renderMarkdownReport(report: InterfaceDiffReport): string {
  const { verdict } = report;
  const lines = [`### ${cell(report.worker)} ${cell(report.version)}: ${VERDICT_TEXT[verdict.status]}`, '', `Compared with ${cell(report.reference.label)}.`];
  if (report.reference.note) lines.push(`${cell(report.reference.note)}.`);
  lines.push('');
  if (verdict.status === 'breaking') {
    lines.push(`**${verdict.breaking.length} breaking change(s) under ${report.version}.** ${verdict.requiredVersion ? `Release them as **${verdict.requiredVersion}** or later, ` : ''}restore what callers rely on, or set \`allowBreakingChanges\`.`, '');
  }
  if (isEmptyDiff(report.diff)) return [...lines, 'No functions or trigger types added, removed or changed.', ''].join('\n');
  lines.push('| change | name | breaking |', '| --- | --- | --- |');
  addRows(lines, 'function', report.diff.functions);
  addRows(lines, 'trigger type', report.diff.triggers);
  return [...lines, ''].join('\n');
}

/** The overall summary of several workers (an `nx affected` run): one row per worker, breaking ones first. */
export function renderMarkdownSummary(reports: InterfaceDiffReport[]): string {
  const order = (report: InterfaceDiffReport) => ['breaking', 'breaking-allowed-by-option', 'breaking-allowed-by-version', 'compatible'].indexOf(report.verdict.status);
  const sorted = [...reports].sort((a, b) => order(a) - order(b) || (a.worker < b.worker ? -1 : a.worker > b.worker ? 1 : 0));
  const failing = reports.filter((report) => report.verdict.status === 'breaking').length;
  return [
    `## Worker interfaces: ${reports.length} compared, ${failing === 0 ? 'none blocked' : `${failing} blocked by breaking changes`}`,
    '',
    '| worker | version | compared with | changes | verdict |',
    '| --- | --- | --- | --- | --- |',
    ...sorted.map(
      (report) =>
        `| ${cell(report.worker)} | ${cell(report.version)} | ${cell(report.reference.label)} | ${countChanges(report.diff)} | ${VERDICT_TEXT[report.verdict.status]}${
          report.verdict.status === 'breaking' && report.verdict.requiredVersion ? ` (needs ${report.verdict.requiredVersion})` : ''
        } |`,
    ),
    '',
  ].join('\n');
}

function addRows(lines: string[], kind: string, changes: EntryChanges): void {
  for (const name of changes.removed) lines.push(`| removed ${kind} | ${code(name)} | **yes** |`);
  for (const entry of changes.changed) {
    for (const field of entry.schemas) {
      for (const change of field.changes) lines.push(`| ${field.schema}: ${cell(describeSchemaChange(change))} | ${code(entry.name)} | ${change.breaking ? '**yes**' : 'no'} |`);
    }
  }
  for (const name of changes.added) lines.push(`| added ${kind} | ${code(name)} | no |`);
}

function countChanges(diff: InterfaceDiff): string {
  const count = (changes: EntryChanges) => [changes.added.length, changes.removed.length, changes.changed.length];
  const [fa, fr, fc] = count(diff.functions);
  const [ta, tr, tc] = count(diff.triggers);
  if (fa + fr + fc + ta + tr + tc === 0) return 'no changes';
  const part = (n: number, word: string) => (n > 0 ? [`${n} ${word}`] : []);
  return [...part(fa + ta, 'added'), ...part(fr + tr, 'removed'), ...part(fc + tc, 'changed')].join(', ');
}

/** Table cells stay on one line and cannot end the cell early. */
const cell = (text: string) => plainText(text).replace(/\|/g, '\\|');
const code = (text: string) => `\`${cell(text).replace(/`/g, "'")}\``;
