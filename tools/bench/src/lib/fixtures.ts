import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryNodeModules, repositoryRoot } from './paths';

/** The example Node worker (iii-sdk, `scripts.start: node worker.js`), the "same worker each run". */
export const TODO_WORKER = 'todo-worker';

/** A folder whose `node_modules` is the repository's, so workers placed in it can `require('iii-sdk')`. */
export function linkNodeModules(root: string): void {
  symlinkSync(repositoryNodeModules(), join(root, 'node_modules'), 'dir');
}

/** Copies examples/todo-worker to `{root}/{folder}`, renamed to `name` (workerName, manifest and package name). */
export function copyTodoWorker(root: string, folder: string, name = TODO_WORKER): string {
  const source = join(repositoryRoot(), 'examples', TODO_WORKER);
  const target = join(root, folder);
  cpSync(source, target, { recursive: true, filter: (path) => !path.endsWith('project.json') });
  for (const file of ['worker.js', 'iii.worker.yaml', 'package.json']) {
    const path = join(target, file);
    writeFileSync(path, readFileSync(path, 'utf8').split(TODO_WORKER).join(name));
  }
  return target;
}

/**
 * The release "binary": an executable Node script with a Rust-style CLI (`relbin --url ws://…`), unnamed like a
 * Rust SDK worker (recognised by its `{bin}::` namespace). It runs from a cache folder, so iii-sdk is required by
 * absolute path.
 */
export function releaseBinaryScript(bin: string): Buffer {
  const namespace = bin.replace(/-/g, '_');
  return Buffer.from(`#!${process.execPath}
// Benchmark worker binary "${bin}": a real iii-sdk worker with two functions and one trigger type.
const { registerWorker } = require(${JSON.stringify(require.resolve('iii-sdk'))});

const urlFlag = process.argv.indexOf('--url');
const url = urlFlag > 0 ? process.argv[urlFlag + 1] : 'ws://127.0.0.1:49134';
const iii = registerWorker(url, { otel: { enabled: false } });

iii.registerFunction('${namespace}::echo', async (data) => data, {
  description: 'Echo the request back',
  request_format: { type: 'object' },
  response_format: { type: 'object' },
});
iii.registerFunction('${namespace}::reverse', async ({ text }) => ({ text: String(text).split('').reverse().join('') }), {
  description: 'Reverse a text',
  request_format: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
  response_format: { type: 'object', properties: { text: { type: 'string' } } },
});
iii.registerTriggerType({ id: '${namespace}::tick', description: 'Ticks' }, { async registerTrigger() {}, async unregisterTrigger() {} });
process.stdin.resume();
`);
}

/** A `deploy: binary` worker folder with no build target, so collection downloads the release asset. */
export function writeBinaryWorker(root: string, folder: string, bin: string, version: string): string {
  const dir = join(root, folder);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'iii.worker.yaml'),
    `iii: v1\nname: ${bin}\nlanguage: rust\ndeploy: binary\nmanifest: Cargo.toml\nbin: ${bin}\ndescription: Benchmark worker shipped as a release binary\n`,
  );
  // The "binary" is an iii-sdk Node script (releaseBinaryScript): its Cargo.toml names that SDK's version, so that
  // engineGeneration auto picks the generation it speaks (0.26 has no trigger types, and this worker registers one).
  const sdkVersion = (JSON.parse(readFileSync(join(repositoryNodeModules(), 'iii-sdk', 'package.json'), 'utf8')) as { version: string }).version;
  writeFileSync(
    join(dir, 'Cargo.toml'),
    `[package]\nname = "${bin}"\nversion = "${version}"\nedition = "2021"\n\n[dependencies]\niii-sdk = "=${sdkVersion}"\n`,
  );
  return dir;
}
