// Writes its cwd, chosen env vars and argv to the file named by argv[2], then stays alive.
const { renameSync, writeFileSync } = require('node:fs');
const [outFile, ...rest] = process.argv.slice(2);
const env = {};
for (const key of ['III_URL', 'III_ENGINE_URL', 'TEST_PARENT_VAR', 'PATH']) env[key] = process.env[key];
// Written aside, then renamed: the test polls for the file and must never read it half written.
writeFileSync(`${outFile}.tmp`, JSON.stringify({ cwd: process.cwd(), env, args: rest }));
renameSync(`${outFile}.tmp`, outFile);
console.log('wrote', outFile);
setInterval(() => undefined, 60_000);
