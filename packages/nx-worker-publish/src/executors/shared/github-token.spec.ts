import { githubTokenFor } from './github-token';

describe('githubTokenFor', () => {
  const token = 'ghs_exampleToken';

  it('is the token for releases on github.com', () => {
    expect(githubTokenFor('https://github.com/iii-hq/workers/releases/download', { GITHUB_TOKEN: token })).toBe(token);
  });

  it('is the token for releases on the GitHub Enterprise server of the CI run', () => {
    const env = { GITHUB_TOKEN: ` ${token}\n`, GITHUB_SERVER_URL: 'https://git.example.com/' };
    expect(githubTokenFor('https://git.example.com/team/workers/releases/download', env)).toBe(token);
  });

  it.each([
    ['a release mirror', 'https://mirror.example.com/workers/releases/download'],
    ['plain http on github.com', 'http://github.com/iii-hq/workers/releases/download'],
    ['a look-alike host', 'https://github.com.evil.example/iii-hq/workers/releases/download'],
    ['a local test server', 'http://127.0.0.1:4321/releases/download'],
    ['no URL', undefined],
    ['an unparsable URL', 'not a url'],
  ])('is withheld from %s', (_case, url) => {
    expect(githubTokenFor(url, { GITHUB_TOKEN: token, GITHUB_SERVER_URL: 'https://github.com' })).toBeUndefined();
  });

  it('is undefined when GITHUB_TOKEN is unset or blank', () => {
    expect(githubTokenFor('https://github.com/o/r/releases/download', {})).toBeUndefined();
    expect(githubTokenFor('https://github.com/o/r/releases/download', { GITHUB_TOKEN: '  ' })).toBeUndefined();
  });
});
