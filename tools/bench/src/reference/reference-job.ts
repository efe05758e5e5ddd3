/**
 * One worker published the way the workers CI's `_publish-registry.yml` job does it (spec publish-pipeline §1.4 steps
 * 3–5, §4), in one of its two ways of starting a Rust worker:
 *  - `release-binary` (PR #76, §4.2): download `{bin}-{target}.tar.gz` with curl, extract it with `tar -xzf` and
 *    `chmod +x` (no checksum: the job does not verify one), then run the binary from the worker folder;
 *  - `cargo-run` (the May job, §4.1): `cargo run --bin {bin}` from the worker folder, a cold debug build, then
 *    `sleep 2` and `kill -0` before collecting.
 * Both start the engine and wait until an `iii trigger engine::workers::list` answers, then run
 * `collect_worker_interface.py --wait-seconds 120` (reference-collector.ts).
 *
 * Left out, so the figure is a floor of the real job: the runner's start-up, checkout, `pip install pyyaml`, the iii CLI
 * install, `resolve_binary_artifacts.py`, the payload and the POST.
 *
 * The engine is the embedded one in the legacy generation (there is no `iii` binary here), hosted by this process.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startEmbeddedEngine } from 'nx-worker-publish/dist/core/engine/embedded-engine';
import { referenceClientScript } from '../lib/paths';
import { runCommand } from '../lib/run-command';
import { referenceCollect } from './reference-collector';

export type ReferenceStart =
  | { mode: 'release-binary'; archiveUrl: string }
  /** `targetDir` is the CARGO_TARGET_DIR, empty for a cold build; crates come from cargo's registry cache. */
  | { mode: 'cargo-run'; targetDir: string };

export interface ReferenceJobRequest {
  /** The worker's folder (its registry name) and `bin`. */
  folder: string;
  bin: string;
  workerDir: string;
  start: ReferenceStart;
  /** Scratch folder of this job (the runner's /tmp). */
  workDir: string;
  /**
   * cargo-run only: when collection fails, let the build run to its end (up to this many ms) before the job stops
   * it, so the build's own duration is known even when it outlasted the 120 s wait.
   */
  finishBuildOnFailureMs?: number;
}

export interface ReferenceJobResult {
  total_ms: number;
  /** release-binary: curl + tar + chmod; cargo-run: 0 (the build runs while the collector polls). */
  download_extract_ms: number;
  engine_ready_ms: number;
  /** Worker start (cargo-run: including `sleep 2`) until the interface is written. */
  collect_ms: number;
  /** Job start until a poll first lists the worker with its functions: what the seed PR's "boots" estimates. */
  worker_seen_ms: number | null;
  /** `engine::workers::list` polls (every 2 s) before the wait ended. */
  polls: number;
  /** The interface the job wrote. */
  interface_file: string;
}

/** Process groups of the workers (or cargo runs) of jobs in progress: stopped even when the bench is interrupted. */
const liveGroups = new Set<number>();
const killGroup = (pid: number) => {
  try {
    process.kill(-pid, 'SIGKILL'); // the job's `kill $(cat worker.pid)`, whole group
  } catch {
    // already gone
  }
  liveGroups.delete(pid);
};
process.on('exit', () => [...liveGroups].forEach(killGroup));

/** The job failed as the real one would (the worker never matched, an `iii trigger` failed), after `failedAfterMs`. */
export class ReferenceJobError extends Error {
  constructor(
    message: string,
    readonly failedAfterMs: number,
  ) {
    super(message);
  }
}

export async function referenceJob(request: ReferenceJobRequest): Promise<ReferenceJobResult> {
  const started = performance.now();
  mkdirSync(request.workDir, { recursive: true });
  let binary: string | undefined;
  if (request.start.mode === 'release-binary') {
    const archive = join(request.workDir, `${request.bin}.tar.gz`);
    await runCommand('curl', ['-fsSL', '-o', archive, request.start.archiveUrl]);
    await runCommand('tar', ['-xzf', archive, '-C', request.workDir]);
    binary = join(request.workDir, request.bin);
    chmodSync(binary, 0o755);
  }
  const downloaded = performance.now();

  const engine = await startEmbeddedEngine({ generation: 'legacy' });
  const cli = referenceClientScript();
  const logFile = join(request.workDir, `worker-${request.folder}.log`);
  const interfaceFile = join(request.workDir, 'worker-interface.json');
  let worker: ChildProcess | undefined;
  try {
    // Readiness: `iii trigger --function-id='engine::workers::list' --payload='{}'` exits 0.
    await runCommand(process.execPath, [cli, '--function-id=engine::workers::list', '--payload={}', '--address', '127.0.0.1', '--port', String(engine.port)]);
    const ready = performance.now();
    const log = openSync(logFile, 'a');
    const stdio: ['pipe', number, number] = ['pipe', log, log];
    if (binary) {
      worker = spawn(binary, ['--url', engine.url], { cwd: request.workerDir, stdio, detached: true });
      closeSync(log);
      if (worker.pid) liveGroups.add(worker.pid);
    } else {
      const targetDir = (request.start as { targetDir: string }).targetDir;
      worker = spawn('cargo', ['run', '--bin', request.bin, '--', '--url', engine.url], {
        cwd: request.workerDir,
        stdio,
        detached: true,
        env: { ...process.env, CARGO_TARGET_DIR: targetDir },
      });
      // The May job: `sleep 2`, then `kill -0` on cargo's pid.
      closeSync(log);
      if (worker.pid) liveGroups.add(worker.pid);
      await sleep(2000);
      if (worker.exitCode !== null) throw new Error(`reference: cargo run exited (${worker.exitCode}) before collection:\n${readFileSync(logFile, 'utf8').slice(-2000)}`);
    }
    const { polls, workerSeenAt } = await referenceCollect({ cliScript: cli, port: engine.port, folder: request.folder, outputFile: interfaceFile }).catch(async (error: Error) => {
      const failedAfterMs = performance.now() - started;
      if (!binary && request.finishBuildOnFailureMs) await waitForLine(logFile, /Finished .* in /, worker!, request.finishBuildOnFailureMs);
      throw new ReferenceJobError(`${error.message}\n(worker log ${logFile}:)\n${readFileSync(logFile, 'utf8').slice(-2000)}`, failedAfterMs);
    });
    const done = performance.now();
    return {
      total_ms: done - started,
      download_extract_ms: downloaded - started,
      engine_ready_ms: ready - downloaded,
      collect_ms: done - ready,
      worker_seen_ms: workerSeenAt === undefined ? null : workerSeenAt - started,
      polls,
      interface_file: interfaceFile,
    };
  } finally {
    if (worker?.pid) killGroup(worker.pid);
    await engine.stop();
  }
}

/** Resolves when `file` has a line matching `pattern`, `child` exited, or `timeoutMs` passed. */
async function waitForLine(file: string, pattern: RegExp, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline && child.exitCode === null && !pattern.test(readFileSync(file, 'utf8'))) await sleep(500);
}
