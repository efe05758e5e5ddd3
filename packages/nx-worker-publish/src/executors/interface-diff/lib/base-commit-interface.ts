import { existsSync, lstatSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { plainText, type DiffReference, type InterfaceLike } from '../../../core/interface-diff';
import { readWorkerManifest, readWorkerVersion } from '../../../core/manifest';
import { loadExeca } from '../../../core/load-execa';
import { runGit } from '../../../core/release-info/run-git';
import { formatDuration, type Reporter } from '../../../core/reporter/step-reporter';
import { ExecutorInputError } from '../../shared/executor-input-error';

export interface BaseCommitRequest {
  workspaceRoot: string;
  projectName: string;
  /** Workspace-relative worker folder. */
  projectRoot: string;
  /** The project's collection target, e.g. `collect-interface`. */
  collectTarget: string;
  /** Workspace-relative interface file (the collection's `outputFile`). */
  interfacePath: string;
  /** The ref the pull request merges into; the base commit is its merge-base with HEAD. */
  base: string;
  reporter: Reporter;
}

/**
 * Variables Nx gives a task process. The nested `nx run` is a command of its own in another folder: with these it
 * would take the outer workspace as its root, write into the outer task's output, or think it is a forked task.
 */
const OUTER_TASK_ENV = [
  'NX_TASK_TARGET_PROJECT',
  'NX_TASK_TARGET_TARGET',
  'NX_TASK_TARGET_CONFIGURATION',
  'NX_TASK_HASH',
  'NX_TERMINAL_OUTPUT_PATH',
  'NX_TERMINAL_CAPTURE_STDERR',
  'NX_STREAM_OUTPUT',
  'NX_PREFIX_OUTPUT',
  'NX_FORKED_TASK_EXECUTOR',
  'NX_WORKSPACE_ROOT',
  'NX_WORKSPACE_ROOT_PATH',
  'NX_CLI_SET',
  'NX_SET_CLI',
  'NX_LOAD_DOT_ENV_FILES',
  'NX_TUI_AUTO_EXIT',
];

/** Lines of the nested run shown when it fails. */
const FAILURE_TAIL_LINES = 40;

/** A base commit checked out into a temporary worktree, shared by every worker compared in this process. */
interface Checkout {
  workspaceRoot: string;
  temp: string;
  worktree: string;
}

/**
 * The interface collected on the base commit: the base commit is checked out into a temporary git worktree (the
 * workspace's node_modules linked in) and `nx run <project>:collect-interface` runs there. Nx (22.7+) shares the
 * local cache and its database between the worktrees of one repository, and a remote cache is shared anyway, so
 * when the base commit's collection ran before (its CI run, or an earlier local run) this is a cache hit that
 * starts no worker; otherwise the base commit's worker is collected as that commit defines it.
 *
 * One checkout per base commit serves every worker of a batch, and the nested runs go one at a time (each is a whole
 * Nx process); `dispose` removes the checkouts, whatever happened.
 */
export class BaseCommitInterfaces {
  private readonly checkouts = new Map<string, Promise<Checkout>>();
  private queue: Promise<unknown> = Promise.resolve();

  async collect(request: BaseCommitRequest): Promise<{ reference: DiffReference; iface: InterfaceLike }> {
    const { workspaceRoot, reporter } = request;
    const mergeBase = await runGit(workspaceRoot, ['merge-base', request.base, 'HEAD']);
    if (!mergeBase.ok) {
      throw new ExecutorInputError(
        `cannot find the base commit: \`git merge-base ${request.base} HEAD\` failed (${mergeBase.reason.split('\n')[0]}). ` +
          'Fetch the base branch (on GitHub Actions: actions/checkout with fetch-depth: 0) or name it with --base=<ref> (or NX_BASE).',
      );
    }
    const commit = mergeBase.stdout.trim();
    const short = commit.slice(0, 12);
    const checkout = await this.checkout(workspaceRoot, commit);
    const { worktree } = checkout;
    const workerDir = join(worktree, request.projectRoot);
    if (!existsSync(join(workerDir, 'iii.worker.yaml'))) {
      // A worker this pull request creates: nobody relies on anything yet.
      return { reference: { kind: 'none', label: `nothing (${request.projectRoot} does not exist at base commit ${short} (${request.base}))` }, iface: {} };
    }

    const target = `${request.projectName}:${request.collectTarget}`;
    const run = await this.oneAtATime(async () => {
      reporter.info(`… collecting the interface at base commit ${short} (${request.base}): nx run ${target} in a git worktree`);
      const started = performance.now();
      const result = await runNestedNx(checkout, ['run', target, '--outputStyle=static']);
      return { ...result, elapsed: performance.now() - started };
    });
    if (run.exitCode !== 0) {
      // The run's output holds the worker's own log lines: untrusted, shown without control characters.
      const tail = run.output.split('\n').slice(-FAILURE_TAIL_LINES).map(plainText).join('\n');
      throw new ExecutorInputError(`could not collect the interface at base commit ${short} (\`nx run ${target}\` in a worktree exited with ${run.exitCode}):\n${tail}`);
    }
    const fromCache = /local cache|remote cache|read the output from the cache/i.test(run.output);
    reporter.info(`✔ interface at base commit ${short} ${fromCache ? 'read from the Nx cache' : 'collected'} (${formatDuration(run.elapsed)})`);

    const file = join(worktree, request.interfacePath);
    if (!existsSync(file)) throw new ExecutorInputError(`\`nx run ${target}\` at base commit ${short} succeeded but wrote no ${request.interfacePath}`);
    const iface = JSON.parse(readFileSync(file, 'utf8')) as InterfaceLike;
    const version = baseVersion(workerDir);
    const label = `${version ?? 'the interface'} at base commit ${short} (${request.base})`;
    return { reference: { kind: 'base-commit', label, ...(version ? { version } : {}) }, iface };
  }

  /** Removes every checkout this instance made (and git's record of it). */
  async dispose(): Promise<void> {
    const made = [...this.checkouts.values()];
    this.checkouts.clear();
    for (const pending of made) {
      const checkout = await pending.catch(() => undefined); // a checkout that failed left nothing behind
      if (checkout) await removeCheckout(checkout);
    }
  }

  private checkout(workspaceRoot: string, commit: string): Promise<Checkout> {
    const key = `${workspaceRoot}\0${commit}`;
    let pending = this.checkouts.get(key);
    if (!pending) {
      pending = addCheckout(workspaceRoot, commit);
      this.checkouts.set(key, pending);
    }
    return pending;
  }

  private oneAtATime<T>(run: () => Promise<T>): Promise<T> {
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }
}

async function addCheckout(workspaceRoot: string, commit: string): Promise<Checkout> {
  const temp = mkdtempSync(join(tmpdir(), 'nxwp-base-'));
  const worktree = join(temp, 'workspace');
  const added = await runGit(workspaceRoot, ['worktree', 'add', '--detach', '--force', worktree, commit]);
  if (!added.ok) {
    rmSync(temp, { recursive: true, force: true });
    throw new ExecutorInputError(`cannot check out base commit ${commit.slice(0, 12)} into ${worktree}: git worktree add failed (${added.reason.split('\n')[0]})`);
  }
  const modules = join(workspaceRoot, 'node_modules');
  if (existsSync(modules)) symlinkSync(realpathSync(modules), join(worktree, 'node_modules'), 'dir');
  return { workspaceRoot, temp, worktree };
}

async function removeCheckout({ workspaceRoot, temp, worktree }: Checkout): Promise<void> {
  // The link first, on its own: nothing that removes the worktree may ever reach the workspace's node_modules.
  if (lstatSync(join(worktree, 'node_modules'), { throwIfNoEntry: false })?.isSymbolicLink()) unlinkSync(join(worktree, 'node_modules'));
  await runGit(workspaceRoot, ['worktree', 'remove', '--force', worktree]);
  rmSync(temp, { recursive: true, force: true });
  await runGit(workspaceRoot, ['worktree', 'prune']);
}

/** The base commit's manifest version; unknown when it cannot be read (the gate then allows nothing by version). */
function baseVersion(workerDir: string): string | undefined {
  try {
    return readWorkerVersion(readWorkerManifest(workerDir));
  } catch {
    return undefined;
  }
}

/** The workspace's own nx, run in the worktree: no daemon (it would outlive the run), no TUI, output captured. */
async function runNestedNx({ workspaceRoot, temp, worktree }: Checkout, args: string[]): Promise<{ exitCode: number; output: string }> {
  let nxBin: string;
  try {
    const manifest = require.resolve('nx/package.json', { paths: [workspaceRoot] });
    nxBin = join(dirname(manifest), (JSON.parse(readFileSync(manifest, 'utf8')) as { bin: { nx: string } }).bin.nx);
  } catch {
    throw new ExecutorInputError(`the base-commit reference runs the workspace's nx, but \`nx\` cannot be resolved from ${workspaceRoot}`);
  }
  const env: NodeJS.ProcessEnv = { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false', FORCE_COLOR: '0', NO_COLOR: '1' };
  for (const name of OUTER_TASK_ENV) delete env[name];
  // Nx copies its native binary (≈ 23 MB) into a tmp folder named after the workspace path, and never removes it: a new
  // worktree path would leave one behind per run. Inside the checkout's folder it goes with the checkout.
  env.NX_NATIVE_FILE_CACHE_DIRECTORY ??= join(temp, 'nx-native-file-cache');
  const { execa } = await loadExeca();
  const result = await execa(process.execPath, [nxBin, ...args], { cwd: worktree, env, extendEnv: false, all: true, reject: false, stdin: 'ignore', cleanup: true });
  return { exitCode: result.exitCode ?? 1, output: String(result.all ?? '') };
}
