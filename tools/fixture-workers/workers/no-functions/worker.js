// e2e fixture: a worker that connects and names itself but registers no function (like an LSP-only worker).
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { registerWorker } = require('iii-sdk');

if (process.env.NXWP_E2E_MARKER_DIR) {
  const marker = { cwd: process.cwd(), envNames: Object.keys(process.env).sort() };
  writeFileSync(join(process.env.NXWP_E2E_MARKER_DIR, `no-functions.${process.pid}.started`), JSON.stringify(marker));
}
registerWorker(process.env.III_URL, { workerName: 'no-functions', enableMetricsReporting: false, otel: { enabled: false } });
process.stdin.resume();
