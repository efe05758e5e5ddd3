/**
 * One worker published the way the workers CI's `_publish-registry.yml` job does it for a `deploy: binary` worker
 * (spec publish-pipeline §1.4 steps 3–5, §4.2 release-binary mode, §4.3): download `{bin}-{target}.tar.gz` with curl,
 * extract it with `tar -xzf` and `chmod +x` (no checksum: the job does not verify one), start the engine and wait until
 * an `iii trigger engine::workers::list` answers, start the binary from the worker folder, then
 * `collect_worker_interface.py --wait-seconds 120` (reference-collector.ts).
 *
 * Left out, so the figure is a floor of the real job: the runner's start-up, checkout, `pip install pyyaml`, the iii CLI
 * install, `resolve_binary_artifacts.py`, the payload and the POST.
 *
 * The engine is the embedded one in the legacy generation (there is no `iii` binary here), hosted by this process.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startEmbeddedEngine } from 'nx-worker-publish/dist/core/engine/embedded-engine';
import { referenceClientScript } from '../lib/paths';
import { runCommand } from '../lib/run-command';
import { referenceCollect } from './reference-collector';

export interface ReferenceJobRequest {
  /** The worker's folder (its registry name) and `bin`. */
  folder: string;
  bin: string;
  workerDir: string;
  archiveUrl: string;
  /** Scratch folder of this job (the runner's /tmp). */
  workDir: string;
}

export interface ReferenceJobResult {
  total_ms: number;
  download_extract_ms: number;
  engine_ready_ms: number;
  collect_ms: number;
  /** `engine::workers::list` polls (every 2 s) before the wait ended. */
  polls: number;
}

export async function referenceJob(request: ReferenceJobRequest): Promise<ReferenceJobResult> {
  const started = performance.now();
  mkdirSync(request.workDir, { recursive: true });
  const archive = join(request.workDir, `${request.bin}.tar.gz`);
  await runCommand('curl', ['-fsSL', '-o', archive, request.archiveUrl]);
  await runCommand('tar', ['-xzf', archive, '-C', request.workDir]);
  const binary = join(request.workDir, request.bin);
  chmodSync(binary, 0o755);
  const downloaded = performance.now();

  const engine = await startEmbeddedEngine({ generation: 'legacy' });
  const cli = referenceClientScript();
  try {
    // Readiness: `iii trigger --function-id='engine::workers::list' --payload='{}'` exits 0.
    await runCommand(process.execPath, [cli, '--function-id=engine::workers::list', '--payload={}', '--address', '127.0.0.1', '--port', String(engine.port)]);
    const ready = performance.now();
    const worker = spawn(binary, ['--url', engine.url], { cwd: request.workerDir, stdio: ['pipe', 'ignore', 'ignore'], detached: true });
    try {
      const { polls } = await referenceCollect({ cliScript: cli, port: engine.port, folder: request.folder, outputFile: join(request.workDir, 'worker-interface.json') });
      const done = performance.now();
      return { total_ms: done - started, download_extract_ms: downloaded - started, engine_ready_ms: ready - downloaded, collect_ms: done - ready, polls };
    } finally {
      try {
        if (worker.pid) process.kill(-worker.pid, 'SIGKILL'); // the job's `kill $(cat worker.pid)`, whole group
      } catch {
        // already gone
      }
    }
  } finally {
    await engine.stop();
  }
}
