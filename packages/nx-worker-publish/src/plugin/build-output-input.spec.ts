import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildOutputInput } from './build-output-input';

describe('buildOutputInput', () => {
  let workspaceRoot: string;
  beforeEach(() => {
    workspaceRoot = mkdtempSync(join(tmpdir(), 'build-output-input-'));
  });
  afterEach(() => rmSync(workspaceRoot, { recursive: true, force: true }));

  /** What Nx hashes: the runtime command's output, run through sh in the workspace root. */
  const hashInput = (input: { runtime: string } | undefined) => execFileSync('sh', ['-c', input!.runtime], { cwd: workspaceRoot, encoding: 'utf8' });
  const writeBinary = (path: string, content: string) => {
    mkdirSync(join(workspaceRoot, path, '..'), { recursive: true });
    writeFileSync(join(workspaceRoot, path), content);
  };

  it('changes with the content of target/release/{bin}, and tells an absent binary apart', () => {
    const input = buildOutputInput('workers/skills', 'skills', undefined);
    const absent = hashInput(input);
    expect(absent).toBe('workers/skills/target/release/skills none\nworkers/skills/target/release/skills.exe none\n');
    writeBinary('workers/skills/target/release/skills', 'old build');
    const old = hashInput(input);
    writeBinary('workers/skills/target/release/skills', 'new build');
    const rebuilt = hashInput(input);
    expect(new Set([absent, old, rebuilt]).size).toBe(3);
    writeBinary('workers/skills/target/release/skills', 'old build');
    expect(hashInput(input)).toBe(old); // content, not time: the same bytes keep the cache
  });

  it('reads the plugin-level binaryPath instead, with its tokens filled in', () => {
    const input = buildOutputInput('workers/skills', 'skills', '{workspaceRoot}/out/{projectRoot}/bin');
    writeBinary('out/workers/skills/bin', 'a');
    const first = hashInput(input);
    expect(first).toMatch(/^out\/workers\/skills\/bin [0-9a-f]{64}\n/);
    writeBinary('out/workers/skills/bin', 'b');
    expect(hashInput(input)).not.toBe(first);
  });

  it('answers for an absent build output without starting node on POSIX shells; Windows runs the node script alone', () => {
    const input = buildOutputInput('workers/skills', 'skills', undefined);
    expect(input!.runtime).toMatch(/^if \[ -e "workers\/skills\/target\/release\/skills" \] \|\| \[ -e "workers\/skills\/target\/release\/skills.exe" \]; then node -e /);
    // With node off the PATH, an absent binary is still answered, and a present one fails loudly rather than hash as absent.
    const noNode = (runtime: string) => execFileSync('/bin/sh', ['-c', `${runtime} 2>&1 || echo failed`], { cwd: workspaceRoot, encoding: 'utf8', env: { PATH: '/nonexistent' } });
    expect(noNode(input!.runtime)).toBe('workers/skills/target/release/skills none\nworkers/skills/target/release/skills.exe none\n');
    writeBinary('workers/skills/target/release/skills.exe', 'windows build');
    expect(noNode(input!.runtime)).toMatch(/failed\n$/);
    expect(buildOutputInput('workers/skills', 'skills', undefined, 'win32')!.runtime).toMatch(/^node -e "/);
  });

  it('is left out for a path a shell would expand, and when no binary name is known', () => {
    expect(buildOutputInput('workers/$(id)', 'x', undefined)).toBeUndefined();
    expect(buildOutputInput('workers/skills', undefined, undefined)).toBeUndefined();
  });
});
