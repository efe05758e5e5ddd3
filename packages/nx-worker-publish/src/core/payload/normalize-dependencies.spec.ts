import { normalizeDependencies } from './normalize-dependencies';
import { PayloadError } from './payload-error';

const LABEL = 'context-compaction/iii.worker.yaml';

describe('normalizeDependencies', () => {
  it.each([null, undefined, ''])('treats %p as no dependencies', (raw) => {
    expect(normalizeDependencies(raw, LABEL)).toEqual([]);
  });

  it('turns the map form into the wire list (the form that got a 422 when sent as an object)', () => {
    expect(normalizeDependencies({ 'models-catalog': '^0.1.0', 'session-tree': '^0.1.0' }, LABEL)).toEqual([
      { name: 'models-catalog', version: '^0.1.0' },
      { name: 'session-tree', version: '^0.1.0' },
    ]);
  });

  it('stringifies scalar versions YAML read as numbers and empties null ones', () => {
    expect(normalizeDependencies({ a: 1.2, b: null, c: true }, LABEL)).toEqual([
      { name: 'a', version: '1.2' },
      { name: 'b', version: '' },
      { name: 'c', version: 'true' },
    ]);
  });

  it('rejects a map version that is a list or map', () => {
    expect(() => normalizeDependencies({ a: ['1'] }, LABEL)).toThrow(PayloadError);
    expect(() => normalizeDependencies({ a: { v: 1 } }, LABEL)).toThrow(/`dependencies` in context-compaction\/iii\.worker\.yaml.*"a"/);
  });

  it('turns a list of names into entries with an empty version', () => {
    expect(normalizeDependencies(['helper-worker', 'other'], LABEL)).toEqual([
      { name: 'helper-worker', version: '' },
      { name: 'other', version: '' },
    ]);
  });

  it('passes the wire list through, defaulting a missing version to ""', () => {
    expect(
      normalizeDependencies([{ name: 'helper', version: '^1.0.0' }, { name: 'bare' }, { name: 'n', version: 2 }], LABEL),
    ).toEqual([
      { name: 'helper', version: '^1.0.0' },
      { name: 'bare', version: '' },
      { name: 'n', version: '2' },
    ]);
  });

  it('rejects a scalar with a message naming `dependencies`, the file and the allowed forms', () => {
    const run = () => normalizeDependencies('helper-worker', LABEL);
    expect(run).toThrow(PayloadError);
    expect(run).toThrow(/`dependencies` in context-compaction\/iii\.worker\.yaml must be a map or a list, got a string/);
    expect(run).toThrow(/Allowed forms: a map of name to version/);
    expect(() => normalizeDependencies(42, LABEL)).toThrow(/got a number/);
  });

  it.each([[[42]], [[{ version: '1' }]], [[{ name: 3 }]], [[['nested']]], [[null]]])(
    'rejects the bad list entry in %j',
    (raw) => {
      expect(() => normalizeDependencies(raw, LABEL)).toThrow(/`dependencies` in context-compaction\/iii\.worker\.yaml: entry 0/);
    },
  );
});
