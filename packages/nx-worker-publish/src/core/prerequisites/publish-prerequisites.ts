import { readWorkerVersion, type WorkerManifest } from '../manifest';
import { PrerequisiteError } from './prerequisite-error';

/** What a publish will need, as far as it is known before any worker starts. */
export interface PublishFacts {
  manifest: WorkerManifest;
  /** Workspace-relative path of iii.worker.yaml, for messages. */
  manifestLabel: string;
  /** The version given explicitly (option, or the release tag's), when there is one. */
  version?: string;
  /** Resolves the repository URL (option, CI variables, git remote); throws a user error when there is none. */
  repoUrl: () => Promise<string>;
  imageTag?: string;
}

/** One check: undefined when satisfied, else the problem and how to fix it, in one sentence or two. */
export type PublishPrerequisite = (facts: PublishFacts) => Promise<string | undefined> | string | undefined;

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

const versionIsKnown: PublishPrerequisite = (facts) => {
  if (facts.version) return undefined;
  try {
    readWorkerVersion(facts.manifest);
    return undefined;
  } catch (error) {
    return messageOf(error);
  }
};

const repositoryIsKnown: PublishPrerequisite = async (facts) => {
  try {
    await facts.repoUrl();
    return undefined;
  } catch (error) {
    return messageOf(error);
  }
};

const deployIsKnown: PublishPrerequisite = (facts) =>
  facts.manifest.deploy === undefined
    ? `${facts.manifestLabel} has no \`deploy\`, so it is not a worker the registry ships (a test harness or an example). ` +
      'Add `deploy: binary`, `deploy: image` or `deploy: bundle` to publish it.'
    : undefined;

const imageHasATag: PublishPrerequisite = (facts) =>
  facts.manifest.deploy === 'image' && !facts.imageTag
    ? `${facts.manifestLabel} says \`deploy: image\`, so the registry needs the image reference: set the \`imageTag\` option ` +
      `of publish-interface (e.g. "ghcr.io/<owner>/${facts.manifest.folderName}:<version>").`
    : undefined;

/** Add a check here to have it run, with the others, before any worker starts. */
export const PUBLISH_PREREQUISITES: readonly PublishPrerequisite[] = [deployIsKnown, versionIsKnown, repositoryIsKnown, imageHasATag];

/**
 * Runs every check and throws one PrerequisiteError listing all the problems, so a first setup is fixed in one go
 * instead of one failure (and one worker start) per missing setting.
 */
export async function checkPublishPrerequisites(facts: PublishFacts, prerequisites: readonly PublishPrerequisite[] = PUBLISH_PREREQUISITES): Promise<void> {
  const problems = (await Promise.all(prerequisites.map((check) => check(facts)))).filter((problem): problem is string => Boolean(problem));
  if (problems.length > 0) throw new PrerequisiteError(facts.manifestLabel, problems);
}
