import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { lastLines, readLogTail } from './log-tail';

let dir: string;
beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'log-tail-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('lastLines keeps the last N lines and ignores the final newline', () => {
  expect(lastLines('a\nb\nc\n', 2)).toBe('b\nc');
  expect(lastLines('a\r\nb\r\n', 5)).toBe('a\nb');
  expect(lastLines('a\nb', 0)).toBe('');
});

test('readLogTail of a missing file is empty', () => {
  expect(readLogTail(path.join(dir, 'none.log'))).toBe('');
});

test('readLogTail defaults to 40 lines and reads only the end of a large log', () => {
  const file = path.join(dir, 'big.log');
  const lines = Array.from({ length: 100_000 }, (_, i) => `line ${i}`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  const tail = readLogTail(file).split('\n');
  expect(tail).toHaveLength(40);
  expect(tail[0]).toBe('line 99960');
  expect(tail[39]).toBe('line 99999');
  expect(readLogTail(file, 3)).toBe('line 99997\nline 99998\nline 99999');
});
