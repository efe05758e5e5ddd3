import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One temp folder for the whole run; removed at the end, also on Ctrl-C. */
export class TempSpace {
  readonly root: string;
  private counter = 0;

  constructor() {
    this.root = realpathSync(mkdtempSync(join(tmpdir(), 'nx-worker-publish-bench-')));
  }

  /** A fresh, empty folder below the root. */
  dir(label: string): string {
    const path = join(this.root, `${label}-${++this.counter}`);
    mkdirSync(path, { recursive: true });
    return path;
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
