import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { startNx, type NxRun, type RunningNx } from './run-nx';

/** The repository whose install (nx, the built plugin, iii-sdk) every temporary workspace borrows. */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');
const REPO_NODE_MODULES = join(REPO_ROOT, 'node_modules');

export interface NxWorkspaceOptions {
  /** A word in the temp folder's name, to tell workspaces apart when debugging. */
  label: string;
  /** Which installed Nx the workspace runs: the repo's own (22) or the `nx-24` alias, linked in as `nx`. */
  nx?: 'nx' | 'nx-24';
  /** nx.json; default registers the plugin by its package name. */
  nxJson?: Record<string, unknown>;
  /** Environment for every run of this workspace (a run's own `env` wins). */
  env?: Record<string, string>;
}

export interface WorkspaceRunOptions {
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
}

/**
 * A throw-away Nx workspace built offline (spec nx-notes §5.3): package.json, nx.json with the plugin, node_modules
 * linked to the repository's install (so `nx-worker-publish` resolves to the built plugin), a git repository on `main`.
 */
export class NxWorkspace {
  /** Folder the fixture workers write their `*.started` / `*.build.*` markers into (outside the workspace). */
  readonly markerDir: string;
  private readonly cli: string;
  private readonly runs = new Set<RunningNx>();

  private constructor(
    readonly root: string,
    private readonly options: NxWorkspaceOptions,
  ) {
    this.markerDir = `${root}-markers`;
    mkdirSync(this.markerDir);
    const nxPackage = join(root, 'node_modules', 'nx');
    const bin = JSON.parse(readFileSync(join(nxPackage, 'package.json'), 'utf8')).bin.nx as string;
    this.cli = join(nxPackage, bin);
  }

  static create(options: NxWorkspaceOptions): NxWorkspace {
    // realpath: /tmp may be a symlink, and Nx reports paths relative to the real workspace root.
    const root = realpathSync(mkdtempSync(join(tmpdir(), `nxwp-e2e-${options.label}-`)));
    linkNodeModules(root, options.nx ?? 'nx');
    const workspace = new NxWorkspace(root, options);
    workspace.write('package.json', `${JSON.stringify({ name: `e2e-${options.label}`, version: '0.0.0', private: true }, null, 2)}\n`);
    workspace.write('nx.json', `${JSON.stringify(options.nxJson ?? { plugins: ['nx-worker-publish'] }, null, 2)}\n`);
    workspace.write('.gitignore', ['node_modules', 'dist', '.nx', 'tmp', 'target', ''].join('\n'));
    workspace.git('init', '-q', '-b', 'main');
    return workspace;
  }

  path(relativePath: string): string {
    return join(this.root, relativePath);
  }

  write(relativePath: string, content: string | Buffer): void {
    mkdirSync(dirname(this.path(relativePath)), { recursive: true });
    writeFileSync(this.path(relativePath), content);
  }

  read(relativePath: string): string {
    return readFileSync(this.path(relativePath), 'utf8');
  }

  readJson<T = any>(relativePath: string): T {
    return JSON.parse(this.read(relativePath)) as T;
  }

  exists(relativePath: string): boolean {
    return existsSync(this.path(relativePath));
  }

  remove(relativePath: string): void {
    rmSync(this.path(relativePath), { recursive: true, force: true });
  }

  git(...args: string[]): string {
    return execFileSync('git', args, {
      cwd: this.root,
      encoding: 'utf8',
      env: { ...process.env, GIT_AUTHOR_NAME: 'e2e', GIT_AUTHOR_EMAIL: 'e2e@example.invalid', GIT_COMMITTER_NAME: 'e2e', GIT_COMMITTER_EMAIL: 'e2e@example.invalid' },
    });
  }

  commitAll(message: string): void {
    this.git('add', '-A');
    this.git('commit', '-q', '-m', message);
  }

  nx(args: string[], options: WorkspaceRunOptions = {}): Promise<NxRun> {
    return this.startNx(args, options).result;
  }

  startNx(args: string[], options: WorkspaceRunOptions = {}): RunningNx {
    const running = startNx(args, this.runOptions(options));
    this.runs.add(running);
    return running;
  }

  /** Empties the marker folder, so the next run's markers stand alone. */
  clearMarkers(): void {
    for (const file of readdirSync(this.markerDir)) rmSync(join(this.markerDir, file), { force: true });
  }

  /** Kills any run still going (a test that timed out), then deletes the workspace unless NXWP_E2E_KEEP=1. */
  dispose(): void {
    for (const running of this.runs) {
      if (!running.finished()) {
        try {
          running.signalGroup('SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    if (process.env.NXWP_E2E_KEEP === '1') {
      process.stderr.write(`kept e2e workspace ${this.root} (markers in ${this.markerDir})\n`);
      return;
    }
    rmSync(this.root, { recursive: true, force: true });
    rmSync(this.markerDir, { recursive: true, force: true });
  }

  private runOptions(options: WorkspaceRunOptions) {
    return {
      cwd: this.root,
      cli: this.cli,
      markerDir: this.markerDir,
      env: { ...this.options.env, ...options.env },
      timeoutMs: options.timeoutMs,
    };
  }
}

/**
 * Nx 22 uses the repository's node_modules as is (one symlink). For Nx 24 the workspace gets a real node_modules
 * folder holding a symlink per entry of the repository's, except `nx`, which points at the `nx-24` install.
 */
function linkNodeModules(root: string, nx: 'nx' | 'nx-24'): void {
  if (nx === 'nx') {
    symlinkSync(REPO_NODE_MODULES, join(root, 'node_modules'), 'dir');
    return;
  }
  const modules = join(root, 'node_modules');
  mkdirSync(modules);
  for (const entry of readdirSync(REPO_NODE_MODULES)) {
    if (entry === 'nx' || entry === 'nx-24' || entry === '.bin') continue;
    symlinkSync(join(REPO_NODE_MODULES, entry), join(modules, entry));
  }
  symlinkSync(join(REPO_NODE_MODULES, 'nx-24'), join(modules, 'nx'), 'dir');
}
