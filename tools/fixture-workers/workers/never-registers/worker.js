// e2e fixture: a worker that starts and keeps running but never connects to the engine (a hung boot).
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

if (process.env.NXWP_E2E_MARKER_DIR) {
  const marker = { cwd: process.cwd(), envNames: Object.keys(process.env).sort() };
  writeFileSync(join(process.env.NXWP_E2E_MARKER_DIR, `never-registers.${process.pid}.started`), JSON.stringify(marker));
}
console.log('never-registers: warming up caches…');
setInterval(() => undefined, 60_000);
