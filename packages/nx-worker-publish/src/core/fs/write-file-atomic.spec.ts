import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './write-file-atomic';
import { removeTemps, tempDir } from '../../test-support/temp-dirs';

afterAll(removeTemps);

test('creates missing folders, writes the content and leaves no temporary file', async () => {
  const dir = tempDir('atomic');
  const target = join(dir, 'dist', 'skills', 'worker-interface.json');
  await writeFileAtomic(target, '{"a":1}\n');
  await writeFileAtomic(target, '{"a":2}\n');
  expect(readFileSync(target, 'utf8')).toBe('{"a":2}\n');
  expect(readdirSync(join(dir, 'dist', 'skills'))).toEqual(['worker-interface.json']);
});
