// e2e fixture: like iii-database, an unnamed worker (no workerName) whose functions live under the kebab-case
// namespace `kebab-db::`; the collector can only recognise it by that namespace.
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { registerWorker } = require('iii-sdk');

if (process.env.NXWP_E2E_MARKER_DIR) {
  const marker = { cwd: process.cwd(), envNames: Object.keys(process.env).sort() };
  writeFileSync(join(process.env.NXWP_E2E_MARKER_DIR, `kebab-db.${process.pid}.started`), JSON.stringify(marker));
}

const iii = registerWorker(process.env.III_URL, { enableMetricsReporting: false, otel: { enabled: false } });

iii.registerFunction('kebab-db::query', async () => ({ rows: [] }), {
  description: 'Run a read-only SQL query',
  request_format: { type: 'object', properties: { sql: { type: 'string' } }, required: ['sql'] },
  response_format: { type: 'object', properties: { rows: { type: 'array' } } },
});
iii.registerFunction('kebab-db::migrate', async () => null, {
  description: 'Apply pending migrations',
  metadata: { registry_name: 'migrate', dangerous: true },
});

process.stdin.resume();
