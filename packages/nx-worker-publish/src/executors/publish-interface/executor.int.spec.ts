import { RELEASE_TARGETS } from '@nx-worker-publish/fixture-workers';
import { startRegistryServer, type RegistryFaults, type RegistryServer } from '@nx-worker-publish/registry-server';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startReleaseServer, type ReleaseServer } from '../../core/release-assets/test-support/release-server';
import type { CollectedFrom } from '../../core/interface/collected-from';
import { serializeInterface, type WorkerInterface } from '../../core/interface/worker-interface';
import collectInterface from '../collect-interface/executor';
import { captureOutput, type CapturedOutput } from '../test-support/capture-output';
import { CALC_BINARY, CALC_BINARY_MANIFEST, CALC_IMAGE_MANIFEST, CALC_INTERFACE, CALC_PACKAGE_JSON } from '../test-support/calc-worker';
import { executorContext } from '../test-support/executor-context';
import { filesContaining, linesContaining } from '../test-support/find-secret';
import { isolateEnv } from '../test-support/isolated-env';
import { taskGraphOf } from '../test-support/task-graph';
import { createTempWorkspace, type FileSpec, type TempWorkspace } from '../test-support/temp-workspace';
import publishInterfaceBatch from './batch';
import publishInterface from './executor';
import type { PublishInterfaceExecutorSchema } from './schema';

jest.setTimeout(60_000);

/** Distinctive, so a leak anywhere (output, payload file, logs) is found by a plain substring search. */
const API_KEY = 'wpk_live_7Hq2ZCALCxSECRETx9vR4mN8tK';
const REPO_URL = 'https://github.com/example/workers';
const INTERFACE_FILE = 'dist/workers/calc/worker-interface.json';
const PAYLOAD_FILE = 'dist/workers/calc/publish-payload.json';
const README = '# calc\n\nAdds and negates numbers.\n';
const CONFIG_YAML = 'precision: 2\nlimits:\n  max: 1000000\n';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const archiveName = (target: string) => `calc-${target}.${target.includes('-windows-') ? 'zip' : 'tar.gz'}`;

/** The registry's field order, 2-space JSON and a trailing newline: the bytes written and sent. */
const payloadText = (payload: Record<string, unknown>) => JSON.stringify(payload, null, 2) + '\n';
/** The interface as publish reads it back from the file collect wrote (keys sorted). */
const collected = JSON.parse(serializeInterface(CALC_INTERFACE)) as WorkerInterface;

const goldenCommon = {
  worker_name: 'calc',
  version: '1.4.0',
};
const goldenBody = {
  readme: README,
  repo: REPO_URL,
  description: 'Adds and negates numbers',
  dependencies: [] as unknown[],
  config: { precision: 2, limits: { max: 1000000 } },
  functions: collected.functions,
  triggers: collected.triggers,
  experimental: false,
};

describe('publish-interface executor (registry stand-in and release server on 127.0.0.1)', () => {
  let releases: ReleaseServer;
  let registry: RegistryServer;
  let restoreEnv: () => void;
  let output: CapturedOutput;
  let workspace: TempWorkspace | undefined;

  beforeAll(async () => {
    releases = await startReleaseServer();
    for (const target of RELEASE_TARGETS) {
      releases.setAsset(`calc/v1.4.0/${archiveName(target)}`, `archive of calc for ${target}`);
      releases.setAsset(`calc/v1.4.0/calc-${target}.sha256`, `${sha256(`archive of calc for ${target}`)}  ${archiveName(target)}\n`);
    }
  });
  afterAll(() => releases.close());

  beforeEach(async () => {
    restoreEnv = isolateEnv();
    process.env.WORKERS_REGISTRY_API_KEY = API_KEY;
    releases.clearRequests();
    output = captureOutput();
    registry = await startRegistryServer({ apiKey: API_KEY });
  });
  afterEach(async () => {
    output.restore();
    restoreEnv();
    await registry.stop();
    // Whatever the test did, the key must not be printed or written anywhere in the workspace (dist/, .nx/, ...).
    const leakedFiles = workspace ? filesContaining(workspace.root, API_KEY) : [];
    workspace?.remove();
    workspace = undefined;
    expect(linesContaining(output.lines(), API_KEY)).toEqual([]);
    expect(leakedFiles).toEqual([]);
  });

  /** A workspace with worker `calc` (version 1.4.0 in package.json), README.md and config.yaml unless overridden. */
  const calcWorkspace = (files: Record<string, FileSpec | undefined>) => {
    const all: Record<string, FileSpec | undefined> = { 'package.json': CALC_PACKAGE_JSON, 'README.md': README, 'config.yaml': CONFIG_YAML, ...files };
    const present = Object.fromEntries(Object.entries(all).filter((entry): entry is [string, FileSpec] => entry[1] !== undefined));
    workspace = createTempWorkspace({ worker: 'calc', files: present });
    return workspace;
  };

  /** An image worker whose interface file is already there, as if collect-interface had run. */
  const collectedImageWorkspace = (files: Record<string, FileSpec | undefined> = {}, iface: WorkerInterface = CALC_INTERFACE, origin?: CollectedFrom) => {
    const ws = calcWorkspace({ 'iii.worker.yaml': CALC_IMAGE_MANIFEST, ...files });
    ws.writeFile(INTERFACE_FILE, serializeInterface(iface, origin));
    return ws;
  };

  const publish = (ws: TempWorkspace, options: PublishInterfaceExecutorSchema = {}) =>
    publishInterface(
      { repoUrl: REPO_URL, apiUrl: registry.url, releaseBaseUrl: releases.releaseBaseUrl, ...options },
      executorContext(ws, 'publish-interface'),
    );

  const restartRegistry = async (options: { apiKey?: string; faults?: RegistryFaults }) => {
    await registry.stop();
    registry = await startRegistryServer({ apiKey: options.apiKey ?? API_KEY, faults: options.faults });
  };

  const failureLines = () => output.lines().filter((line) => line.startsWith('✖'));
  const posts = () => registry.requests.filter((request) => request.method === 'POST' && request.path === '/publish');
  /** Every request that changes the registry (`POST /resolve` only reads). */
  const writes = () => registry.requests.filter((request) => request.method !== 'GET' && request.path !== '/resolve');

  it('publishes the golden binary payload: interface collected from the build output it was told to run, all 9 release checksums', async () => {
    const ws = calcWorkspace({ 'iii.worker.yaml': CALC_BINARY_MANIFEST, 'target/release/calc': CALC_BINARY });
    expect(await collectInterface({ launch: 'build-output' }, executorContext(ws, 'collect-interface'))).toEqual({ success: true });

    const result = await publish(ws);

    expect(result).toEqual({ success: true });
    expect(output.lines()).toContain(
      '⚠ the interface in dist/workers/calc/worker-interface.json comes from a local build-output (chosen by the launch or binaryPath option), not from the release calc/v1.4.0 this publish ships',
    );
    const golden = payloadText({
      ...goldenCommon,
      type: 'binary',
      ...goldenBody,
      binaries: Object.fromEntries(
        RELEASE_TARGETS.map((target) => [
          target,
          { url: `${releases.releaseBaseUrl}/calc/v1.4.0/${archiveName(target)}`, sha256: sha256(`archive of calc for ${target}`) },
        ]),
      ),
    });
    expect(ws.readFile(PAYLOAD_FILE)).toBe(golden);
    expect(posts()).toHaveLength(1);
    expect(posts()[0]).toMatchObject({ method: 'POST', path: '/publish', keyMatched: true, body: golden });
    expect(posts()[0].headers['content-type']).toBe('application/json');
    expect(registry.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      // The version proved by its detail and its resolved artifact; publishing to latest lifts an unassigned next first.
      'GET /w/calc/versions', 'POST /publish', 'GET /w/calc', 'POST /resolve', 'GET /w/calc/versions', 'PUT /w/calc/tags/next', 'GET /w/calc/versions', 'PUT /w/calc/tags/latest', 'GET /w/calc/versions',
    ]);
    expect(registry.published).toHaveLength(1);
    expect(registry.channel('calc', 'latest')).toBe('1.4.0');
    expect(releases.requestsFor('.sha256').filter((request) => request.server === 'origin')).toHaveLength(9);
    expect(output.text()).toMatch(/✔ checksums of 9 release targets fetched \(/);
    expect(output.lines()).toEqual(expect.arrayContaining(['✔ published calc 1.4.0 (new)', '✔ channel latest: (unassigned) → 1.4.0']));
  });

  it('a batch of publishes asks the release server over one pool of keep-alive connections, closed when the batch ends', async () => {
    const ws = calcWorkspace({ 'iii.worker.yaml': CALC_BINARY_MANIFEST });
    ws.writeFile(INTERFACE_FILE, serializeInterface(CALC_INTERFACE, { launch: 'release-binary', release: 'calc/v1.4.0', forced: false }));
    // Three dry-run publishes one after the other (as 70 are in a warm `run-many`), each fetching the 9 checksums.
    const ids = ['calc:publish-interface:one', 'calc:publish-interface:two', 'calc:publish-interface:three'];
    const options = { repoUrl: REPO_URL, apiUrl: registry.url, releaseBaseUrl: releases.releaseBaseUrl, dryRun: true };
    process.env.NX_PARALLEL = '1';

    const results = [];
    for await (const result of publishInterfaceBatch(taskGraphOf(ids), Object.fromEntries(ids.map((id) => [id, options])), {}, executorContext(ws, 'publish-interface'))) {
      results.push(result);
    }

    expect(results.map((r) => r.result.success)).toEqual([true, true, true]);
    expect(releases.requestsFor('.sha256').filter((request) => request.server === 'origin')).toHaveLength(27);
    // Each publish asks for its 9 checksums at once: 9 connections to each server, reused by the next publishes
    // (a pool per publish opens 27 of each).
    const connections = releases.connections();
    expect(connections.origin.opened).toBeLessThanOrEqual(9);
    expect(connections.storage.opened).toBeLessThanOrEqual(9);
    // The batch closed its pool: its sockets go at once (an idle keep-alive socket would stay open 4 s, undici's default).
    const openSockets = () => releases.connections().origin.open + releases.connections().storage.open;
    for (const deadline = Date.now() + 2_000; openSockets() > 0 && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(releases.connections()).toMatchObject({ origin: { open: 0 }, storage: { open: 0 } });
  });

  it('refuses to publish a release with the interface of a build output the automatic launch order found; a dry run warns', async () => {
    // A target/release/calc left from an earlier build: publish ships the release calc/v1.4.0 (the default tag).
    const ws = calcWorkspace({ 'iii.worker.yaml': CALC_BINARY_MANIFEST, 'target/release/calc': CALC_BINARY });
    expect(await collectInterface({}, executorContext(ws, 'collect-interface'))).toEqual({ success: true });
    expect(JSON.parse(ws.readFile(INTERFACE_FILE)).collected_from).toEqual({ launch: 'build-output', forced: false });

    expect(await publish(ws)).toEqual({ success: false });
    expect(failureLines()).toEqual([
      '✖ could not publish calc: dist/workers/calc/worker-interface.json was collected from a local build-output, but this publish ships the release ' +
        'calc/v1.4.0, whose binary users install. Publish the interface that release registers: `nx run calc:publish-interface --tag=calc/v1.4.0` ' +
        "(collection then runs release-binary). To publish a local build's interface on purpose, name its launch mode, e.g. `--launch=build-output`.",
    ]);
    expect(registry.requests).toEqual([]);
    expect(releases.requests).toEqual([]);

    expect(await publish(ws, { dryRun: true })).toEqual({ success: true });
    expect(output.lines()).toContain(
      '⚠ dist/workers/calc/worker-interface.json was collected from a local build-output, but this publish ships the release calc/v1.4.0, whose binary users install: a real publish would refuse it',
    );
  });

  it('refuses an interface collected from another release, or one that does not say what ran', async () => {
    const ws = calcWorkspace({ 'iii.worker.yaml': CALC_BINARY_MANIFEST });
    ws.writeFile(INTERFACE_FILE, serializeInterface(CALC_INTERFACE, { launch: 'release-binary', release: 'calc/v1.3.0', forced: false }));
    expect(await publish(ws)).toEqual({ success: false });
    expect(failureLines()).toEqual([expect.stringContaining('worker-interface.json was collected from the release calc/v1.3.0, but this publish ships the release calc/v1.4.0')]);

    ws.writeFile(INTERFACE_FILE, serializeInterface(CALC_INTERFACE));
    expect(await publish(ws)).toEqual({ success: false });
    expect(failureLines()[1]).toContain('worker-interface.json does not say what ran to collect it (an older plugin or a person wrote it), but this publish ships the release calc/v1.4.0');
    expect(registry.requests).toEqual([]);

    ws.writeFile(INTERFACE_FILE, serializeInterface(CALC_INTERFACE, { launch: 'release-binary', release: 'calc/v1.4.0', forced: false }));
    expect(await publish(ws)).toEqual({ success: true });
    expect(registry.published).toHaveLength(1);
  });

  it('publishes the golden image payload with image_tag', async () => {
    const ws = collectedImageWorkspace();

    const result = await publish(ws, { imageTag: 'ghcr.io/example/calc:1.4.0' });

    expect(result).toEqual({ success: true });
    const golden = payloadText({ ...goldenCommon, type: 'image', ...goldenBody, image_tag: 'ghcr.io/example/calc:1.4.0' });
    expect(ws.readFile(PAYLOAD_FILE)).toBe(golden);
    expect(posts().map((request) => request.body)).toEqual([golden]);
    expect(registry.published).toHaveLength(1);
    // An image worker needs no release: not one checksum was asked for.
    expect(releases.requests.filter((request) => request.asset.startsWith('calc/'))).toHaveLength(0);
  });

  it.each([
    ['a map of name to version', 'dependencies:\n  math-core: ^1.2.0\n  logger: "0.3"\n', [
      { name: 'math-core', version: '^1.2.0' },
      { name: 'logger', version: '0.3' },
    ]],
    ['a list of names', 'dependencies:\n  - math-core\n  - logger\n', [
      { name: 'math-core', version: '' },
      { name: 'logger', version: '' },
    ]],
    ['a list of {name, version}', 'dependencies:\n  - name: math-core\n    version: ^1.2.0\n  - name: logger\n', [
      { name: 'math-core', version: '^1.2.0' },
      { name: 'logger', version: '' },
    ]],
  ])('sends dependencies written as %s as the registry list', async (_form, yaml, expected) => {
    const ws = collectedImageWorkspace({ 'iii.worker.yaml': CALC_IMAGE_MANIFEST + yaml });

    const result = await publish(ws, { imageTag: 'ghcr.io/example/calc:1.4.0' });

    expect(result).toEqual({ success: true });
    expect(registry.published).toHaveLength(1);
    expect(registry.published[0].dependencies).toEqual(expected);
  });

  it("sends '' and {} when the worker has no README.md and no config.yaml", async () => {
    const ws = collectedImageWorkspace({ 'README.md': undefined, 'config.yaml': undefined });

    const result = await publish(ws, { imageTag: 'ghcr.io/example/calc:1.4.0' });

    expect(result).toEqual({ success: true });
    expect(registry.published).toHaveLength(1);
    expect(registry.published[0]).toMatchObject({ readme: '', config: {} });
  });

  it('takes the registry tag from the annotated release tag in git', async () => {
    const ws = collectedImageWorkspace();
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgSign=false', '-c', 'tag.gpgSign=false', ...args], {
        cwd: ws.root,
        stdio: 'ignore',
      });
    git('init', '-q');
    git('add', 'workers');
    git('commit', '-q', '-m', 'feat(calc): v1.4.0');
    git('tag', '-a', 'calc/v1.4.0', '-m', 'Release calc/v1.4.0\n\nworker: calc\nversion: 1.4.0\nregistry-tag: next');

    const result = await publish(ws, { imageTag: 'ghcr.io/example/calc:1.4.0' });

    expect(result).toEqual({ success: true });
    expect(registry.published).toHaveLength(1);
    expect(registry.published[0]).not.toHaveProperty('tag');
    expect(registry.channel('calc', 'next')).toBe('1.4.0');
    expect(registry.channel('calc', 'latest')).toBeNull();
    expect(output.lines()).toContain('✔ channel next: (unassigned) → 1.4.0');
  });

  it('refuses a release tag whose version is not the manifest version, before anything is sent', async () => {
    const ws = collectedImageWorkspace();

    const result = await publish(ws, { imageTag: 'ghcr.io/example/calc:1.5.0', tag: 'calc/v1.5.0' });

    expect(result).toEqual({ success: false });
    expect(failureLines()).toEqual([expect.stringContaining('✖ could not publish calc: tag version 1.5.0 does not match workers/calc/package.json (1.4.0)')]);
    expect(registry.requests).toHaveLength(0);
  });

  it('publishes the version option over the tag and the manifest, with a warning', async () => {
    const ws = collectedImageWorkspace();

    const result = await publish(ws, { imageTag: 'ghcr.io/example/calc:1.5.0', tag: 'calc/v1.5.0', version: '1.5.0' });

    expect(result).toEqual({ success: true });
    expect(registry.published[0]).toMatchObject({ worker_name: 'calc', version: '1.5.0' });
    expect(output.lines()).toContain('⚠ the version option 1.5.0 overrides the version 1.4.0 of workers/calc/package.json');
  });

  it('refuses a registryTag that is not a channel', async () => {
    const ws = collectedImageWorkspace();
    expect(await publish(ws, { imageTag: 'ghcr.io/example/calc:1.4.0', registryTag: 'beta' as 'next' })).toEqual({ success: false });
    expect(failureLines()).toEqual([expect.stringContaining("The `registryTag` option is \"beta\", but the registry's channels are latest, next, none")]);
    expect(registry.requests).toHaveLength(0);
  });

  it('republishing the identical version succeeds: 409, read back equivalent', async () => {
    const ws = collectedImageWorkspace();
    expect(await publish(ws, { imageTag: 'ghcr.io/example/calc:1.4.0' })).toEqual({ success: true });
    registry.requests.splice(0);

    expect(await publish(ws, { imageTag: 'ghcr.io/example/calc:1.4.0' })).toEqual({ success: true });

    expect(posts()).toHaveLength(1);
    expect(output.lines()).toEqual(expect.arrayContaining(['✔ published calc 1.4.0 (already published, identical)', '✔ channel latest: 1.4.0 (unchanged)']));
    expect(registry.requests.filter((r) => r.method === 'PUT')).toHaveLength(0);
  });

  it('warns about untyped function schemas, and fails with requireTypedSchemas before anything is sent', async () => {
    const ws = collectedImageWorkspace();
    expect(await publish(ws, { imageTag: 'ghcr.io/example/calc:1.4.0', dryRun: true })).toEqual({ success: true });
    expect(output.lines()).toContain('⚠ untyped (AnyValue/empty) schemas, published as "unknown" in the registry: negate.request_schema, negate.response_schema');

    expect(await publish(ws, { imageTag: 'ghcr.io/example/calc:1.4.0', requireTypedSchemas: true })).toEqual({ success: false });
    expect(failureLines()).toEqual([expect.stringContaining('untyped (AnyValue/empty) schemas: negate.request_schema, negate.response_schema. requireTypedSchemas is on')]);
    expect(writes()).toHaveLength(0);
  });

  it('requireImageDigest refuses a tag reference and accepts a digest', async () => {
    const ws = collectedImageWorkspace();
    expect(await publish(ws, { imageTag: 'ghcr.io/example/calc:1.4.0', requireImageDigest: true })).toEqual({ success: false });
    expect(failureLines()).toEqual([expect.stringContaining('image publication requires a digest-pinned image_tag')]);
    const digest = `ghcr.io/example/calc@sha256:${'a'.repeat(64)}`;
    expect(await publish(ws, { imageTag: digest, requireImageDigest: true })).toEqual({ success: true });
    expect(registry.published[0]).toMatchObject({ image_tag: digest });
  });

  it('publishes a bundle worker with the archive_url and sha256 of its release', async () => {
    const bundleBody = 'bundle archive of calc';
    releases.setAsset('calc/v1.4.0/calc.tar.gz', bundleBody);
    releases.setAsset('calc/v1.4.0/calc.sha256', `${sha256(bundleBody)}  calc.tar.gz\n`);
    const ws = collectedImageWorkspace(
      {
        'iii.worker.yaml': 'name: calc\nlanguage: javascript\ndeploy: bundle\nmanifest: package.json\ndescription: Adds and negates numbers\nlicense: MIT\ntags: [Math, math, Tools]\nexperimental: true\nconfig: {precision: 3}\nscripts: {start: node ./index.mjs}\n',
      },
      CALC_INTERFACE,
      { launch: 'release-bundle', release: 'calc/v1.4.0', forced: false },
    );

    expect(await publish(ws)).toEqual({ success: true });

    expect(registry.published).toHaveLength(1);
    const { functions: _f, triggers: _t, readme: _r, ...rest } = registry.published[0];
    expect(rest).toEqual({
      worker_name: 'calc',
      version: '1.4.0',
      type: 'bundle',
      repo: REPO_URL,
      description: 'Adds and negates numbers',
      license: 'MIT',
      tags: ['math', 'tools'],
      dependencies: [],
      config: { precision: 3 },
      experimental: true,
      archive_url: `${releases.releaseBaseUrl}/calc/v1.4.0/calc.tar.gz`,
      sha256: sha256(bundleBody),
    });
  });

  it.each([
    ['the dryRun option', { dryRun: true }, {}],
    ['NX_DRY_RUN=true', {}, { NX_DRY_RUN: 'true' }],
  ])('on dry run (%s) writes the payload and sends nothing', async (_how, options, env) => {
    Object.assign(process.env, env);
    const ws = collectedImageWorkspace();

    const result = await publish(ws, { imageTag: 'ghcr.io/example/calc:1.4.0', ...options });

    expect(result).toEqual({ success: true });
    expect(ws.readFile(PAYLOAD_FILE)).toBe(payloadText({ ...goldenCommon, type: 'image', ...goldenBody, image_tag: 'ghcr.io/example/calc:1.4.0' }));
    expect(writes()).toHaveLength(0);
    expect(output.lines()).toEqual(expect.arrayContaining(['✔ would publish calc 1.4.0', '✔ would move channel latest: (unassigned) → 1.4.0']));
    expect(output.text()).toContain(`✔ dry run: payload written to ${PAYLOAD_FILE}; nothing was written to ${registry.url}`);
    expect(output.text()).toMatch(/^ {2}image: {5}ghcr\.io\/example\/calc:1\.4\.0$/m);
  });

  it('sends the skills snapshot of skillsDir between the version and the channel; a dry run lists it; skipSkills sends none', async () => {
    const ws = collectedImageWorkspace({ 'docs/skills/SKILL.md': '# calc\n', 'docs/skills/math/add.md': '# add\n', 'docs/skills/blank.md': ' \n' });
    const skills = { skillsDir: 'docs/skills', imageTag: 'ghcr.io/example/calc:1.4.0' };

    expect(await publish(ws, { ...skills, dryRun: true })).toEqual({ success: true });
    expect(output.lines()).toContain('✔ would publish the skills snapshot: SKILL.md (7 B), skills/math/add.md (6 B)');
    expect(output.lines()).toContain('⚠ skill document docs/skills/blank.md is blank: left out of the skills snapshot');
    expect(writes()).toHaveLength(0);

    expect(await publish(ws, skills)).toEqual({ success: true });
    expect(writes().map((r) => `${r.method} ${r.path}`)).toEqual(['POST /publish', 'POST /w/calc/skills', 'PUT /w/calc/tags/next', 'PUT /w/calc/tags/latest']);
    expect(JSON.parse(writes()[1].body)).toEqual({ version: '1.4.0', skills: { 'SKILL.md': '# calc\n', 'skills/math/add.md': '# add\n' } });
    expect(output.lines()).toContain('✔ skills of calc 1.4.0: 2 documents (published)');

    registry.requests.splice(0);
    expect(await publish(ws, { ...skills, skipSkills: true })).toEqual({ success: true });
    expect(writes().filter((r) => r.path.endsWith('/skills'))).toEqual([]);
  });

  it('a skills folder with documents but no SKILL.md fails before anything is sent, naming the files', async () => {
    const ws = collectedImageWorkspace({ 'skills/add.md': '# add\n' });
    expect(await publish(ws, { imageTag: 'ghcr.io/example/calc:1.4.0' })).toEqual({ success: false });
    expect(failureLines()).toEqual([expect.stringContaining('skills/SKILL.md is missing, but 1 other skill document exist (skills/add.md)')]);
    expect(registry.requests).toEqual([]);
  });

  it('shows the body of a 401 answer, names the key variable, and does not retry', async () => {
    await restartRegistry({ apiKey: 'the-registry-expects-another-key' });
    const ws = collectedImageWorkspace();

    const result = await publish(ws, { imageTag: 'ghcr.io/example/calc:1.4.0' });

    expect(result).toEqual({ success: false });
    expect(posts()).toHaveLength(1);
    const text = output.text();
    expect(text).toMatch(/✖ could not publish calc: POST http:\/\/127\.0\.0\.1:\d+\/publish failed: the registry answered 401\. /);
    expect(text).toContain('Response: {"error":"unauthorized"}');
    expect(text).toContain('check the value of WORKERS_REGISTRY_API_KEY');
  });

  it('shows the body of a 422 answer and does not retry', async () => {
    // Two functions under one name: the registry's own check refuses it (the #72 failure).
    const duplicate = { ...CALC_INTERFACE, functions: [CALC_INTERFACE.functions[0], { ...CALC_INTERFACE.functions[1], name: 'calc::add' }] };
    const ws = collectedImageWorkspace({}, duplicate);

    const result = await publish(ws, { imageTag: 'ghcr.io/example/calc:1.4.0' });

    expect(result).toEqual({ success: false });
    expect(posts()).toHaveLength(1);
    expect(registry.published).toHaveLength(0);
    expect(output.text()).toContain('the registry answered 422. Response: {"error":"functions[1].name: duplicate of functions[0]"}');
    expect(output.text()).toContain('publish-interface:dry-run` or NX_DRY_RUN=true) to write the payload and inspect it.');
  });

  it('after a 503, reads back, and retries only while the version is absent', async () => {
    await restartRegistry({ faults: { respondWith: { status: 503, body: '{"error":"busy"}', times: 1, method: 'POST', path: '/publish' } } });
    const ws = collectedImageWorkspace();

    const result = await publish(ws, { imageTag: 'ghcr.io/example/calc:1.4.0' });

    expect(result).toEqual({ success: true });
    expect(posts()).toHaveLength(2);
    expect(registry.published).toHaveLength(1);
    expect(output.lines().filter((line) => /the registry answered 503; the readback proves nothing was written \(.*\), retrying in \d+ ms/.test(line))).toHaveLength(1);
    expect(output.lines()).toContain('✔ published calc 1.4.0 (new)');
  });

  it('an answer lost after the registry stored the version is recovered, never sent twice', async () => {
    await restartRegistry({ faults: { dropPublishResponseTimes: 1 } });
    const ws = collectedImageWorkspace();

    expect(await publish(ws, { imageTag: 'ghcr.io/example/calc:1.4.0' })).toEqual({ success: true });
    expect(posts()).toHaveLength(1);
    expect(output.lines()).toContain('✔ published calc 1.4.0 (recovered after a dropped connection)');
  });

  it.each([
    ['the default variable', {}, 'WORKERS_REGISTRY_API_KEY'],
    ['the variable apiKeyEnv names', { apiKeyEnv: 'CALC_REGISTRY_KEY' }, 'CALC_REGISTRY_KEY'],
  ])('fails before any request when %s is unset, naming it', async (_case, options, variable) => {
    if (variable === 'WORKERS_REGISTRY_API_KEY') delete process.env.WORKERS_REGISTRY_API_KEY;
    const ws = collectedImageWorkspace();

    const result = await publish(ws, { imageTag: 'ghcr.io/example/calc:1.4.0', ...options });

    expect(result).toEqual({ success: false });
    expect(registry.requests).toHaveLength(0);
    expect(failureLines()).toEqual([expect.stringContaining(`✖ could not publish calc: Set ${variable} to the workers registry API key before publishing`)]);
    expect(existsSync(join(ws.root, PAYLOAD_FILE))).toBe(false);
  });

  it('sends `repoUrl` as repo, whatever GITHUB_SERVER_URL and GITHUB_REPOSITORY say', async () => {
    process.env.GITHUB_SERVER_URL = 'https://github.example.com';
    process.env.GITHUB_REPOSITORY = 'someone/else';
    const ws = collectedImageWorkspace();

    expect(await publish(ws, { imageTag: 'ghcr.io/example/calc:1.4.0', dryRun: true })).toEqual({ success: true });
    expect(JSON.parse(ws.readFile(PAYLOAD_FILE)).repo).toBe(REPO_URL);

    expect(await publish(ws, { imageTag: 'ghcr.io/example/calc:1.4.0', dryRun: true, repoUrl: undefined })).toEqual({ success: true });
    expect(JSON.parse(ws.readFile(PAYLOAD_FILE)).repo).toBe('https://github.example.com/someone/else');
  });

  it('sends GITHUB_TOKEN with the checksum requests only when the releases are on the GitHub server', async () => {
    const token = 'ghs_CALCxGITHUBxTOKENx4Lq9';
    process.env.GITHUB_TOKEN = token;
    const ws = calcWorkspace({ 'iii.worker.yaml': CALC_BINARY_MANIFEST });
    ws.writeFile(INTERFACE_FILE, serializeInterface(CALC_INTERFACE));
    const checksumRequests = () => releases.requestsFor('.sha256').filter((request) => request.server === 'origin');

    // The release server is a mirror here: not GitHub, so no token.
    expect(await publish(ws, { dryRun: true })).toEqual({ success: true });
    expect(checksumRequests()).toHaveLength(9);
    expect(releases.requests.filter((request) => request.authorization)).toEqual([]);

    // The same server as the CI run's GitHub (Enterprise) server: the token goes to it, never past its redirect.
    releases.clearRequests();
    process.env.GITHUB_SERVER_URL = new URL(releases.releaseBaseUrl).origin;
    expect(await publish(ws, { dryRun: true })).toEqual({ success: true });
    expect(checksumRequests().map((request) => request.authorization)).toEqual(Array(9).fill(`Bearer ${token}`));
    expect(releases.requests.filter((request) => request.server === 'storage' && request.authorization)).toEqual([]);

    expect(linesContaining(output.lines(), token)).toEqual([]);
    expect(filesContaining(ws.root, token)).toEqual([]);
  });

  describe('on GitHub Actions', () => {
    let summaryFile: string;
    beforeEach(() => {
      process.env.GITHUB_ACTIONS = 'true';
    });
    const actionsWorkspace = () => {
      const ws = collectedImageWorkspace();
      summaryFile = ws.writeFile('tmp/step-summary.md', '# earlier step\n');
      process.env.GITHUB_STEP_SUMMARY = summaryFile;
      return ws;
    };

    it('appends a markdown table of the interface to the step summary on success', async () => {
      const ws = actionsWorkspace();

      expect(await publish(ws, { imageTag: 'ghcr.io/example/calc:1.4.0' })).toEqual({ success: true });

      const summary = readFileSync(summaryFile, 'utf8');
      expect(summary.startsWith('# earlier step\n### calc 1.4.0 (image)\n\n- published calc 1.4.0 (new)\n- channel next: (unassigned) → 1.4.0\n- channel latest: (unassigned) → 1.4.0\n')).toBe(true);
      expect(summary).toContain('Image: ghcr.io/example/calc:1.4.0');
      expect(summary).toContain('| function | description |\n| --- | --- |\n| `calc::add` | Add two numbers |\n| `negate` | Negate a number |\n');
      expect(summary).toContain('| trigger | description |\n| --- | --- |\n| `calc::on-overflow` | Fires when a result overflows |\n');
      expect(output.lines().filter((line) => line.startsWith('::error'))).toEqual([]);
    });

    it('still succeeds, with a warning, when the summary cannot be written after the publish', async () => {
      const ws = actionsWorkspace();
      process.env.GITHUB_STEP_SUMMARY = join(ws.root, 'no-such-folder', 'summary.md');

      // Failing here would make CI re-run a publish the registry already accepted.
      expect(await publish(ws, { imageTag: 'ghcr.io/example/calc:1.4.0' })).toEqual({ success: true });

      expect(registry.published).toHaveLength(1);
      expect(output.text()).toMatch(/⚠ could not append to the step summary .+no-such-folder\/summary\.md \(GITHUB_STEP_SUMMARY\): ENOENT/);
      expect(output.lines().filter((line) => line.startsWith('::error'))).toEqual([]);
    });

    it('prints an ::error annotation on failure and leaves the summary alone', async () => {
      await restartRegistry({ faults: { respondWith: { status: 422, body: '{"error":"database is read-only"}', method: 'POST', path: '/publish' } } });
      const ws = actionsWorkspace();

      expect(await publish(ws, { imageTag: 'ghcr.io/example/calc:1.4.0' })).toEqual({ success: false });

      const annotations = output.lines().filter((line) => line.startsWith('::error'));
      expect(annotations).toHaveLength(1);
      expect(annotations[0]).toMatch(/^::error title=could not publish calc::POST .+ failed: the registry answered 422\. Response: \{"error":"database is read-only"\}%0A/);
      expect(posts()).toHaveLength(1);
      expect(readFileSync(summaryFile, 'utf8')).toBe('# earlier step\n');
    });
  });
});
