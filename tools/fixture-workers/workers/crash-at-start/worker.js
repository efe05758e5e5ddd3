// e2e fixture: a worker that dies while starting, before it ever reaches the engine.
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

if (process.env.NXWP_E2E_MARKER_DIR) {
  const marker = { cwd: process.cwd(), envNames: Object.keys(process.env).sort() };
  writeFileSync(join(process.env.NXWP_E2E_MARKER_DIR, `crash-at-start.${process.pid}.started`), JSON.stringify(marker));
}
console.error('crash-at-start: cannot open ./state/todo.db: no such file or directory');
process.exit(3);
