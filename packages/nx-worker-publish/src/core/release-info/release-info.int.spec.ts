import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRegistryTag, registryTagReader, type RegistryTagReader } from './read-registry-tag';
import { resolveRepoUrl } from './repo-url';
import { ReleaseInfoError } from './release-info-error';

// A real repository in a temp folder; signing and user config are pinned so the host's git config cannot interfere.
function git(cwd: string, ...args: string[]): string {
  return execFileSync(
    'git',
    ['-c', 'user.name=Test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgSign=false', '-c', 'tag.gpgSign=false', ...args],
    { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

function newRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'release-info-'));
  git(dir, 'init', '-q');
  writeFileSync(join(dir, 'README.md'), '# workers\n');
  git(dir, 'add', 'README.md');
  // The commit message carries a registry-tag line so a lightweight tag would wrongly read it if treated as annotated.
  git(dir, 'commit', '-q', '-m', 'chore(skills): bump to v0.1.4\n\nregistry-tag: next');
  return dir;
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe.each<[string, () => RegistryTagReader]>([
  ['readRegistryTag', () => readRegistryTag],
  ['registryTagReader (one git call for a batch)', registryTagReader],
])('%s (real git repository)', (_name, makeReader) => {
  let readTag: RegistryTagReader;
  beforeEach(() => {
    readTag = makeReader();
  });
  let repo: string;
  beforeAll(() => {
    repo = newRepo();
    dirs.push(repo);
    git(repo, 'tag', '-a', 'skills/v0.1.4', '-m', 'Release skills/v0.1.4\n\nworker: skills\nversion: 0.1.4\nregistry-tag: next');
    git(repo, 'tag', '-a', 'skills/v0.1.3', '-m', 'Release skills/v0.1.3\n\nworker: skills\nversion: 0.1.3');
    git(repo, 'tag', '-a', 'skills/v0.1.2', '-m', 'Release skills/v0.1.2\n\nregistry-tag:   \n');
    git(repo, 'tag', '-a', 'mcp/v0.3.1', '-m', 'Release mcp/v0.3.1\n\n   registry-tag:  beta  \nregistry-tag: ignored');
    git(repo, 'tag', 'skills/v0.1.5-next.1');
  });

  it('reads the registry-tag line of an annotated tag', async () => {
    await expect(readTag({ cwd: repo, tag: 'skills/v0.1.4' })).resolves.toBe('next');
  });

  it('takes the first registry-tag line, trimmed', async () => {
    await expect(readTag({ cwd: repo, tag: 'mcp/v0.3.1' })).resolves.toBe('beta');
  });

  it('is latest for an annotated tag without the line or with an empty value', async () => {
    await expect(readTag({ cwd: repo, tag: 'skills/v0.1.3' })).resolves.toBe('latest');
    await expect(readTag({ cwd: repo, tag: 'skills/v0.1.2' })).resolves.toBe('latest');
  });

  it('is latest for a lightweight tag, even when the commit message has a registry-tag line', async () => {
    await expect(readTag({ cwd: repo, tag: 'skills/v0.1.5-next.1' })).resolves.toBe('latest');
  });

  it('is latest for a tag that does not exist, and outside any repository', async () => {
    await expect(readTag({ cwd: repo, tag: 'skills/v9.9.9' })).resolves.toBe('latest');
    const plain = mkdtempSync(join(tmpdir(), 'not-a-repo-'));
    dirs.push(plain);
    await expect(readTag({ cwd: plain, tag: 'skills/v0.1.4' })).resolves.toBe('latest');
    await expect(readTag({ cwd: repo, tag: '--help' })).resolves.toBe('latest');
  });

  it('reads the tags a second time from what it listed (a batch is one run)', async () => {
    const reader = makeReader();
    await expect(reader({ cwd: repo, tag: 'skills/v0.1.4' })).resolves.toBe('next');
    git(repo, 'tag', '-a', 'skills/v0.2.0', '-m', 'Release skills/v0.2.0\n\nregistry-tag: next');
    try {
      // The single reader asks git each time; the batch reader answers from its one listing.
      await expect(reader({ cwd: repo, tag: 'skills/v0.2.0' })).resolves.toBe(reader === readRegistryTag ? 'next' : 'latest');
    } finally {
      git(repo, 'tag', '-d', 'skills/v0.2.0');
    }
  });
});

describe('resolveRepoUrl (real git repository)', () => {
  it('prefers GitHub Actions variables', async () => {
    const repo = newRepo();
    dirs.push(repo);
    git(repo, 'remote', 'add', 'origin', 'git@github.com:someone/else.git');
    await expect(
      resolveRepoUrl({ cwd: repo, env: { GITHUB_SERVER_URL: 'https://github.com/', GITHUB_REPOSITORY: 'iii-hq/workers' } }),
    ).resolves.toBe('https://github.com/iii-hq/workers');
  });

  it('turns an ssh origin into https', async () => {
    const repo = newRepo();
    dirs.push(repo);
    git(repo, 'remote', 'add', 'origin', 'git@github.com:iii-hq/workers.git');
    await expect(resolveRepoUrl({ cwd: repo, env: { GITHUB_REPOSITORY: 'only/half' } })).resolves.toBe('https://github.com/iii-hq/workers');
  });

  it('drops the token of an https origin', async () => {
    const repo = newRepo();
    dirs.push(repo);
    git(repo, 'remote', 'add', 'origin', 'https://x-access-token:ghs_abc123@github.com/iii-hq/workers.git');
    const url = await resolveRepoUrl({ cwd: repo, env: {} });
    expect(url).toBe('https://github.com/iii-hq/workers');
  });

  it('asks for repoUrl when there is no origin', async () => {
    const repo = newRepo();
    dirs.push(repo);
    const result = resolveRepoUrl({ cwd: repo, env: {} });
    await expect(result).rejects.toThrow(ReleaseInfoError);
    await expect(resolveRepoUrl({ cwd: repo, env: {} })).rejects.toThrow(/Set the `repoUrl` option/);
  });

  it('asks for repoUrl when origin is a local path, without showing credentials', async () => {
    const repo = newRepo();
    dirs.push(repo);
    git(repo, 'remote', 'add', 'origin', 'file://user:hunter2@/srv/git/workers.git');
    const error = await resolveRepoUrl({ cwd: repo, env: {} }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(ReleaseInfoError);
    expect((error as Error).message).toMatch(/no web address.*Set the `repoUrl` option/);
    expect((error as Error).message).not.toContain('hunter2');
  });
});
