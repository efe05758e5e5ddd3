import { PayloadError } from './payload-error';
import { resolveImageTag } from './image-tag';

const base = { version: '0.2.0', requireImageDigest: false, dryRun: false };

describe('resolveImageTag (issue 19 #7)', () => {
  it('substitutes {version}, and is silent when the tag follows the version', () => {
    expect(resolveImageTag({ ...base, template: 'ghcr.io/iii-hq/todo-worker:{version}' })).toEqual({ imageTag: 'ghcr.io/iii-hq/todo-worker:0.2.0', warnings: [] });
    expect(resolveImageTag({ ...base, template: 'localhost:5000/todo:v{version}' })).toEqual({ imageTag: 'localhost:5000/todo:v0.2.0', warnings: [] });
  });

  it('warns when the tag names another version than the one published', () => {
    const { imageTag, warnings } = resolveImageTag({ ...base, template: 'ghcr.io/iii-hq/todo-worker:0.1.0' });
    expect(imageTag).toBe('ghcr.io/iii-hq/todo-worker:0.1.0');
    expect(warnings).toEqual([
      '⚠ imageTag "ghcr.io/iii-hq/todo-worker:0.1.0" names version 0.1.0, but version 0.2.0 is being published. Write the tag as `…:{version}` so that it follows the version, or pin the image by digest.',
    ]);
  });

  it('fails on another version with requireImageDigest', () => {
    expect(() => resolveImageTag({ ...base, requireImageDigest: true, template: `ghcr.io/a/b:0.1.0@sha256:${'a'.repeat(64)}` })).toThrow(PayloadError);
  });

  it('does not read a registry port or a non-version tag as a version', () => {
    expect(resolveImageTag({ ...base, template: 'registry.local:5000/a/b:latest' }).warnings).toEqual([]);
    expect(resolveImageTag({ ...base, template: `ghcr.io/a/b@sha256:${'a'.repeat(64)}` }).warnings).toEqual([]);
  });

  it('flags the generator placeholder: a warning in a dry run, an error in a publish', () => {
    const template = 'ghcr.io/your-org/hello:{version}';
    expect(resolveImageTag({ ...base, dryRun: true, template }).warnings[0]).toMatch(/^⚠ imageTag "ghcr.io\/your-org\/hello:0.2.0" still holds a placeholder \(your-org\)/);
    expect(() => resolveImageTag({ ...base, template })).toThrow(/still holds a placeholder \(your-org\)/);
  });
});
