// `npm pack` / `npm publish` of the plugin: a clean build, plus the repository's README and LICENSE, which npm
// only picks up from the package folder itself.
const { copyFileSync, rmSync } = require('node:fs');
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');

const packageDir = join(__dirname, '..');
const repoRoot = join(packageDir, '..', '..');
rmSync(join(packageDir, 'dist'), { recursive: true, force: true }); // no stale files from an older build
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(packageDir, 'tsconfig.lib.json')], { stdio: 'inherit' });
for (const file of ['README.md', 'LICENSE']) copyFileSync(join(repoRoot, file), join(packageDir, file));
