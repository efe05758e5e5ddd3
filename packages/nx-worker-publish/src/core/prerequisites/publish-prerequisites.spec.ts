import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readWorkerManifest } from '../manifest';
import { checkPublishPrerequisites, PrerequisiteError, type PublishFacts } from '.';
import { removeTemps, tempDir } from '../../test-support/temp-dirs';

afterAll(removeTemps);

function worker(files: Record<string, string>) {
  const dir = tempDir('prerequisites');
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return readWorkerManifest(dir);
}

const noRepository = async (): Promise<string> => {
  throw new Error('No repository URL: set the `repoUrl` option, or add a git remote `origin`.');
};

const facts = (overrides: Partial<PublishFacts> & Pick<PublishFacts, 'manifest'>): PublishFacts => ({
  manifestLabel: 'workers/todo/iii.worker.yaml',
  repoUrl: async () => 'https://github.com/acme/workers',
  ...overrides,
});

describe('checkPublishPrerequisites', () => {
  it('reports every missing setting of a first image worker in one error', async () => {
    const manifest = worker({ 'iii.worker.yaml': 'deploy: image\n' });
    const error = await checkPublishPrerequisites(facts({ manifest, repoUrl: noRepository })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PrerequisiteError);
    const { message, problems } = error as PrerequisiteError;
    expect(problems).toHaveLength(3);
    expect(message).toContain('workers/todo/iii.worker.yaml is not ready to publish (3 problems; nothing was started)');
    expect(message).toContain('1. ');
    expect(message).toContain('no `manifest` key');
    expect(message).toContain('No repository URL');
    expect(message).toContain('`imageTag`');
  });

  it('passes a complete worker, and an explicit version stands in for the manifest', async () => {
    const complete = worker({ 'iii.worker.yaml': 'deploy: image\nmanifest: package.json\n', 'package.json': '{"version":"1.2.3"}' });
    await expect(checkPublishPrerequisites(facts({ manifest: complete, imageTag: 'ghcr.io/acme/todo:1.2.3' }))).resolves.toBeUndefined();
    const binary = worker({ 'iii.worker.yaml': 'deploy: binary\n' });
    await expect(checkPublishPrerequisites(facts({ manifest: binary, version: '0.4.0' }))).resolves.toBeUndefined();
  });

  it('runs the checks it is given, so a new deploy kind adds its own', async () => {
    const manifest = worker({ 'iii.worker.yaml': 'deploy: binary\n' });
    const error = (await checkPublishPrerequisites(facts({ manifest, version: '1.0.0' }), [() => 'no archive', () => undefined]).catch((e: unknown) => e)) as PrerequisiteError;
    expect(error.problems).toEqual(['no archive']);
  });
});
