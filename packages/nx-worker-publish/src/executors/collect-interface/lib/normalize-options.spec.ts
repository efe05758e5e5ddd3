import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bufferedReporter } from '../../../core/reporter/step-reporter';
import { ALWAYS_WITHHELD_ENV } from '../../../core/worker-process/withheld-env';
import { ExecutorInputError } from '../../shared/executor-input-error';
import type { CollectInterfaceExecutorSchema } from '../schema';
import { normalizeCollectOptions } from './normalize-options';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'normalize-collect-'));
  mkdirSync(join(root, 'workers/calc'), { recursive: true });
  writeFileSync(join(root, 'workers/calc/iii.worker.yaml'), 'deploy: binary\nbin: calc\n');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const location = () => ({ workspaceRoot: root, projectRoot: 'workers/calc', projectName: 'calc' });
const normalize = (options: CollectInterfaceExecutorSchema, keyEnvs: string[] = []) =>
  normalizeCollectOptions(options, location(), bufferedReporter(false), keyEnvs);

test('the withheld set reaches the worker and the external engine: fixed names, workspace keys, withholdEnv', async () => {
  const request = await normalize({ engine: 'external', withholdEnv: ['DB_PASSWORD'] }, ['MY_REGISTRY_KEY']);
  expect(request.withheldEnv).toEqual(expect.arrayContaining([...ALWAYS_WITHHELD_ENV, 'MY_REGISTRY_KEY', 'DB_PASSWORD']));
  expect(request.engine).toMatchObject({ kind: 'external', withheldEnv: request.withheldEnv });
});

test('limit options reach the download, the extraction and the log', async () => {
  const request = await normalize({
    downloadTimeoutSeconds: 30,
    downloadIdleTimeoutSeconds: 5,
    maxArchiveBytes: 1000,
    maxArchiveEntries: 10,
    maxArchivePathDepth: 4,
    logMaxMiB: 2,
  });
  expect(request.launch.downloadTimeouts).toEqual({ totalMs: 30_000, idleMs: 5_000 });
  expect(request.launch.archiveLimits).toEqual({ maxBytes: 1000, maxEntries: 10, maxDepth: 4 });
  expect(request.logMaxBytes).toBe(2 * 1024 * 1024);
  expect((await normalize({ engine: 'external', logMaxMiB: 1 })).engine).toMatchObject({ logMaxBytes: 1024 * 1024 });
  expect(request.engine).toMatchObject({ kind: 'embedded', logMaxBytes: 2 * 1024 * 1024 }); // the embedded engine's log too
});

test.each([
  [{ withholdEnv: 'DB_PASSWORD' }, '`withholdEnv` must be a list of environment variable names'],
  [{ withholdEnv: ['NOT A NAME'] }, '`withholdEnv` must be a list of environment variable names'],
  [{ maxArchiveBytes: 0 }, '`maxArchiveBytes` must be a positive number, got 0'],
  [{ downloadTimeoutSeconds: -1 }, '`downloadTimeoutSeconds` must be a positive number, got -1'],
  [{ bin: '../../usr/bin/id' }, 'the `bin` option "../../usr/bin/id" must be a plain file name'],
  [{ deploy: 'lambda' }, 'the `deploy` option must be one of binary, image, bundle, got "lambda"'],
])('refuses %j', async (options, message) => {
  const error = await normalize(options as CollectInterfaceExecutorSchema).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ExecutorInputError);
  expect((error as Error).message).toContain(message);
});
