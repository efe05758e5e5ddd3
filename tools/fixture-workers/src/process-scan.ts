import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { FIXTURE_ARGUMENT_PREFIX, FIXTURE_WORKERS, type FixtureWorkerName } from './fixture-catalog';

/**
 * The e2e harness gives every Nx run a unique value in this variable. Processes inherit it (nx, its task runners,
 * the workers and any engine they start), so whatever still carries it after the run ended was left behind.
 */
export const RUN_ID_ENV = 'NXWP_E2E_RUN';

export interface LiveProcess {
  pid: number;
  /** The command line, arguments joined by spaces. */
  commandLine: string;
  /** Its working directory, when readable. */
  cwd?: string;
}

function readProc(pid: string, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined; // gone meanwhile, or not ours to read
  }
}

function readCwd(pid: string): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return undefined;
  }
}

/** Running processes (zombies excluded: they are dead and only wait to be reaped) that `matches` selects. */
export function findProcesses(matches: (details: { environ: string[]; argv: string[] }) => boolean): LiveProcess[] {
  const found: LiveProcess[] = [];
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    if (Number(pid) === process.pid) continue;
    const stat = readProc(pid, 'stat');
    if (!stat || stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
    const argv = (readProc(pid, 'cmdline') ?? '').split('\0').filter(Boolean);
    const environ = (readProc(pid, 'environ') ?? '').split('\0');
    if (matches({ environ, argv })) found.push({ pid: Number(pid), commandLine: argv.join(' '), cwd: readCwd(pid) });
  }
  return found;
}

/** Every live process that inherited `NXWP_E2E_RUN=<runId>`. */
export function findProcessesOfRun(runId: string): LiveProcess[] {
  const entry = `${RUN_ID_ENV}=${runId}`;
  return findProcesses(({ environ }) => environ.includes(entry));
}

/**
 * Every live fixture worker: start-script ones carry `--nxwp-fixture=<name>`, binary ones run as `node <path>/<bin>`.
 * `under` keeps the ones whose working directory or binary lies in that folder (a workspace), so suites running side
 * by side do not see each other's fixtures; `fixture` keeps one fixture's.
 */
export function findFixtureProcesses(options: { under?: string; fixture?: FixtureWorkerName } = {}): LiveProcess[] {
  const names = options.fixture ? [options.fixture] : (Object.keys(FIXTURE_WORKERS) as FixtureWorkerName[]);
  const markers = names.map((name) => `${FIXTURE_ARGUMENT_PREFIX}${name}`);
  const bins = names.flatMap((name) => ('bin' in FIXTURE_WORKERS[name] ? [`/${(FIXTURE_WORKERS[name] as { bin: string }).bin}`] : []));
  const isFixture = (argv: string[]) => argv.some((arg) => markers.includes(arg) || bins.some((bin) => arg.endsWith(bin)));
  const inFolder = (found: LiveProcess) =>
    !options.under || (found.cwd ?? '').startsWith(options.under) || found.commandLine.includes(options.under);
  return findProcesses(({ argv }) => isFixture(argv)).filter(inFolder);
}

/**
 * Polls `find` until it returns nothing or `boundMs` passes, and returns what is still there. The bound only absorbs
 * the moment between a parent's exit and its children's last breath; it is not a timing assertion.
 */
export async function processesRemaining(find: () => LiveProcess[], boundMs = 3000): Promise<LiveProcess[]> {
  const deadline = Date.now() + boundMs;
  for (;;) {
    const remaining = find();
    if (remaining.length === 0 || Date.now() >= deadline) return remaining;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
