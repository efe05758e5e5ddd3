import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURE_WORKERS_DIR } from '../../../../../../tools/fixture-workers/src';
import { pythonFixturePython, rustFixtureBinary, type PythonFixtureName, type RustFixtureName } from '../../../../../../tools/fixture-workers/fixture-builds';
import type { EngineGeneration } from '../../engine/generation';
import { readWorkerManifest } from '../../manifest';
import { bufferedReporter } from '../../reporter/step-reporter';
import { tempDir } from '../../../test-support/temp-dirs';
import { collectWorkerInterface, type CollectRequest, type CollectResult } from '../collect-worker-interface';

/** The built binary of a Rust fixture; fails the test with the fix when `npm run fixtures` has not run. */
export function builtRustFixture(name: RustFixtureName): string {
  const binary = rustFixtureBinary(name);
  if (!existsSync(binary)) throw new Error(`${binary} is missing: run \`npm run fixtures\` (part of npm test) to build the fixture workers.`);
  return binary;
}

/** Fails the test with the fix when a Python fixture's virtual environment was not created. */
export function requirePythonFixture(name: PythonFixtureName): void {
  if (!existsSync(pythonFixturePython(name))) throw new Error(`${pythonFixturePython(name)} is missing: run \`npm run fixtures\` (part of npm test).`);
}

/** The interface written by hand from a fixture worker's source. */
export const expectedInterface = (fixture: string) => JSON.parse(readFileSync(join(FIXTURE_WORKERS_DIR, fixture, 'expected-interface.json'), 'utf8'));

export interface FixtureCollection {
  workspaceRoot?: string;
  /** Default: the fixture's committed folder. */
  projectRoot: string;
  launch?: CollectRequest['launch'];
  /** Default `auto`, the executor's default. */
  generation?: EngineGeneration | 'auto';
  /** Another engine than the embedded one (overrides `generation`). */
  engine?: CollectRequest['engine'];
  /** Default 120 (the executor's default). */
  waitSeconds?: number;
}

/**
 * Collects a worker the way the executor does on default options (120 s wait, default settle, generation auto),
 * into a temporary folder. Resolves with the written interface and the progress text; on failure the error message
 * gets the progress text appended, so a failing test shows every step.
 */
export async function collectFixture(
  options: FixtureCollection,
): Promise<{ iface: unknown; collectedFrom: unknown; log: string; live: string; result: CollectResult }> {
  const workspaceRoot = options.workspaceRoot ?? FIXTURE_WORKERS_DIR;
  const out = tempDir('collect-fixture');
  // `live`: what a batched Nx task shows while it runs (slow steps starting, compile progress, warnings).
  const live: string[] = [];
  const reporter = bufferedReporter(true, (line) => void live.push(line));
  const request: CollectRequest = {
    workspaceRoot,
    projectRoot: options.projectRoot,
    worker: options.projectRoot.split('/').pop()!,
    manifest: readWorkerManifest(join(workspaceRoot, options.projectRoot)),
    launch: options.launch ?? {},
    engine: options.engine ?? { kind: 'embedded', generation: options.generation ?? 'auto' },
    waitSeconds: options.waitSeconds ?? 120,
    outputFile: join(out, 'worker-interface.json'),
    logDir: out,
    reporter,
  };
  try {
    const result = await collectWorkerInterface(request);
    // The interface file also says what ran (`collected_from`); the expected interfaces are the functions and triggers.
    const { collected_from: collectedFrom, ...iface } = JSON.parse(readFileSync(request.outputFile, 'utf8'));
    return { iface, collectedFrom, log: reporter.text(), live: live.join('\n'), result };
  } catch (error) {
    (error as Error).message += `\n--- progress ---\n${reporter.text()}\n--- shown while it ran ---\n${live.join('\n')}`;
    throw error;
  }
}
