export { killProcessTree, killProcessTreeSync, type KillProcessTreeOptions } from './kill-process-tree';
export { findMarkedProcesses, findTreeMembers, isProcessRunning, readProcessTable, type ProcessEntry } from './process-table';
