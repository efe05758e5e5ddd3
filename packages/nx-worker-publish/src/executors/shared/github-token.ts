function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url.trim()).origin;
  } catch {
    return undefined;
  }
}

/**
 * GITHUB_TOKEN, when the release assets are on GitHub: github.com, or the GitHub Enterprise server the CI run
 * names in GITHUB_SERVER_URL. A mirror or any other host that `releaseBaseUrl` points at never gets it.
 */
export function githubTokenFor(releaseBaseUrl: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  const token = env.GITHUB_TOKEN?.trim();
  const origin = originOf(releaseBaseUrl);
  if (!token || !origin) return undefined;
  const githubOrigins = ['https://github.com', originOf(env.GITHUB_SERVER_URL)];
  return githubOrigins.includes(origin) ? token : undefined;
}
