// e2e fixture: never meant to run; its iii.worker.yaml has an invalid `deploy`.
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

if (process.env.NXWP_E2E_MARKER_DIR) {
  const marker = { cwd: process.cwd(), envNames: Object.keys(process.env).sort() };
  writeFileSync(join(process.env.NXWP_E2E_MARKER_DIR, `bad-manifest.${process.pid}.started`), JSON.stringify(marker));
}
