import { runGit } from './run-git';

const ANNOTATION_KEY = 'registry-tag:';

/**
 * The registry channel named by the annotated tag's `registry-tag:` line (written by create-tag.yml).
 * Anything else (lightweight tag, no such line, empty value, unknown tag, not a repository) is `latest`,
 * as in the workflow. Unlike `git tag -l --format=%(contents)` alone, a lightweight tag is recognised by its
 * object type, so the message of the commit it points at is never read as an annotation.
 */
export async function readRegistryTag(options: { cwd: string; tag: string }): Promise<string> {
  const tag = options.tag.trim();
  // git would read a leading "-" as an option; no valid tag name starts with one.
  if (!tag || tag.startsWith('-')) return 'latest';

  const result = await runGit(options.cwd, ['tag', '-l', '--format=%(objecttype)%0a%(contents)', tag]);
  if (!result.ok) return 'latest';

  const [objectType, ...annotation] = result.stdout.split('\n');
  if (objectType.trim() !== 'tag') return 'latest';

  const line = annotation.find((text) => text.trim().startsWith(ANNOTATION_KEY));
  const value = line?.trim().slice(ANNOTATION_KEY.length).trim();
  return value || 'latest';
}
