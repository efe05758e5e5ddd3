import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from './write-file-atomic';

const tempDirs: string[] = [];
afterAll(() => tempDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

test('creates missing folders, writes the content and leaves no temporary file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
  tempDirs.push(dir);
  const target = join(dir, 'dist', 'skills', 'worker-interface.json');
  await writeFileAtomic(target, '{"a":1}\n');
  await writeFileAtomic(target, '{"a":2}\n');
  expect(readFileSync(target, 'utf8')).toBe('{"a":2}\n');
  expect(readdirSync(join(dir, 'dist', 'skills'))).toEqual(['worker-interface.json']);
});
