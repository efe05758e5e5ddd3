#!/usr/bin/env node
// Committed (not built) so `npm ci` links the bin even before `dist/` exists; it loads the compiled CLI at run time.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const cli = join(__dirname, '..', 'dist', 'cli', 'main.js');
if (!existsSync(cli)) {
  process.stderr.write(`worker-publish: the plugin is not built (${cli} is missing). Run "npm run build" in the repository root, then try again.\n`);
  process.exit(1);
}
require(cli).runCli();
