import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolvePayloadConfig } from './resolve-payload-config';

describe('resolvePayloadConfig', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'payload-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('an inline config wins over config.yaml', () => {
    writeFileSync(join(dir, 'config.yaml'), 'adapter: {name: redis}\n');
    expect(resolvePayloadConfig({ config: { adapter: { name: 'local' } } }, dir)).toEqual({ adapter: { name: 'local' } });
  });

  it('falls back to config.yaml, then {}; config.collect.yaml never reaches the payload', () => {
    writeFileSync(join(dir, 'config.collect.yaml'), 'light: true\n');
    expect(resolvePayloadConfig({}, dir)).toEqual({});
    writeFileSync(join(dir, 'config.yaml'), 'adapter: {name: redis}\n');
    expect(resolvePayloadConfig({}, dir)).toEqual({ adapter: { name: 'redis' } });
  });
});
