import { remoteToHttpsUrl } from './repo-url';

describe('remoteToHttpsUrl', () => {
  it.each([
    ['git@github.com:iii-hq/workers.git', 'https://github.com/iii-hq/workers'],
    ['git@github.com:iii-hq/workers', 'https://github.com/iii-hq/workers'],
    ['github.com:iii-hq/workers.git', 'https://github.com/iii-hq/workers'],
    ['ssh://git@github.com/iii-hq/workers.git', 'https://github.com/iii-hq/workers'],
    ['ssh://git@git.example.com:2222/team/workers.git', 'https://git.example.com/team/workers'],
    ['git://github.com/iii-hq/workers.git', 'https://github.com/iii-hq/workers'],
    ['https://github.com/iii-hq/workers.git', 'https://github.com/iii-hq/workers'],
    ['https://github.com/iii-hq/workers/', 'https://github.com/iii-hq/workers'],
    ['https://x-access-token:ghs_SECRET@github.com/iii-hq/workers.git', 'https://github.com/iii-hq/workers'],
    ['https://ghp_TOKEN@github.com/iii-hq/workers.git', 'https://github.com/iii-hq/workers'],
    ['https://git.example.com:8443/group/sub/workers.git\n', 'https://git.example.com:8443/group/sub/workers'],
    ['http://127.0.0.1:3000/o/r.git', 'http://127.0.0.1:3000/o/r'],
  ])('%s → %s', (remote, expected) => {
    expect(remoteToHttpsUrl(remote)).toBe(expected);
  });

  it.each(['/srv/git/workers.git', '../workers', 'file:///srv/git/workers.git', '', 'https://github.com/'])(
    'has no web URL for %p',
    (remote) => {
      expect(remoteToHttpsUrl(remote)).toBeUndefined();
    },
  );
});
