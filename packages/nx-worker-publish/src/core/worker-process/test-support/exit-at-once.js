// A worker that fails on startup: prints a line and exits with code 3.
console.log('fatal: cannot read ./config.yaml (test worker)');
process.exit(3);
