import { join } from 'node:path';

/** The folder holding every fixture worker's files, as they are copied into a workspace. */
export const FIXTURE_WORKERS_DIR = join(__dirname, '..', 'workers');

/** How the plugin is expected to start each fixture, and what makes it special. */
export const FIXTURE_WORKERS = {
  /** Named Node `iii-sdk` worker started by `scripts.start`; deploy image; config.yaml, README and dependencies. */
  'node-todo': { launch: 'start-script', deploy: 'image' },
  /** Unnamed "Rust" worker (Cargo.toml version) run only from its release tarball; `release_echo::` namespace. */
  'release-echo': { launch: 'release-binary', deploy: 'binary', bin: 'release-echo', binarySource: 'src/release-echo.js' },
  /** Named worker whose binary its project.json `build` target writes to `target/release/built-greeter`. */
  'built-greeter': { launch: 'build-output', deploy: 'binary', bin: 'built-greeter', binarySource: 'src/main.js' },
  /** Like iii-database: no name of its own, functions under the kebab-case namespace `kebab-db::`. */
  'kebab-db': { launch: 'start-script', deploy: 'image' },
  /** Prints an error and exits with code 3 before reaching the engine. */
  'crash-at-start': { launch: 'start-script', deploy: 'image' },
  /** Keeps running but never connects to the engine. */
  'never-registers': { launch: 'start-script', deploy: 'image' },
  /** Connects and names itself, but registers no function. */
  'no-functions': { launch: 'start-script', deploy: 'image' },
  /** Real Rust worker on iii-sdk =0.11.3 (the workers repository's pin): `--url`, `--config` (default ./config.yaml, required). */
  'rust-sdk-0-11': { launch: 'build-output', deploy: 'binary', bin: 'rust-sdk-0-11', sdk: 'rust 0.11.3' },
  /** Real Rust worker on iii-sdk =0.25.0: an observable function (`observe` descriptor) and a deprecated trigger type. */
  'rust-sdk-0-25': { launch: 'build-output', deploy: 'binary', bin: 'rust-sdk-0-25', sdk: 'rust 0.25.0' },
  /** Real Rust worker on iii-sdk =0.26.0-rc.4: three functions, one with `args_format` (registered only on `observe.v2`). */
  'rust-sdk-0-26': { launch: 'build-output', deploy: 'binary', bin: 'rust-sdk-0-26', sdk: 'rust 0.26.0-rc.4' },
  /** Real Python worker on iii-sdk==0.11.3, `scripts.start` from its `.venv`. */
  'python-sdk-0-11': { launch: 'start-script', deploy: 'image', sdk: 'python 0.11.3' },
  /** Real Python worker on iii-sdk==0.25.0: an observable function and a deprecated trigger type. */
  'python-sdk-0-25': { launch: 'start-script', deploy: 'image', sdk: 'python 0.25.0' },
  /** Real Node worker on iii-sdk 0.22.1 (devDependency `iii-sdk`): a registry_name, a trigger type with a schema. */
  'node-sdk-0-22': { launch: 'start-script', deploy: 'image', sdk: 'node 0.22.1' },
  /** Real Node worker on iii-sdk 0.11.6 (devDependency `iii-sdk-0-11`). */
  'node-sdk-0-11': { launch: 'start-script', deploy: 'image', sdk: 'node 0.11.6' },
  /** Its iii.worker.yaml says `deploy: lambda`. */
  'bad-manifest': { launch: 'none', deploy: 'invalid' },
} as const;

export type FixtureWorkerName = keyof typeof FIXTURE_WORKERS;

/** Fixtures that ship a "binary" (an executable Node script taking `--url <engine>`). */
export type BinaryFixtureName = 'release-echo' | 'built-greeter';

/** Every fixture started by a start script carries this argument, so its processes stand out in the process table. */
export const FIXTURE_ARGUMENT_PREFIX = '--nxwp-fixture=';
