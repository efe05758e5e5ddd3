import type { PublishPayload } from './publish-payload';

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** The lines printed on dry run (and before a publish): what would be sent, without the readme. */
export function summarizePayload(payload: PublishPayload): string[] {
  const lines = [
    `worker:    ${payload.worker_name}`,
    `version:   ${payload.version}`,
    `tag:       ${payload.tag}`,
    `type:      ${payload.type}`,
    `functions: ${plural(payload.functions.length, 'function')}`,
    `triggers:  ${plural(payload.triggers.length, 'trigger')}`,
  ];
  if (payload.type === 'binary') {
    const targets = Object.keys(payload.binaries);
    lines.push(`binaries:  ${plural(targets.length, 'target')}: ${targets.join(', ')}`);
  } else {
    lines.push(`image:     ${payload.image_tag}`);
  }
  return lines;
}

/** Table cells must stay on one line and must not end the cell early. */
function cell(text: string): string {
  const flat = text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|').trim();
  return flat === '' ? ' ' : flat;
}

function table(heading: string, rows: { name: string; description: string }[]): string[] {
  if (rows.length === 0) return [`No ${heading}s.`, ''];
  return [
    `| ${heading} | description |`,
    '| --- | --- |',
    ...rows.map((row) => `| \`${cell(row.name).replace(/`/g, "'")}\` | ${cell(row.description)} |`),
    '',
  ];
}

/** Markdown for `$GITHUB_STEP_SUMMARY`: the release line, the install source, and the interface tables. */
export function markdownSummary(payload: PublishPayload): string {
  const install =
    payload.type === 'binary'
      ? `Binaries: ${Object.keys(payload.binaries).map((target) => `\`${target}\``).join(', ')}`
      : `Image: \`${payload.image_tag}\``;
  return [
    `### ${payload.worker_name} ${payload.version} → \`${payload.tag}\` (${payload.type})`,
    '',
    install,
    '',
    `#### Functions (${payload.functions.length})`,
    '',
    ...table('function', payload.functions),
    `#### Triggers (${payload.triggers.length})`,
    '',
    ...table('trigger', payload.triggers),
  ].join('\n');
}
