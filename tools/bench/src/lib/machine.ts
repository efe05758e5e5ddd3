import { readFileSync } from 'node:fs';
import { arch, cpus, loadavg, platform, release, totalmem } from 'node:os';

export interface MachineInfo {
  cores: number;
  cpu_model: string;
  memory_gb: number;
  os: string;
  node: string;
  nx: string;
  /** 1-minute load average when the bench started (other work on the machine skews every timing). */
  load_average_1m: number;
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  const nxVersion = (JSON.parse(readFileSync(require.resolve('nx/package.json'), 'utf8')) as { version: string }).version;
  return {
    cores: list.length,
    cpu_model: list[0]?.model.trim() ?? 'unknown',
    memory_gb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    os: `${platform()} ${release()} (${arch()})`,
    node: process.version,
    nx: nxVersion,
    load_average_1m: Math.round(loadavg()[0] * 100) / 100,
  };
}

/** The 1-minute load average now, for the end of the run. */
export const currentLoad = () => Math.round(loadavg()[0] * 100) / 100;
