export { killProcessTree, killProcessTreeSync, type KillProcessTreeOptions } from './kill-process-tree';
export { findTreeMembers, isProcessRunning, readProcessTable, type ProcessEntry } from './process-table';
