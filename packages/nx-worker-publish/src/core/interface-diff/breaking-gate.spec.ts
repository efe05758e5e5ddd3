import { checkBreakingChanges } from './breaking-gate';
import { breakingChanges, diffInterfaces } from './diff-interfaces';
import { renderMarkdownReport, renderMarkdownSummary, type InterfaceDiffReport } from './interface-diff-report';
import { bumpAllowsBreaking, nextBreakingVersion } from './version-bump';

const fn = (name: string, request: Record<string, unknown> = {}, response: Record<string, unknown> = {}) => ({
  name,
  description: '',
  request_schema: request,
  response_schema: response,
  metadata: {},
});
const trigger = (name: string) => ({ name, description: '', invocation_schema: {}, return_schema: {}, metadata: {} });
const titleRequest = { type: 'object', properties: { title: { type: 'string' } }, required: ['title'] };

const reference = { functions: [fn('todo::create', titleRequest), fn('todo::complete')], triggers: [trigger('todo::on-complete')] };
const breakingNext = {
  functions: [fn('todo::create', { ...titleRequest, properties: { ...titleRequest.properties, due: { type: 'string' } }, required: ['due', 'title'] }), fn('todo::archive')],
  triggers: [],
};

describe('diffInterfaces', () => {
  test('lists added, removed and changed entries, and every breaking change in one line each', () => {
    const diff = diffInterfaces(reference, breakingNext);
    expect(diff.functions.added).toEqual(['todo::archive']);
    expect(diff.functions.removed).toEqual(['todo::complete']);
    expect(diff.triggers.removed).toEqual(['todo::on-complete']);
    expect(diff.functions.changed.map((entry) => [entry.name, entry.schemas.map((field) => field.schema)])).toEqual([['todo::create', ['request_schema']]]);
    expect(breakingChanges(diff)).toEqual([
      'removed function todo::complete',
      'todo::create request_schema: required due added',
      'removed trigger type todo::on-complete',
    ]);
  });

  test('an identical interface has no changes, whatever the order', () => {
    const diff = diffInterfaces(reference, { functions: [...reference.functions].reverse(), triggers: reference.triggers });
    expect(breakingChanges(diff)).toEqual([]);
    expect(diff.functions).toEqual({ added: [], removed: [], changed: [] });
  });
});

describe('version bumps', () => {
  test.each([
    ['1.4.2', '2.0.0', true],
    ['1.4.2', '2.0.0-rc.1', true],
    ['1.4.2', '1.5.0', false],
    ['1.4.2', '1.4.3', false],
    ['0.3.0', '0.4.0', true],
    ['0.3.0', '0.3.1', false],
    ['0.3.0', '1.0.0', true],
    ['1.0.0', '1.0.0', false],
    ['1.0.0', 'next', false],
  ])('%s → %s allows breaking changes: %s', (from, to, allowed) => {
    expect(bumpAllowsBreaking(from, to)).toBe(allowed);
  });

  test('the version that would allow them', () => {
    expect(nextBreakingVersion('1.4.2')).toBe('2.0.0');
    expect(nextBreakingVersion('0.3.1')).toBe('0.4.0');
  });
});

describe('checkBreakingChanges', () => {
  const diff = diffInterfaces(reference, breakingNext);
  const gate = (version: string, allowBreakingChanges?: boolean) =>
    checkBreakingChanges({ diff, version, referenceVersion: '1.2.0', referenceLabel: '1.2.0 (registry channel latest)', allowBreakingChanges });

  test('breaking changes under a patch or minor bump fail, naming each change and the version that would allow them', () => {
    for (const version of ['1.2.1', '1.3.0', '1.2.0']) {
      const verdict = gate(version);
      expect(verdict.status).toBe('breaking');
      expect(verdict.requiredVersion).toBe('2.0.0');
      expect(verdict.message).toContain('removed function todo::complete');
      expect(verdict.message).toContain('todo::create request_schema: required due added');
      expect(verdict.message).toContain('Release them as 2.0.0 or later');
    }
    expect(gate('1.2.1').message).toContain('under the patch bump 1.2.0 → 1.2.1');
  });

  test('a major bump allows them; allowBreakingChanges lets them through under any bump', () => {
    expect(gate('2.0.0').status).toBe('breaking-allowed-by-version');
    expect(gate('1.2.1', true).status).toBe('breaking-allowed-by-option');
  });

  test('below 1.0 a minor bump allows them, a patch bump does not', () => {
    const below = (version: string) => checkBreakingChanges({ diff, version, referenceVersion: '0.3.0', referenceLabel: '0.3.0' });
    expect(below('0.4.0').status).toBe('breaking-allowed-by-version');
    expect(below('0.3.1')).toMatchObject({ status: 'breaking', requiredVersion: '0.4.0' });
  });

  test('an unknown reference version cannot allow breaking changes', () => {
    expect(checkBreakingChanges({ diff, version: '9.0.0', referenceLabel: 'base commit' }).status).toBe('breaking');
  });

  test('no breaking change is compatible under any bump', () => {
    const compatible = diffInterfaces(reference, { ...reference, functions: [...reference.functions, fn('todo::archive')] });
    expect(checkBreakingChanges({ diff: compatible, version: '1.2.0', referenceVersion: '1.2.0', referenceLabel: '1.2.0' })).toMatchObject({ status: 'compatible', breaking: [] });
  });
});

describe('Markdown report', () => {
  const report = (worker: string, version: string): InterfaceDiffReport => {
    const diff = diffInterfaces(reference, breakingNext);
    return { worker, version, reference: { kind: 'registry', label: '1.2.0 (registry channel latest)', version: '1.2.0' }, diff, verdict: checkBreakingChanges({ diff, version, referenceVersion: '1.2.0', referenceLabel: '1.2.0' }) };
  };

  test('shows the verdict, the reference and one row per change, breaking ones marked', () => {
    const markdown = renderMarkdownReport(report('todo', '1.2.1'));
    expect(markdown).toContain('### todo 1.2.1: ✖ breaking');
    expect(markdown).toContain('Compared with 1.2.0 (registry channel latest).');
    expect(markdown).toContain('Release them as **2.0.0** or later');
    expect(markdown).toContain('| removed function | `todo::complete` | **yes** |');
    expect(markdown).toContain('| request_schema: required due added | `todo::create` | **yes** |');
    expect(markdown).toContain('| request_schema: property due added | `todo::create` | no |');
    expect(markdown).toContain('| added function | `todo::archive` | no |');
  });

  test('worker-supplied text cannot break the table or reach the terminal as escapes', () => {
    const hostile = report('todo', '1.2.1');
    hostile.diff.functions.added = ['evil|`x`\u001b[31m\nname'];
    expect(renderMarkdownReport(hostile)).toContain("| added function | `evil\\|'x'?[31m?name` | no |");
  });

  test('the overall summary lists blocked workers first', () => {
    const summary = renderMarkdownSummary([report('a-ok', '2.0.0'), report('z-blocked', '1.2.1')]);
    expect(summary).toContain('## Worker interfaces: 2 compared, 1 blocked by breaking changes');
    expect(summary.indexOf('z-blocked')).toBeLessThan(summary.indexOf('a-ok'));
    expect(summary).toContain('✖ breaking (needs 2.0.0)');
  });
});
