// Stands in for an Nx task process in the middle of a collection: it watches its parent, runs a worker tree and a
// worker that double-forks a daemon, and would write "the interface" 2 s after everything is up.
// argv: <compiled worker-process/index.js> <work dir>
const path = require('node:path');
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const [modulePath, workDir] = process.argv.slice(2);
const { startWorkerProcess, exitWhenParentDies } = require(modulePath);

require('./record-pid')('task');
exitWhenParentDies(() => undefined);

async function main() {
  const start = (script, name) =>
    startWorkerProcess(
      { command: process.execPath, args: [path.join(__dirname, script)], cwd: __dirname, env: {} },
      { logFile: path.join(workDir, `${name}.log`), graceMs: 300 },
    );
  await start('spawn-tree.js', 'tree');
  await start('double-fork-daemon.js', 'daemon');
  const pidsFile = process.env.PIDS_FILE;
  // controller, task, 4 of the tree, worker + middle + daemon
  while (!existsSync(pidsFile) || readFileSync(pidsFile, 'utf8').trim().split('\n').length < 9) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  writeFileSync(path.join(workDir, 'ready'), '');
  setTimeout(() => writeFileSync(path.join(workDir, 'interface.json'), '{}'), 2000);
  setInterval(() => undefined, 60_000);
}
main().catch((error) => {
  console.error(error);
  process.exit(1);
});
