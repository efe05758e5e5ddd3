import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Temporary folders of one spec file, removed by `removeTemps` (call it in afterAll). */
const temps: string[] = [];
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  temps.push(dir);
  return dir;
}
export const removeTemps = () => temps.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }));
