/**
 * Reading `cargo build --message-format=json` output: one JSON object per stdout line (`compiler-artifact`,
 * `compiler-message`, `build-finished`, …), mixed here with cargo's own human status lines from stderr
 * ("   Compiling tokio v1.48.0", "error: failed to …"), because both go to one log file.
 */
export interface CargoBuildReport {
  /** Crates compiled or found fresh so far (one `compiler-artifact` each). */
  artifacts: number;
  /** The crate of the last artifact, for the progress line. */
  lastCrate?: string;
  /** The executable of the wanted bin target, once cargo reported it. */
  executable?: string;
  /** The first error: its text and the crate it names (when cargo says). */
  firstError?: { crate?: string; text: string };
  /** `build-finished.success`, when cargo got that far. */
  success?: boolean;
}

interface CargoMessage {
  reason?: string;
  package_id?: string;
  target?: { name?: string; kind?: string[] };
  executable?: string | null;
  message?: { level?: string; rendered?: string; message?: string };
  success?: boolean;
}

/**
 * `rust-sdk-0-11 0.3.1 (path+file:///…)` (cargo < 1.77) and `path+file:///…/rust-sdk-0-11#0.3.1`,
 * `registry+https://…#tokio@1.48.0` (newer) → the crate name.
 */
export function crateOfPackageId(packageId: string): string {
  const spaced = /^(\S+) \S+ \(/.exec(packageId);
  if (spaced) return spaced[1];
  const fragment = packageId.split('#')[1] ?? '';
  if (fragment.includes('@')) return fragment.split('@')[0];
  const path = packageId.split('#')[0].replace(/\/+$/, '');
  return path.slice(path.lastIndexOf('/') + 1);
}

const HUMAN_ERROR = /^error(\[E\d+\])?:/;
const COULD_NOT_COMPILE = /could not compile `([^`]+)`/;

/** Folds the log's lines into what the compile step reports. `bin` is the worker's binary target. */
export function readCargoLog(text: string, bin: string): CargoBuildReport {
  const report: CargoBuildReport = { artifacts: 0 };
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    if (line.startsWith('{')) {
      readMessage(parseMessage(line), bin, report);
      continue;
    }
    // cargo's own errors (a lockfile it may not update, a crate it cannot fetch), and the "could not compile" line.
    const crate = COULD_NOT_COMPILE.exec(line)?.[1];
    if (report.firstError) {
      if (crate && !report.firstError.crate) report.firstError.crate = crate;
      continue;
    }
    if (HUMAN_ERROR.test(line.trimStart())) report.firstError = { crate, text: humanErrorBlock(lines, index) };
  }
  return report;
}

function parseMessage(line: string): CargoMessage {
  try {
    return JSON.parse(line) as CargoMessage;
  } catch {
    return {};
  }
}

function readMessage(message: CargoMessage, bin: string, report: CargoBuildReport): void {
  switch (message.reason) {
    case 'compiler-artifact': {
      report.artifacts++;
      if (message.package_id) report.lastCrate = crateOfPackageId(message.package_id);
      if (message.executable && message.target?.name === bin && message.target.kind?.includes('bin')) report.executable = message.executable;
      return;
    }
    case 'compiler-message': {
      const diagnostic = message.message;
      if (report.firstError || diagnostic?.level !== 'error') return;
      report.firstError = {
        crate: message.package_id ? crateOfPackageId(message.package_id) : undefined,
        text: (diagnostic.rendered ?? diagnostic.message ?? '').trimEnd(),
      };
      return;
    }
    case 'build-finished':
      report.success = message.success === true;
      return;
  }
}

/** An `error: …` line and the indented or `Caused by:` lines under it, up to 12 lines. */
function humanErrorBlock(lines: string[], start: number): string {
  const block = [lines[start].trim()];
  for (let index = start + 1; index < lines.length && block.length < 12; index++) {
    const line = lines[index];
    if (line.trim() === '' || line.startsWith('{') || /^\s*(Compiling|Checking|Finished|Fresh|Downloaded|Updating|Locking)\b/.test(line)) break;
    if (HUMAN_ERROR.test(line) || /^warning:/.test(line)) break;
    block.push(line.trimEnd());
  }
  return block.join('\n');
}
