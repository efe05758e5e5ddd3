import { posix } from 'node:path';

/**
 * Prints `<path> <sha256>` (or `none`) per file. Nx runs a runtime input through `sh -c` (`cmd /C` on Windows) in the
 * workspace root and hashes what it prints, so the script avoids `$`, backticks and `%`.
 */
const HASH_FILES_SCRIPT =
  "const{createHash}=require('crypto'),{readFileSync}=require('fs');" +
  "for(const f of process.argv.slice(1)){let h='none';try{h=createHash('sha256').update(readFileSync(f)).digest('hex')}catch{}console.log(f,h)}";

/** Paths Nx hands to a shell unquoted-safe inside double quotes. */
const SHELL_SAFE_PATH = /^[\w.@+/ -]+$/;

/**
 * The input that makes collection's cache key cover the content of the build output it may run (DESIGN §4). A build
 * output lives under a gitignored folder (target/), and Nx never hashes gitignored files; `dependentTasksOutputFiles`
 * covers it only while the build task is in the run, which `--exclude-task-dependencies` removes. A runtime input reads
 * the file whatever ran before, so a rebuilt, replaced or deleted binary re-collects.
 *
 * `binaryPath` is the plugin-level `collectOptions.binaryPath`, if any (a project.json `binaryPath` is not visible
 * here; README "Caching" says so).
 */
export function buildOutputInput(projectRoot: string, bin: string | undefined, binaryPath: unknown, platform = process.platform): { runtime: string } | undefined {
  const file =
    typeof binaryPath === 'string'
      ? binaryPath.replace(/\{workspaceRoot\}\/?/g, '').replace(/\{projectRoot\}/g, projectRoot)
      : bin
        ? posix.join(projectRoot || '.', 'target', 'release', bin)
        : undefined;
  if (!file || !SHELL_SAFE_PATH.test(file)) return undefined;
  const paths = [file, `${file}.exe`];
  const hashFiles = `node -e "${HASH_FILES_SCRIPT}" ${paths.map((path) => `"${path}"`).join(' ')}`;
  if (platform === 'win32') return { runtime: hashFiles };
  // Nx runs this for every binary worker on every command: a worker that runs its release has no build output, and
  // the shell's own test answers for it, where starting node would cost ≈ 60 ms of CPU per worker (3 s for 52).
  const anyExists = paths.map((path) => `[ -e "${path}" ]`).join(' || ');
  const absent = paths.map((path) => `echo "${path} none"`).join('; ');
  return { runtime: `if ${anyExists}; then ${hashFiles}; else ${absent}; fi` };
}
