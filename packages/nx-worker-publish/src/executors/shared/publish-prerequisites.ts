import { basename, relative } from 'node:path';
import { checkPublishPrerequisites } from '../../core/prerequisites';
import { resolveRepoUrl } from '../../core/release-info';
import { readManifestWithOverrides } from '../collect-interface/lib/normalize-options';
import { versionFromTag } from '../publish-interface/lib/normalize-options';
import type { PublishInterfaceExecutorSchema } from '../publish-interface/schema';
import type { ProjectLocation } from './project-context';

/** The publish prerequisites of a project, from publish-interface's options (throws a PrerequisiteError listing all problems). */
export async function checkPublishPrerequisitesFor(options: PublishInterfaceExecutorSchema, location: ProjectLocation): Promise<void> {
  const manifest = readManifestWithOverrides(location, options);
  const worker = options.worker ?? basename(location.projectRoot);
  await checkPublishPrerequisites({
    manifest,
    manifestLabel: relative(location.workspaceRoot, manifest.file),
    version: options.version ?? versionFromTag(options.tag, worker),
    repoUrl: async () => options.repoUrl ?? (await resolveRepoUrl({ cwd: location.workspaceRoot, env: process.env })),
    imageTag: options.imageTag,
  });
}
