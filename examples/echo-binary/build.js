// "Compiles" the worker: writes target/release/echo-binary, an executable like a cargo build output would be.
const { chmodSync, copyFileSync, mkdirSync } = require('node:fs');
const { join } = require('node:path');

const out = join(__dirname, 'target', 'release');
mkdirSync(out, { recursive: true });
copyFileSync(join(__dirname, 'src', 'main.js'), join(out, 'echo-binary'));
chmodSync(join(out, 'echo-binary'), 0o755);
console.log('built target/release/echo-binary');
