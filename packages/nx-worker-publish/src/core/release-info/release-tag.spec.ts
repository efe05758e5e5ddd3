import { defaultTag, parseReleaseTag } from './release-tag';
import { ReleaseInfoError } from './release-info-error';

describe('parseReleaseTag', () => {
  it('reads a stable tag', () => {
    expect(parseReleaseTag('skills/v0.1.4')).toEqual({
      tag: 'skills/v0.1.4',
      worker: 'skills',
      version: '0.1.4',
      isPrerelease: false,
      isDryRun: false,
    });
  });

  it('trims the raw tag, as the workflow did', () => {
    expect(parseReleaseTag('  image-resize/v0.1.7\n')).toMatchObject({ tag: 'image-resize/v0.1.7', worker: 'image-resize' });
  });

  it.each(['iii-database/v1.0.3', 'todo_worker/v2.0.0', '9lives/v1.0.0'])('accepts the worker folder of %s', (tag) => {
    expect(parseReleaseTag(tag).worker).toBe(tag.split('/')[0]);
  });

  it('marks -dry-run.N as a dry run and a prerelease', () => {
    expect(parseReleaseTag('image-resize/v0.1.8-dry-run.1')).toMatchObject({
      worker: 'image-resize',
      version: '0.1.8-dry-run.1',
      isDryRun: true,
      isPrerelease: true,
    });
  });

  it.each(['0.2.0-rc.1', '0.2.0-next.1', '1.0.0-beta.12'])('marks %s as a prerelease only', (version) => {
    expect(parseReleaseTag(`mcp/v${version}`)).toMatchObject({ version, isPrerelease: true, isDryRun: false });
  });

  it.each(['0.2.0-rc1', '0.2.0-alpha', '0.2.0-beta.x.1', '0.2.0-RC.1'])('keeps %s stable, as the workflow regex does', (version) => {
    expect(parseReleaseTag(`mcp/v${version}`)).toMatchObject({ version, isPrerelease: false, isDryRun: false });
  });

  it.each(['skills-v0.1.4', 'skills/0.1.4', 'Skills/v0.1.4', '-skills/v1', 'skills/v', 'a/b/v1.0.0', ''])(
    'rejects the malformed tag %p with a clear error',
    (tag) => {
      expect(() => parseReleaseTag(tag)).toThrow(ReleaseInfoError);
      expect(() => parseReleaseTag(tag)).toThrow(/Invalid tag shape .*<worker>\/v<version>, e\.g\. skills\/v0\.1\.4/);
    },
  );
});

describe('defaultTag', () => {
  it('joins worker and version the way create-tag.yml names releases', () => {
    expect(defaultTag('skills', '0.1.4')).toBe('skills/v0.1.4');
    expect(parseReleaseTag(defaultTag('image-resize', '0.1.8-rc.1'))).toMatchObject({ worker: 'image-resize', version: '0.1.8-rc.1' });
  });
});
