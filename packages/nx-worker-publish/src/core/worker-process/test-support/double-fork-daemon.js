// A worker that starts a daemon the classic way: fork, setsid (detached: true), fork again, and the middle process
// exits, so the daemon is re-parented to init in a session of its own, outside the worker's tree and group.
// argv[2]: worker (default) | middle | daemon. Every role records its pid.
const { spawn } = require('node:child_process');
const role = process.argv[2] ?? 'worker';
require('./record-pid')(role);
if (role === 'daemon') {
  setInterval(() => undefined, 60_000);
} else if (role === 'middle') {
  spawn(process.execPath, [__filename, 'daemon'], { detached: true, stdio: 'ignore' }).unref();
  setTimeout(() => process.exit(0), 50);
} else {
  spawn(process.execPath, [__filename, 'middle'], { detached: true, stdio: 'ignore' }).unref();
  console.log('worker started a daemon');
  setInterval(() => undefined, 60_000);
}
