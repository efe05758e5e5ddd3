import { rm } from 'node:fs/promises';
import { relative } from 'node:path';
import { writeFileAtomic } from '../../../core/fs/write-file-atomic';
import {
  checkBreakingChanges,
  diffInterfaces,
  readRegistryReference,
  renderJsonReport,
  renderMarkdownReport,
  verdictLine,
  type DiffReference,
  type InterfaceDiffReport,
  type InterfaceLike,
} from '../../../core/interface-diff';
import { RegistryError } from '../../../core/registry/registry-error';
import type { Reporter } from '../../../core/reporter/step-reporter';
import { readInterfaceFile } from '../../publish-interface/lib/read-interface-file';
import type { RunTarget } from '../../shared/project-context';
import { reportFailure } from '../../shared/report-failure';
import type { InterfaceDiffExecutorSchema } from '../schema';
import type { BaseCommitInterfaces } from './base-commit-interface';
import { normalizeDiffOptions, type NormalizedDiffOptions } from './normalize-options';

/** What the Nx adapter knows beyond the options: nx.json, the project's collection target, the shared base checkouts. */
export interface DiffWorkspace {
  nxJson?: { defaultBase?: string; affected?: { defaultBase?: string } };
  collectTarget: string;
  baseCommit: BaseCommitInterfaces;
}

export interface DiffOutcome {
  success: boolean;
  /** Absent when the comparison itself could not be made (then nothing was written). */
  report?: InterfaceDiffReport;
}

/**
 * One comparison: read the collected interface, find the reference, diff, gate, write both reports. The reports are
 * written whatever the verdict (they are what a reviewer reads); the task fails on breaking changes the version does
 * not allow, and on any problem finding the reference (after removing a previous run's reports, so none is stale).
 */
export async function runDiff(options: InterfaceDiffExecutorSchema, target: RunTarget, workspace: DiffWorkspace, reporter: Reporter): Promise<DiffOutcome> {
  try {
    const location = target.locate();
    const resolved = normalizeDiffOptions(options, location, workspace.nxJson);
    await Promise.all([rm(resolved.markdownFile, { force: true }), rm(resolved.jsonFile, { force: true })]);
    const current = readInterfaceFile(resolved.interfaceFile, target.collectHint).iface;
    const { reference, iface } = await findReference(resolved, workspace, reporter);

    const diff = diffInterfaces(iface, current);
    const verdict = checkBreakingChanges({
      diff,
      version: resolved.version,
      referenceVersion: reference.version,
      referenceLabel: reference.label,
      allowBreakingChanges: resolved.allowBreakingChanges,
    });
    const report: InterfaceDiffReport = { worker: resolved.worker, version: resolved.version, reference, diff, verdict };
    await writeFileAtomic(resolved.jsonFile, renderJsonReport(report));
    await writeFileAtomic(resolved.markdownFile, renderMarkdownReport(report));
    const shown = relative(location.workspaceRoot, resolved.markdownFile);

    if (verdict.status === 'breaking') {
      reporter.error(verdictLine(report));
      reportFailure(reporter, `breaking interface changes in ${target.label}`, new BreakingChangesError(`${verdict.message}\nReport: ${shown}`), target.isVerbose);
      return { success: false, report };
    }
    if (verdict.status === 'breaking-allowed-by-option') reporter.warn(`⚠ ${verdict.message} (allowed by allowBreakingChanges)`);
    reporter.info(verdictLine(report));
    reporter.info(`  report: ${shown} (and .json)`);
    return { success: true, report };
  } catch (error) {
    reportFailure(reporter, `could not compare the interface of ${target.label}`, error, target.isVerbose);
    return { success: false };
  }
}

/** Breaking changes the version does not allow; its message is the whole story (no stack trace). */
class BreakingChangesError extends Error {
  override readonly name = 'BreakingChangesError';
}

/** The registry channel's version, or (reference `base`, or `auto` with the registry unreachable) the base commit's interface. */
async function findReference(resolved: NormalizedDiffOptions, workspace: DiffWorkspace, reporter: Reporter): Promise<{ reference: DiffReference; iface: InterfaceLike }> {
  let unreachable: string | undefined;
  if (resolved.reference !== 'base') {
    const fromRegistry = await readRegistryReference({ apiUrl: resolved.apiUrl, worker: resolved.worker, tag: resolved.registryTag, timeoutMs: resolved.registryTimeoutMs });
    if (fromRegistry.state === 'read') return fromRegistry;
    if (resolved.reference === 'registry') {
      throw new RegistryError(
        `cannot read the reference from the registry (${fromRegistry.reason}). Set reference to auto or base to compare with the base commit instead.`,
      );
    }
    unreachable = fromRegistry.reason;
    reporter.warn(`⚠ registry not reachable (${unreachable}): comparing with the base commit instead`);
  }
  const { location } = resolved;
  const base = await workspace.baseCommit.collect({
    workspaceRoot: location.workspaceRoot,
    projectName: location.projectName,
    projectRoot: location.projectRoot,
    collectTarget: workspace.collectTarget,
    interfacePath: resolved.interfacePath,
    base: resolved.base,
    reporter,
  });
  return unreachable ? { ...base, reference: { ...base.reference, note: `The registry was not reachable: ${unreachable}` } } : base;
}
