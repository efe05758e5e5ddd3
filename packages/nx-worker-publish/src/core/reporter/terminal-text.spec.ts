import { PassThrough } from 'node:stream';
import { bufferedReporter, streamReporter } from './step-reporter';
import { escapeTerminalBlock, escapeTerminalLine } from './terminal-text';

describe('escapeTerminalLine', () => {
  it('shows every control character a terminal acts on as an escape', () => {
    expect(escapeTerminalLine('a\nb\rc')).toBe('a\\nb\\rc');
    expect(escapeTerminalLine('\u001b]0;title\u0007\u001b[2J')).toBe('\\e]0;title\\x07\\e[2J');
    expect(escapeTerminalLine('\u0000\u007f\u0085\u009b31m')).toBe('\\x00\\x7f\\x85\\x9b31m'); // C1: NEL and CSI
    expect(escapeTerminalLine('x\u2028y\u202eevil')).toBe('x\\u2028y\\u202eevil');
  });

  it('leaves ordinary text alone: tabs, quotes, backslashes, non-ASCII', () => {
    expect(escapeTerminalLine('✔ skills::run\t"ok" \\ ünïcødé 名前')).toBe('✔ skills::run\t"ok" \\ ünïcødé 名前');
  });
});

describe('escapeTerminalBlock', () => {
  it('keeps the line breaks and marks every later line as a continuation', () => {
    expect(escapeTerminalBlock('✖ failed\nLast lines:\r\n✔ published evil 9.9.9 (new)\n\u001b[2Jx')).toBe(
      '✖ failed\n  │ Last lines:\n  │ ✔ published evil 9.9.9 (new)\n  │ \\e[2Jx',
    );
  });
});

describe('reporters', () => {
  const hostile = 'worker registered: evil\n✔ published evil 9.9.9 (new)\u001b]0;t\u0007';

  it('print info, warn and verbose lines as one line each, and error paragraphs with marked continuation lines', () => {
    const reporter = bufferedReporter(true);
    reporter.info(hostile);
    reporter.warn(hostile);
    reporter.verbose(hostile);
    reporter.error(hostile);
    const escaped = 'worker registered: evil\\n✔ published evil 9.9.9 (new)\\e]0;t\\x07';
    expect(reporter.text()).toBe(`${escaped}\n${escaped}\n${escaped}\nworker registered: evil\n  │ ✔ published evil 9.9.9 (new)\\e]0;t\\x07\n`);
  });

  it('escape on the CLI streams too', () => {
    const [stdout, stderr] = [new PassThrough(), new PassThrough()];
    const reporter = streamReporter(stdout, stderr);
    reporter.info(hostile);
    reporter.warn('\u001b[2J');
    expect(stdout.read().toString()).toBe('worker registered: evil\\n✔ published evil 9.9.9 (new)\\e]0;t\\x07\n');
    expect(stderr.read().toString()).toBe('\\e[2J\n');
  });
});
