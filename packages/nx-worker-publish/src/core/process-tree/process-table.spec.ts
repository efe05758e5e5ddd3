import { findTreeMembers, parseProcStat, readProcessTable, type ProcessEntry } from './process-table';

test('parseProcStat copes with spaces and parentheses in the command name', () => {
  expect(parseProcStat('4242 (my (odd) name) S 17 4242 4242 0 -1 4194560 1 0')).toEqual({ pid: 4242, ppid: 17, pgid: 4242, state: 'S' });
  expect(parseProcStat('garbage')).toBeUndefined();
});

test('findTreeMembers follows parent links and includes members of the given groups', () => {
  const table: ProcessEntry[] = [
    { pid: 1, ppid: 0, pgid: 1, state: 'S' },
    { pid: 10, ppid: 1, pgid: 10, state: 'S' }, // root
    { pid: 11, ppid: 10, pgid: 10, state: 'S' },
    { pid: 12, ppid: 11, pgid: 12, state: 'S' }, // own group, found through its parent
    { pid: 13, ppid: 12, pgid: 12, state: 'Z' },
    { pid: 20, ppid: 1, pgid: 10, state: 'S' }, // orphan still in the root's group
    { pid: 30, ppid: 1, pgid: 30, state: 'S' }, // unrelated
  ];
  expect([...findTreeMembers(table, [10], [10])].sort((a, b) => a - b)).toEqual([10, 11, 12, 13, 20]);
  expect([...findTreeMembers(table, [10])].sort((a, b) => a - b)).toEqual([10, 11, 12, 13]);
  expect(findTreeMembers(table, [99]).size).toBe(0);
});

test('readProcessTable sees this process with its parent', () => {
  const self = readProcessTable().find((entry) => entry.pid === process.pid);
  expect(self).toMatchObject({ pid: process.pid, ppid: process.ppid });
});
