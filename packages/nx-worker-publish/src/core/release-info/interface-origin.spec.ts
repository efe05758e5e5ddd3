import { checkInterfaceOrigin, checkReleaseLaunch, type InterfaceOriginInput } from './interface-origin';
import { ReleaseInfoError } from './release-info-error';

const binaryPublish: InterfaceOriginInput = {
  deploy: 'binary',
  tag: 'skills/v0.1.5',
  dryRun: false,
  interfaceLabel: 'dist/skills/worker-interface.json',
  releaseCommand: 'nx run skills:publish-interface --tag=skills/v0.1.5',
};

describe('checkInterfaceOrigin', () => {
  it('accepts the release it ships, for a binary and for a bundle', () => {
    expect(checkInterfaceOrigin({ ...binaryPublish, collectedFrom: { launch: 'release-binary', release: 'skills/v0.1.5', forced: false } })).toBeUndefined();
    expect(
      checkInterfaceOrigin({ ...binaryPublish, deploy: 'bundle', collectedFrom: { launch: 'release-bundle', release: 'skills/v0.1.5', forced: true } }),
    ).toBeUndefined();
  });

  it('asks nothing of an image worker, which ships no release asset', () => {
    expect(checkInterfaceOrigin({ ...binaryPublish, deploy: 'image', collectedFrom: { launch: 'start-script', forced: false } })).toBeUndefined();
    expect(checkInterfaceOrigin({ ...binaryPublish, deploy: 'image' })).toBeUndefined();
  });

  it.each([
    ['a build output the automatic order found', { launch: 'build-output', forced: false } as const, 'was collected from a local build-output'],
    ['a cargo-run', { launch: 'cargo-run', forced: false } as const, 'was collected from a local cargo-run'],
    ['another release', { launch: 'release-binary', release: 'skills/v0.1.4', forced: false } as const, 'was collected from the release skills/v0.1.4'],
    ['another release, even one the launch option named', { launch: 'release-binary', release: 'skills/v0.1.4', forced: true } as const, 'was collected from the release skills/v0.1.4'],
    ['a bundle run from source', { launch: 'start-script', forced: false } as const, 'was collected from a local start-script'],
    ['a file that does not say', undefined, 'does not say what ran to collect it'],
  ])('refuses %s, naming the command that publishes the release; a dry run warns', (_case, collectedFrom, says) => {
    const deploy = collectedFrom?.launch === 'start-script' ? 'bundle' : 'binary';
    const publish = () => checkInterfaceOrigin({ ...binaryPublish, deploy, collectedFrom });
    expect(publish).toThrow(ReleaseInfoError);
    expect(publish).toThrow(`dist/skills/worker-interface.json ${says}`);
    expect(publish).toThrow(`but this publish ships the release skills/v0.1.5, whose ${deploy} users install`);
    expect(publish).toThrow('`nx run skills:publish-interface --tag=skills/v0.1.5`');
    expect(checkInterfaceOrigin({ ...binaryPublish, deploy, collectedFrom, dryRun: true })).toMatch(
      new RegExp(`^⚠ dist/skills/worker-interface.json ${says}.*: a real publish would refuse it$`),
    );
  });

  it('publishes a local launch the launch or binaryPath option chose, with a warning', () => {
    expect(checkInterfaceOrigin({ ...binaryPublish, collectedFrom: { launch: 'build-output', forced: true } })).toBe(
      '⚠ the interface in dist/skills/worker-interface.json comes from a local build-output (chosen by the launch or binaryPath option), not from the release skills/v0.1.5 this publish ships',
    );
  });
});

describe('checkReleaseLaunch (before a collection a publish follows)', () => {
  const input = { deploy: 'binary' as const, publishTag: 'skills/v0.1.5', forced: false, releaseCommand: 'nx run skills:publish-interface --tag=skills/v0.1.5' };

  it('lets a collection of that release, a chosen launch and an image worker run', () => {
    expect(() => checkReleaseLaunch({ ...input, collectTag: 'skills/v0.1.5' })).not.toThrow();
    expect(() => checkReleaseLaunch({ ...input, forced: true })).not.toThrow();
    expect(() => checkReleaseLaunch({ ...input, deploy: 'image' })).not.toThrow();
  });

  it('stops a collection without the tag, or with another, before anything runs', () => {
    expect(() => checkReleaseLaunch(input)).toThrow(
      'the publish that follows ships the release skills/v0.1.5, but this collection has no release tag, so it would run a local launch, whose interface that publish refuses. ' +
        'Publish the interface that release registers: `nx run skills:publish-interface --tag=skills/v0.1.5` (collection then runs release-binary).',
    );
    expect(() => checkReleaseLaunch({ ...input, deploy: 'bundle', collectTag: 'skills/v0.1.4' })).toThrow(
      'but this collection runs the release skills/v0.1.4, whose interface that publish refuses',
    );
  });
});
