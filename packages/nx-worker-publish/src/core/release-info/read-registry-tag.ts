import { runGit } from './run-git';

const ANNOTATION_KEY = 'registry-tag:';

/** The registry channel a release tag names; `readRegistryTag`, or a `registryTagReader` shared by a batch. */
export type RegistryTagReader = (options: { cwd: string; tag: string }) => Promise<string>;

/**
 * The registry channel named by the annotated tag's `registry-tag:` line (written by create-tag.yml).
 * Anything else (lightweight tag, no such line, empty value, unknown tag, not a repository) is `latest`,
 * as in the workflow. Unlike `git tag -l --format=%(contents)` alone, a lightweight tag is recognised by its
 * object type, so the message of the commit it points at is never read as an annotation.
 */
export const readRegistryTag: RegistryTagReader = async (options) => {
  const tag = options.tag.trim();
  // git would read a leading "-" as an option; no valid tag name starts with one.
  if (!tag || tag.startsWith('-')) return 'latest';

  const result = await runGit(options.cwd, ['tag', '-l', '--format=%(objecttype)%0a%(contents)', tag]);
  if (!result.ok) return 'latest';
  const [objectType, ...annotation] = result.stdout.split('\n');
  return channelOf(objectType, annotation.join('\n'));
};

/**
 * The same answers for the many publishes of one Nx batch: one `git for-each-ref` lists every tag's object type and
 * annotation, where a git process per publish costs ≈ 7 ms of the batch's main thread each (0.5 s for 70 workers).
 * A tag made after the first read is not seen, which is right for a batch: it is one nx run.
 */
export function registryTagReader(): RegistryTagReader {
  const listed = new Map<string, Promise<Map<string, string> | undefined>>();
  return async (options) => {
    if (!listed.has(options.cwd)) listed.set(options.cwd, listChannels(options.cwd));
    const channels = await listed.get(options.cwd);
    return channels ? (channels.get(options.tag.trim()) ?? 'latest') : readRegistryTag(options);
  };
}

/** Every tag's channel; undefined when git cannot list them (then each tag is read alone). Git messages hold no NUL. */
async function listChannels(cwd: string): Promise<Map<string, string> | undefined> {
  const result = await runGit(cwd, ['for-each-ref', '--format=%(refname:strip=2)%00%(objecttype)%00%(contents)%00', 'refs/tags']);
  if (!result.ok) return undefined;
  const channels = new Map<string, string>();
  for (const record of result.stdout.split('\0\n')) {
    const [name, objectType, annotation] = record.split('\0');
    if (name && objectType !== undefined) channels.set(name, channelOf(objectType, annotation ?? ''));
  }
  return channels;
}

function channelOf(objectType: string, annotation: string): string {
  if (objectType.trim() !== 'tag') return 'latest';
  const line = annotation.split('\n').find((text) => text.trim().startsWith(ANNOTATION_KEY));
  return line?.trim().slice(ANNOTATION_KEY.length).trim() || 'latest';
}
