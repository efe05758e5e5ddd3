// A worker with descendants: a plain grandchild in the worker's group, and a grandchild that starts its own
// process group, ignores SIGTERM and has a stubborn child of its own. Every process records its pid.
const { spawn } = require('node:child_process');
const path = require('node:path');

require('./record-pid')('worker');
spawn(process.execPath, [path.join(__dirname, 'keep-running.js')], { stdio: 'inherit' });
spawn(process.execPath, [path.join(__dirname, 'ignore-sigterm.js'), '--spawn-child'], { stdio: 'inherit', detached: true });
console.log('tree started');
setInterval(() => undefined, 60_000);
