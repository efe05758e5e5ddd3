// Text a worker supplies is untrusted: its function ids, descriptions and log reach the terminal only escaped, so a
// newline cannot print a forged "✔ published" line and escape sequences cannot set the title or clear the screen.
// The files keep the exact text.
import { E2E_REPO, startE2eServers, type E2eServers } from './support/e2e-servers';
import { expectFailure, expectSuccess } from './support/expect-run';
import { interfaceFile } from './support/happy-workers';
import { NxWorkspace } from './support/nx-workspace';
import type { NxRun } from './support/run-nx';

jest.setTimeout(180_000);

const FORGED_LINE = '✔ published evil 9.9.9 (new)';
/** OSC 0 (set the window title), then clear the screen and move the cursor home. */
const TERMINAL_ATTACK = '\u001b]0;pwned\u0007\u001b[2J\u001b[H';

const GREET_ID = `hostile::greet\n${FORGED_LINE}`;
const TITLE_ID = `hostile::title${TERMINAL_ATTACK}`;

/** A worker on the real iii-sdk whose ids carry the attack; with HOSTILE_CRASH it writes the attack to its log and exits. */
const HOSTILE_WORKER = `
const { registerWorker } = require('iii-sdk');
if (process.env.HOSTILE_CRASH) {
  process.stderr.write(${JSON.stringify(`boom\n${FORGED_LINE}\n${TERMINAL_ATTACK}still the log\n`)});
  process.exit(3);
}
const iii = registerWorker(process.env.III_URL, { workerName: 'hostile', enableMetricsReporting: false, otel: { enabled: false } });
iii.registerFunction(${JSON.stringify(GREET_ID)}, async () => ({}), { description: ${JSON.stringify(`greets\n${FORGED_LINE}`)} });
iii.registerFunction(${JSON.stringify(TITLE_ID)}, async () => ({}), { description: ${JSON.stringify(TERMINAL_ATTACK)} });
process.on('SIGTERM', () => process.exit(0));
setInterval(() => {}, 1000);
`;

let servers: E2eServers;
let workspace: NxWorkspace;

function layHostileWorker(name: string, env: Record<string, string>) {
  workspace.write(`workers/${name}/worker.js`, HOSTILE_WORKER);
  workspace.write(`workers/${name}/package.json`, `${JSON.stringify({ name, version: '1.0.0', private: true })}\n`);
  workspace.write(
    `workers/${name}/iii.worker.yaml`,
    `iii: v1\nname: hostile\nlanguage: node\ndeploy: image\nmanifest: package.json\ndescription: prints what it should not\nscripts:\n  start: node worker.js\n`,
  );
  const publish = { apiUrl: servers.registry.url, repoUrl: E2E_REPO.url, imageTag: `ghcr.io/iii-hq/${name}:1.0.0` };
  workspace.write(
    `workers/${name}/project.json`,
    `${JSON.stringify({ name, targets: { 'collect-interface': { options: { env, waitSeconds: 60 } }, 'publish-interface': { options: publish } } }, null, 2)}\n`,
  );
}

beforeAll(async () => {
  servers = await startE2eServers();
  workspace = NxWorkspace.create({ label: 'hostile-output', env: { WORKERS_REGISTRY_API_KEY: servers.apiKey } });
  layHostileWorker('hostile', {});
  layHostileWorker('hostile-crash', { HOSTILE_CRASH: '1' });
  workspace.commitAll('hostile workers');
});

afterAll(async () => {
  await servers?.close();
  workspace?.dispose();
});

/** Nothing the worker wrote acted on the terminal: no title, no clear screen, no line of its own. */
function expectNothingForged(run: NxRun) {
  expect(run.rawOutput).not.toContain('\u001b]0;pwned');
  expect(run.rawOutput).not.toContain('\u001b[2J');
  expect(run.output).not.toMatch(/^\s*✔ published evil/m);
}

test('a dry-run publish prints hostile function ids escaped on one line, and the interface file keeps them exactly', async () => {
  const run = await workspace.nx(['run', 'hostile:publish-interface:dry-run', '--skip-nx-cache']);
  expectSuccess(run);
  expectNothingForged(run);
  // The untyped-schema warning names both functions, each escaped, on the warning's own line.
  expect(run.output).toMatch(/^⚠ untyped .*hostile::greet\\n✔ published evil 9\.9\.9 \(new\).*$/m);
  expect(run.output).toContain('hostile::title\\e]0;pwned\\x07\\e[2J\\e[H');
  const written = workspace.readJson(interfaceFile('hostile')) as { functions: Array<{ name: string; description: string }> };
  expect(written.functions.map((fn) => fn.name).sort()).toEqual([GREET_ID, TITLE_ID].sort());
  expect(written.functions.find((fn) => fn.name === TITLE_ID)?.description).toBe(TERMINAL_ATTACK);
});

test("a failing worker's log tail is escaped, and each of its lines is marked as part of the failure", async () => {
  const run = await workspace.nx(['run', 'hostile-crash:collect-interface', '--skip-nx-cache']);
  expectFailure(run);
  expect(run.exitCode).toBe(1);
  expectNothingForged(run);
  expect(run.output).toMatch(/^ {2}│ ✔ published evil 9\.9\.9 \(new\)$/m);
  expect(run.output).toMatch(/^ {2}│ \\e]0;pwned\\x07\\e\[2J\\e\[Hstill the log$/m);
});
