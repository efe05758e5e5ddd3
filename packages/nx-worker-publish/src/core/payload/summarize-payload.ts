import type { PublishPayload } from './publish-payload';

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** Where the worker is installed from, in one line. */
function installSource(payload: PublishPayload): string {
  switch (payload.type) {
    case 'binary': {
      const targets = Object.keys(payload.binaries);
      return `binaries:  ${plural(targets.length, 'target')}: ${targets.join(', ')}`;
    }
    case 'image':
      return `image:     ${payload.image_tag}`;
    case 'bundle':
      return `bundle:    ${payload.archive_url} (sha256 ${payload.sha256.slice(0, 12)}…)`;
  }
}

/** The lines printed on dry run (and before a publish): what would be sent, without the readme. */
export function summarizePayload(payload: PublishPayload): string[] {
  return [
    `worker:    ${payload.worker_name}`,
    `version:   ${payload.version}`,
    `type:      ${payload.type}`,
    ...(payload.license ? [`license:   ${payload.license}`] : []),
    ...(payload.tags ? [`tags:      ${payload.tags.join(', ')}`] : []),
    ...(payload.experimental ? ['experimental: true'] : []),
    `functions: ${plural(payload.functions.length, 'function')}`,
    `triggers:  ${plural(payload.triggers.length, 'trigger')}`,
    installSource(payload),
  ];
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

/**
 * Markdown for `$GITHUB_STEP_SUMMARY`: what happened (the outcome lines, e.g. `published skills 0.1.4 (new)` and
 * `channel next: 0.1.3 → 0.1.4`), the install source, and the interface tables.
 */
export function markdownSummary(payload: PublishPayload, outcome: string[]): string {
  return [
    `### ${payload.worker_name} ${payload.version} (${payload.type})`,
    '',
    ...outcome.map((line) => `- ${line}`),
    '',
    installSource(payload).replace(/^(\w+):\s+/, (_m, key: string) => `${key[0].toUpperCase()}${key.slice(1)}: `),
    '',
    `#### Functions (${payload.functions.length})`,
    '',
    ...table('function', payload.functions),
    `#### Triggers (${payload.triggers.length})`,
    '',
    ...table('trigger', payload.triggers),
  ].join('\n');
}
