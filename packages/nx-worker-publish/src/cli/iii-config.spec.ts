import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { IiiConfigError, readIiiEngineConfig } from './iii-config';

describe('readIiiEngineConfig', () => {
  let dir: string;
  const write = async (name: string, text: string) => {
    const file = path.join(dir, name);
    await writeFile(file, text);
    return file;
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'iii-config-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  test('takes port and host from the iii-worker-manager entry and lists workers it will not run', async () => {
    const file = await write(
      'full.yaml',
      'workers:\n  - name: iii-http\n    config: {port: 3111}\n  - name: iii-worker-manager\n    config:\n      port: 49135\n      host: 127.0.0.1\n  - name: iii-observability\n',
    );
    expect(await readIiiEngineConfig(file)).toEqual({ host: '127.0.0.1', port: 49135, ignoredWorkers: ['iii-http'] });
  });

  test('defaults to the real engine’s 0.0.0.0:49134 for "workers: []" and an empty file', async () => {
    expect(await readIiiEngineConfig(await write('min.yaml', 'workers: []\n'))).toEqual({ host: '0.0.0.0', port: 49134, ignoredWorkers: [] });
    expect(await readIiiEngineConfig(await write('empty.yaml', ''))).toEqual({ host: '0.0.0.0', port: 49134, ignoredWorkers: [] });
  });

  test('expands ${VAR:default} placeholders like the engine', async () => {
    const file = await write('env.yaml', 'workers:\n  - name: iii-worker-manager\n    config: {port: ${TEST_III_PORT:4000}, host: ${TEST_III_HOST}}\n');
    expect(await readIiiEngineConfig(file, { TEST_III_HOST: '127.0.0.2' })).toMatchObject({ host: '127.0.0.2', port: 4000 });
    await expect(readIiiEngineConfig(file, {})).rejects.toThrow(/TEST_III_HOST is not set/);
  });

  test.each([
    ['missing.yaml', null, /"\S*missing\.yaml" does not exist/],
    ['bad-yaml.yaml', 'workers: [\n', /"\S*bad-yaml\.yaml" is not valid YAML: /],
    ['scalar.yaml', 'just text\n', /must be a YAML mapping/],
    ['not-list.yaml', 'workers: {a: 1}\n', /"workers" key that is not a list/],
    ['no-name.yaml', 'workers:\n  - config: {}\n', /workers\[0\] without a "name"/],
    ['bad-port.yaml', 'workers:\n  - name: iii-worker-manager\n    config: {port: 70000}\n', /"workers\[0\]\.config\.port" = 70000, which is not a port/],
    ['bad-host.yaml', 'workers:\n  - name: iii-worker-manager\n    config: {host: 12}\n', /"workers\[0\]\.config\.host" = 12/],
  ])('%s is a config error naming the file and key', async (name, text, message) => {
    const file = text === null ? path.join(dir, name) : await write(name, text);
    const reading = readIiiEngineConfig(file);
    await expect(reading).rejects.toBeInstanceOf(IiiConfigError);
    await expect(reading).rejects.toThrow(message);
    await expect(reading).rejects.toMatchObject({ exitCode: 2 });
  });
});
