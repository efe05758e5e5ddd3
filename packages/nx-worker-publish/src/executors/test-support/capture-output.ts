import { format } from 'node:util';

export interface CapturedOutput {
  /** Every printed line, in order (multi-line messages split). */
  lines(): string[];
  text(): string;
  restore(): void;
}

const METHODS = ['log', 'info', 'debug', 'warn', 'error'] as const;

/** Swallows and records what the executor prints through console, so tests can read it and search it for secrets. */
export function captureOutput(): CapturedOutput {
  const lines: string[] = [];
  const spies = METHODS.map((method) =>
    jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      lines.push(...format(...args).split('\n'));
    }),
  );
  return {
    lines: () => [...lines],
    text: () => lines.join('\n'),
    restore: () => spies.forEach((spy) => spy.mockRestore()),
  };
}
