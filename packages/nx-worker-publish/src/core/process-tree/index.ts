export { killProcessTree, killProcessTreeSync, type KillProcessTreeOptions } from './kill-process-tree';
export { findTreeMembers, readProcessTable, type ProcessEntry } from './process-table';
