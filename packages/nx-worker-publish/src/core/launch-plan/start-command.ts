import type { WorkerManifest } from '../manifest/worker-manifest';

export type StartCommand =
  | { found: true; command: string; args: string[]; shell: boolean; description: string }
  | { found: false; reason: string };

/**
 * How to start the worker as a host process: its `scripts.start` (a shell line), or a command inferred
 * from `runtime` (kind or language, plus entry).
 */
export function inferStartCommand(manifest: WorkerManifest): StartCommand {
  if (manifest.scripts.start) {
    return { found: true, command: manifest.scripts.start, args: [], shell: true, description: `scripts.start \`${manifest.scripts.start}\`` };
  }
  const runtime = manifest.runtime;
  const language = (runtime?.kind ?? runtime?.language)?.toLowerCase();
  if (!language) return { found: false, reason: 'iii.worker.yaml has no scripts.start and no runtime' };
  const entry = runtime?.entry;
  if (!entry) return { found: false, reason: `runtime ${language} has no runtime.entry to run` };
  const via = `runtime ${language}, entry ${entry}`;
  switch (language) {
    case 'typescript':
    case 'ts':
      return { found: true, command: 'npx', args: ['tsx', entry], shell: false, description: via };
    case 'javascript':
    case 'js':
    case 'node':
      return { found: true, command: 'node', args: [entry], shell: false, description: via };
    case 'bun':
      return { found: true, command: 'bun', args: [entry], shell: false, description: via };
    case 'python':
    case 'python3': {
      // A file path runs as a script; a dotted name (src.main) as a module, the way `python -m` does.
      const isModule = !/\.py$/.test(entry) && !entry.includes('/');
      const args = isModule ? ['-m', entry] : [entry];
      return { found: true, command: 'python3', args, shell: false, description: via };
    }
    default:
      return { found: false, reason: `runtime ${language} is not one this plugin can start (typescript, javascript, python, bun)` };
  }
}
