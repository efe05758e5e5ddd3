// A launcher that starts the real worker and exits at once (like a wrapper script), leaving its child
// running in the process group.
const { spawn } = require('node:child_process');
const path = require('node:path');

require('./record-pid')('launcher');
const child = spawn(process.execPath, [path.join(__dirname, 'keep-running.js')], { stdio: 'inherit' });
child.unref();
setTimeout(() => process.exit(0), 300);
