/** Publishing cannot succeed as configured; the message lists every problem found, each with its fix. */
export class PrerequisiteError extends Error {
  constructor(
    readonly subject: string,
    readonly problems: string[],
  ) {
    super(
      `${subject} is not ready to publish (${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was started):\n` +
        problems.map((problem, index) => `  ${index + 1}. ${problem}`).join('\n'),
    );
    this.name = 'PrerequisiteError';
  }
}
