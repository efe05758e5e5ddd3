#!/usr/bin/env node
// Builds what the real-SDK fixture workers need before the tests run (`npm run fixtures`, part of `npm test`):
// - the Rust workspace (Cargo.toml beside this file), dev profile, into a target folder outside the clone that is
//   keyed by the Cargo.lock hash, so later runs on the same machine are warm and a changed lock starts clean;
// - one virtual environment per Python fixture (workers/<name>/.venv), from its pinned requirements.txt, recreated
//   only when requirements.txt changed.
// Plain CommonJS so that it runs before anything is compiled; the tests use the same paths (fixture-builds.d.ts).
'use strict';
const { createHash } = require('node:crypto');
const { execFileSync } = require('node:child_process');
const { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { homedir } = require('node:os');
const { join } = require('node:path');

const FIXTURES_DIR = __dirname;
const WORKERS_DIR = join(FIXTURES_DIR, 'workers');
const RUST_FIXTURES = ['rust-sdk-0-11', 'rust-sdk-0-25', 'rust-sdk-0-26'];
const PYTHON_FIXTURES = ['python-sdk-0-11', 'python-sdk-0-25'];

const sha256 = (text) => createHash('sha256').update(text).digest('hex');

/** `$XDG_CACHE_HOME/nx-worker-publish/fixture-target-<lock hash>` (default `~/.cache`), unless FIXTURE_CARGO_TARGET_DIR says otherwise. */
function rustTargetDir() {
  if (process.env.FIXTURE_CARGO_TARGET_DIR) return process.env.FIXTURE_CARGO_TARGET_DIR;
  const cache = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  const lockHash = sha256(readFileSync(join(FIXTURES_DIR, 'Cargo.lock'))).slice(0, 12);
  return join(cache, 'nx-worker-publish', `fixture-target-${lockHash}`);
}

/** The dev-profile binary of a Rust fixture, as `buildRustFixtures` leaves it. */
const rustFixtureBinary = (name) => join(rustTargetDir(), 'debug', name);

/** The interpreter of a Python fixture's virtual environment. */
const pythonFixturePython = (name) => join(WORKERS_DIR, name, '.venv', 'bin', 'python');

function timed(label, run) {
  const started = Date.now();
  run();
  console.log(`fixtures: ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

function buildRustFixtures() {
  const targetDir = rustTargetDir();
  mkdirSync(targetDir, { recursive: true });
  timed(`Rust fixtures built in ${targetDir}`, () =>
    execFileSync('cargo', ['build', '--locked', '--workspace', '--bins'], {
      cwd: FIXTURES_DIR,
      env: { ...process.env, CARGO_TARGET_DIR: targetDir },
      stdio: 'inherit',
    }),
  );
}

function preparePythonFixture(name) {
  const dir = join(WORKERS_DIR, name);
  const venv = join(dir, '.venv');
  const stamp = join(venv, '.requirements.sha256');
  const wanted = sha256(readFileSync(join(dir, 'requirements.txt')));
  if (existsSync(pythonFixturePython(name)) && existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) return;
  timed(`${name}/.venv installed from requirements.txt`, () => {
    rmSync(venv, { recursive: true, force: true });
    execFileSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' });
    const pip = ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-deps', '-r', join(dir, 'requirements.txt')];
    execFileSync(pythonFixturePython(name), pip, { stdio: 'inherit' });
    writeFileSync(stamp, wanted);
  });
}

function prepareFixtures() {
  for (const name of PYTHON_FIXTURES) preparePythonFixture(name);
  buildRustFixtures();
}

module.exports = { RUST_FIXTURES, PYTHON_FIXTURES, rustTargetDir, rustFixtureBinary, pythonFixturePython, prepareFixtures };

if (require.main === module) prepareFixtures();
