// A stubborn process: ignores SIGTERM, so only SIGKILL ends it. With --spawn-child it starts one more
// stubborn process (which stays in this process's group).
const { spawn } = require('node:child_process');

process.on('SIGTERM', () => console.log(`ignore-sigterm ${process.pid}: ignoring SIGTERM`));
if (process.argv.includes('--spawn-child')) {
  spawn(process.execPath, [__filename], { stdio: 'inherit' });
}
require('./record-pid')('ignore-sigterm');
setInterval(() => undefined, 60_000);
