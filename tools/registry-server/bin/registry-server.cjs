#!/usr/bin/env node
// Runs the registry stand-in as a process: `node tools/registry-server/bin/registry-server.cjs --help`.
// The stand-in is TypeScript; this compiles each file on load with the workspace's own `typescript` (no build step).
const { readFileSync } = require('node:fs');
const ts = require('typescript');

require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(readFileSync(filename, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    fileName: filename,
  });
  module._compile(outputText, filename);
};

require('../src/main.ts')
  .runRegistryServerCli(process.argv.slice(2))
  .catch((error) => {
    process.stderr.write(`registry-server: ${error.message}\n`);
    process.exit(1);
  });
