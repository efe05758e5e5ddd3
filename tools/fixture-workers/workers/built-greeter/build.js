// e2e fixture: "compiles" built-greeter into target/release/built-greeter, like `cargo build --release` would.
// The greeting comes from <workspace>/fixture-shared/greeting.txt (outside the project), so a change there changes
// the build output without touching the worker's own files.
const { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

let workspaceRoot = __dirname;
while (!existsSync(join(workspaceRoot, 'nx.json')) && dirname(workspaceRoot) !== workspaceRoot) workspaceRoot = dirname(workspaceRoot);
const greetingFile = join(workspaceRoot, 'fixture-shared', 'greeting.txt');
const greeting = existsSync(greetingFile) ? readFileSync(greetingFile, 'utf8').trim() : 'Hello';

if (process.env.NXWP_E2E_MARKER_DIR) {
  const marker = { greeting };
  writeFileSync(join(process.env.NXWP_E2E_MARKER_DIR, `built-greeter.build.${process.pid}`), JSON.stringify(marker));
}

const source = readFileSync(join(__dirname, 'src', 'main.js'), 'utf8');
const out = join(__dirname, 'target', 'release', 'built-greeter');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, source.split('__GREETING__').join(JSON.stringify(greeting).slice(1, -1)));
chmodSync(out, 0o755);
console.log(`built target/release/built-greeter (greeting: ${greeting})`);
