import { CliUsageError } from './cli-error';
import { describeOptionFlags, parseOptionFlags, type OptionsSchema } from './option-flags';

const schema: OptionsSchema = {
  properties: {
    dryRun: { type: 'boolean' },
    waitSeconds: { type: 'number' },
    args: { type: 'array' },
    env: { type: 'object' },
    engine: { type: ['string', 'number'] },
    tag: { type: 'string' },
  },
};

describe('parseOptionFlags', () => {
  it('maps kebab-case and camelCase flags onto typed options', () => {
    const parsed = parseOptionFlags(
      ['workers/skills', '--dry-run', '--waitSeconds=30', '--args', '--url', '--args={engineUrl}', '--env', 'A=1', '--env=B=x=y', '--tag', 'skills/v1.2.3', '--verbose'],
      schema,
      'usage',
    );
    expect(parsed).toEqual({
      positionals: ['workers/skills'],
      options: { dryRun: true, waitSeconds: 30, args: ['--url', '{engineUrl}'], env: { A: '1', B: 'x=y' }, tag: 'skills/v1.2.3' },
      help: false,
      verbose: true,
    });
  });

  it('keeps a unit together in a flag: --log-max-mib (issue 19 #11)', () => {
    const withUnit: OptionsSchema = { properties: { logMaxMiB: { type: 'number', description: 'log cap' } } };
    expect(describeOptionFlags(withUnit)).toContain('--log-max-mib <value>');
    expect(parseOptionFlags(['--log-max-mib', '4'], withUnit, 'u').options).toEqual({ logMaxMiB: 4 });
    expect(parseOptionFlags(['--logMaxMiB=2'], withUnit, 'u').options).toEqual({ logMaxMiB: 2 });
  });

  it('reads --no-<flag> and --flag=false as false', () => {
    expect(parseOptionFlags(['--no-dry-run'], schema, 'u').options).toEqual({ dryRun: false });
    expect(parseOptionFlags(['--dry-run=false'], schema, 'u').options).toEqual({ dryRun: false });
  });

  it.each([
    [['--dry-run=maybe'], /takes true or false/],
    [['--env', 'NOEQUALS'], /takes KEY=VALUE/],
    [['--tag'], /--tag needs a value/],
    [['-x'], /Unknown flag "-x"/],
  ])('refuses %j with a usage error', (argv, message) => {
    expect(() => parseOptionFlags(argv, schema, 'usage')).toThrow(CliUsageError);
    expect(() => parseOptionFlags(argv, schema, 'usage')).toThrow(message);
  });
});
