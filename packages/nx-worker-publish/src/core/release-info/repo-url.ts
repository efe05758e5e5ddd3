import { ReleaseInfoError } from './release-info-error';
import { runGit } from './run-git';

const stripGitSuffix = (path: string) => path.replace(/\/+$/, '').replace(/\.git$/, '').replace(/\/+$/, '');

/**
 * The browsable https URL of a git remote: scp-style and ssh:// remotes become https on the same host,
 * credentials are dropped (a CI checkout often embeds a token), `.git` is dropped.
 * Returns undefined for remotes that have no web URL (local paths, file://).
 */
export function remoteToHttpsUrl(remote: string): string | undefined {
  const text = remote.trim();

  // git@github.com:owner/repo.git (scp-like syntax: no scheme, a colon before the first slash)
  const scp = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/)(.+)$/.exec(text);
  if (scp && !/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    const path = stripGitSuffix(scp[2].replace(/^\/+/, ''));
    return path ? `https://${scp[1]}/${path}` : undefined;
  }

  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  const path = stripGitSuffix(url.pathname.replace(/^\/+/, ''));
  if (!url.hostname || !path) return undefined;
  switch (url.protocol) {
    case 'https:':
    case 'http:':
      // Keep the scheme and port of a web remote; only its credentials go.
      return `${url.protocol}//${url.host}/${path}`;
    case 'ssh:':
    case 'git+ssh:':
    case 'ssh+git:':
    case 'git:':
      // The ssh/git port says nothing about the web port.
      return `https://${url.hostname}/${path}`;
    default:
      return undefined;
  }
}

/** The remote as it may be shown in a message: no credentials. */
function withoutCredentials(remote: string): string {
  return remote.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, '$1');
}

/**
 * The repository whose releases hold the assets: GitHub Actions' own variables first, then origin.
 */
export async function resolveRepoUrl(options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<string> {
  const server = options.env.GITHUB_SERVER_URL?.trim();
  const repository = options.env.GITHUB_REPOSITORY?.trim();
  if (server && repository) return `${server.replace(/\/+$/, '')}/${repository.replace(/^\/+/, '')}`;

  const origin = await runGit(options.cwd, ['remote', 'get-url', 'origin']);
  if (origin.ok) {
    const url = remoteToHttpsUrl(origin.stdout);
    if (url) return url;
    throw new ReleaseInfoError(
      `Could not derive the repository URL: the git remote "origin" in ${options.cwd} is ` +
        `${JSON.stringify(withoutCredentials(origin.stdout.trim()))}, which has no web address. ` +
        'Set the `repoUrl` option, e.g. https://github.com/<owner>/<repo>.',
    );
  }
  throw new ReleaseInfoError(
    'Could not derive the repository URL: GITHUB_SERVER_URL and GITHUB_REPOSITORY are not both set, and ' +
      `\`git remote get-url origin\` failed in ${options.cwd} (${origin.reason.split('\n')[0]}). ` +
      'Set the `repoUrl` option, e.g. https://github.com/<owner>/<repo>.',
  );
}
