/** What the figures were measured on: they only mean something next to this. */
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  chromium: string;
  node: string;
  platform: string;
}

export function machineInfo(chromiumPath: string | undefined, browserVersion: string): MachineInfo {
  let chromium = browserVersion;
  if (chromiumPath) {
    try {
      chromium = execFileSync(chromiumPath, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      // Keep the version Playwright reported.
    }
  }
  let processors = cpus().length;
  try {
    processors = Number(execFileSync('nproc', { encoding: 'utf8' }).trim()) || processors;
  } catch {
    // Not every platform has nproc.
  }
  return {
    cpus: processors,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    chromium,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}
