import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExecutorInputError } from '../../shared/executor-input-error';
import { readInterfaceFile } from './read-interface-file';

describe('readInterfaceFile', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'interface-file-'));
    file = join(dir, 'worker-interface.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('returns the interface collect-interface wrote', () => {
    writeFileSync(file, '{"functions":[{"name":"calc::add"}],"triggers":[]}\n');
    expect(readInterfaceFile(file, 'calc:collect-interface')).toEqual({ iface: { functions: [{ name: 'calc::add' }], triggers: [] }, collectedFrom: undefined });
  });

  it('returns what ran to collect it apart from the interface', () => {
    writeFileSync(file, '{"collected_from":{"forced":false,"launch":"release-binary","release":"calc/v1.4.0"},"functions":[],"triggers":[]}\n');
    expect(readInterfaceFile(file, 'calc:collect-interface')).toEqual({
      iface: { functions: [], triggers: [] },
      collectedFrom: { launch: 'release-binary', release: 'calc/v1.4.0', forced: false },
    });
  });

  it('names the collect target to run when the file is missing', () => {
    expect(() => readInterfaceFile(file, 'calc:collect-interface')).toThrow(ExecutorInputError);
    expect(() => readInterfaceFile(file, 'calc:collect-interface')).toThrow(`no interface file at ${file}. Run \`calc:collect-interface\` first`);
  });

  it.each([
    ['not JSON', '{"functions": [', /is not valid JSON .*delete it and run `calc:collect-interface` again/],
    ['JSON without the lists', '{"functions": {}}', /is not an interface file \(it needs "functions" and "triggers" lists\)/],
    ['JSON null', 'null', /is not an interface file/],
  ])('refuses a file that is %s', (_case, text, message) => {
    writeFileSync(file, text);
    expect(() => readInterfaceFile(file, 'calc:collect-interface')).toThrow(message);
  });
});
