// A worker that stays alive until it is killed.
require('./record-pid')('keep-running');
console.log(`keep-running pid ${process.pid}`);
setInterval(() => undefined, 60_000);
