import type { Summary } from '../lib/stats';

export interface Row {
  label: string;
  summary?: Summary;
  /** A single value instead of a summary (already formatted). */
  value?: string;
  goal?: string;
  met?: boolean;
}

export const ms = (value: number) =>
  Number.isNaN(value) ? '?' : value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : value >= 100 ? `${Math.round(value)} ms` : `${value.toFixed(1)} ms`;

/** A Markdown table (readable as is in a terminal, pasteable into the README). */
export function renderTable(rows: Row[]): string {
  const header = ['', 'median', 'min', 'max', 'goal', ''];
  const body = rows.map((row) => [
    row.label,
    row.summary ? ms(row.summary.median) : (row.value ?? ''),
    row.summary ? ms(row.summary.min) : '',
    row.summary ? ms(row.summary.max) : '',
    row.goal ?? '',
    row.met === undefined ? '' : row.met ? '✓' : '✗',
  ]);
  const widths = header.map((_, i) => Math.max(header[i].length, ...body.map((cells) => [...cells[i]].length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell + ' '.repeat(widths[i] - [...cell].length)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}
