// A parent process (like an Nx task) that starts a worker tree through the compiled worker-process module.
// argv: <compiled worker-process/index.js> <log file> <mode: wait | exit>
// wait: idles until a signal arrives; exit: calls process.exit(0) once the tree is up.
const path = require('node:path');
const { existsSync, readFileSync } = require('node:fs');

const [modulePath, logFile, mode] = process.argv.slice(2);
const { startWorkerProcess } = require(modulePath);

async function main() {
  await startWorkerProcess(
    { command: process.execPath, args: [path.join(__dirname, 'spawn-tree.js')], cwd: __dirname, env: {} },
    { logFile, graceMs: 500 },
  );
  // The tree has 4 processes; wait until all recorded their pids.
  while (!existsSync(process.env.PIDS_FILE) || readFileSync(process.env.PIDS_FILE, 'utf8').trim().split('\n').length < 4) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  console.log('ready');
  if (mode === 'exit') process.exit(0);
  setInterval(() => undefined, 60_000);
}
main().catch((error) => {
  console.error(error);
  process.exit(1);
});
