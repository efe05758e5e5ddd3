import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from './write-file-atomic';

test('creates missing folders, writes the content and leaves no temporary file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
  const target = join(dir, 'dist', 'skills', 'worker-interface.json');
  await writeFileAtomic(target, '{"a":1}\n');
  await writeFileAtomic(target, '{"a":2}\n');
  expect(readFileSync(target, 'utf8')).toBe('{"a":2}\n');
  expect(readdirSync(join(dir, 'dist', 'skills'))).toEqual(['worker-interface.json']);
});
