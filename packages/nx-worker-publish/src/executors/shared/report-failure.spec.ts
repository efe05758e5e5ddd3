import { ManifestError } from '../../core/manifest';
import type { Reporter } from '../../core/reporter/step-reporter';
import { ExecutorInputError } from './executor-input-error';
import { isUnexpectedError, reportFailure } from './report-failure';
import { isolateEnv } from '../test-support/isolated-env';

/** A reporter that records every line with its channel; verbose lines are kept so the tests see what --verbose adds. */
function recordingReporter() {
  const lines: Array<[keyof Reporter, string]> = [];
  const reporter: Reporter = {
    info: (line) => lines.push(['info', line]),
    warn: (line) => lines.push(['warn', line]),
    error: (line) => lines.push(['error', line]),
    verbose: (line) => lines.push(['verbose', line]),
  };
  return { reporter, lines };
}

describe('reportFailure', () => {
  let restoreEnv: () => void;
  beforeEach(() => {
    restoreEnv = isolateEnv();
  });
  afterEach(() => restoreEnv());

  it('prints the title and the whole message on one ✖ line', () => {
    const { reporter, lines } = recordingReporter();
    reportFailure(reporter, 'could not publish calc', new ManifestError('calc/iii.worker.yaml: `deploy` must be one of binary, image.', 'f', 'deploy'), false);
    expect(lines).toEqual([['error', '✖ could not publish calc: calc/iii.worker.yaml: `deploy` must be one of binary, image.']]);
  });

  it('never shows the stack of an error users can fix, even with --verbose', () => {
    for (const error of [new ManifestError('bad key', 'f', 'deploy'), new ExecutorInputError('`waitSeconds` must be positive')]) {
      const { reporter, lines } = recordingReporter();
      reportFailure(reporter, 'could not collect', error, true);
      expect(lines).toHaveLength(1);
    }
  });

  it('shows the stack of an unexpected error with --verbose only', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'name')");
    const quiet = recordingReporter();
    reportFailure(quiet.reporter, 'could not collect', bug, false);
    expect(quiet.lines).toHaveLength(1);

    const verbose = recordingReporter();
    reportFailure(verbose.reporter, 'could not collect', bug, true);
    expect(verbose.lines.slice(1)).toEqual(bug.stack!.split('\n').map((line) => ['verbose', line]));
  });

  it('adds one escaped ::error annotation on GitHub Actions', () => {
    process.env.GITHUB_ACTIONS = 'true';
    const { reporter, lines } = recordingReporter();
    reportFailure(reporter, 'could not publish calc', new Error('answered 500 (100% sure)\nResponse: {}'), false);
    expect(lines[1]).toEqual(['error', '::error title=could not publish calc::answered 500 (100%25 sure)%0AResponse: {}']);
  });

  it('reports a thrown non-Error value as text', () => {
    const { reporter, lines } = recordingReporter();
    reportFailure(reporter, 'could not collect', 'plain string', true);
    expect(lines).toEqual([['error', '✖ could not collect: plain string']]);
  });
});

describe('isUnexpectedError', () => {
  it.each([
    ['a TypeError', new TypeError('x'), true],
    ['a bare Error', new Error('x'), true],
    ['a thrown string', 'x', true],
    ['a ManifestError', new ManifestError('x', 'f'), false],
    ['an ExecutorInputError', new ExecutorInputError('x'), false],
  ])('%s → %p', (_case, error, expected) => {
    expect(isUnexpectedError(error)).toBe(expected);
  });
});
