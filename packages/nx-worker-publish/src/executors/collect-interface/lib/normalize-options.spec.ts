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
  [{ withholdEnv: { DB_PASSWORD: true } }, 'the `withholdEnv` option must be a list of strings'],
  [{ withholdEnv: ['NOT A NAME'] }, '`withholdEnv` must be a list of environment variable names'],
  [{ maxArchiveBytes: 0 }, 'the `maxArchiveBytes` option must be a number greater than 0, got 0'],
  [{ downloadTimeoutSeconds: -1 }, 'the `downloadTimeoutSeconds` option must be a number greater than 0, got -1'],
  // As Nx's command-line parser hands them over: `--waitSeconds=abc`, `--settleSeconds=-1`, `--settleSeconds=NaN`.
  [{ waitSeconds: 'abc' }, 'the `waitSeconds` option must be a number greater than 0, got "abc"'],
  [{ settleSeconds: -1 }, 'the `settleSeconds` option must be a number of 0 or more, got -1'],
  [{ settleSeconds: 'NaN' }, 'the `settleSeconds` option must be a number of 0 or more, got "NaN"'],
  [{ engineGeneration: 0.99 }, '`engineGeneration` must be auto (the default: the generation of the worker\'s iii-sdk line), 0.26, 0.25, 0.23, 0.13 or 0.11 (or the old names current / legacy), got "0.99"'],
  [{ args: '["--url", ' }, 'the `args` option must be a JSON array of strings'],
  [{ bin: '../../usr/bin/id' }, 'the `bin` option "../../usr/bin/id" must be a plain file name'],
  [{ deploy: 'lambda' }, 'the `deploy` option must be one of binary, image, bundle, got "lambda"'],
])('refuses %j', async (options, message) => {
  const error = await normalize(options as CollectInterfaceExecutorSchema).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ExecutorInputError);
  expect((error as Error).message).toContain(message);
});

describe('values as Nx hands them over from the command line', () => {
  test('a number where a string is meant (--engineGeneration=0.13) is read back as the text typed', async () => {
    const fromNumber = await normalize({ engineGeneration: 0.13 } as unknown as CollectInterfaceExecutorSchema);
    expect(fromNumber.engine).toMatchObject({ kind: 'embedded', generation: '0.13' });
    // Nx's parser makes 1.10 of "--hostTarget=1.10" the number 1.1; the unparsed arguments keep the text.
    const raw = await normalize({ hostTarget: 1.1, __overrides_unparsed__: ['--hostTarget=1.10'] } as unknown as CollectInterfaceExecutorSchema);
    expect(raw.launch.hostTarget).toBe('1.10');
  });

  test('numbers given as text, a comma-separated list and a JSON list are read as such', async () => {
    const request = await normalize({ waitSeconds: '30', settleSeconds: '0.5', withholdEnv: 'DB_PASSWORD,API_SECRET' } as unknown as CollectInterfaceExecutorSchema);
    expect(request).toMatchObject({ waitSeconds: 30, settleSeconds: 0.5 });
    expect(request.withheldEnv).toEqual(expect.arrayContaining(['DB_PASSWORD', 'API_SECRET']));
    const json = await normalize({ args: '["--engine-url","{engineUrl}"]' } as unknown as CollectInterfaceExecutorSchema);
    expect(json.launch.args).toEqual(['--engine-url', '{engineUrl}']);
  });
});
