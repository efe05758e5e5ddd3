// CSI sequences (colours, cursor moves) and OSC sequences (hyperlinks) as Nx and chalk print them.
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;

export const stripAnsi = (text: string): string => text.replace(ANSI, '');
