// Stands in for `nx`: forks a task process with an IPC channel, as Nx forks its task and batch processes, then idles.
// argv: <compiled worker-process/index.js> <work dir>
const { fork } = require('node:child_process');
const path = require('node:path');
require('./record-pid')('controller');
fork(path.join(__dirname, 'task-with-workers.js'), process.argv.slice(2), { stdio: 'ignore' });
setInterval(() => undefined, 60_000);
