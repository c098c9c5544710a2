/**
 * CPU time of the whole browser, read from /proc: every process Chromium started (browser,
 * renderers with their workers, GPU, network and other utilities), so work moved off a page's
 * main thread into a worker is still counted. Also the CPU time of each renderer's main thread:
 * unlike CDP's TaskDuration, which is wall time and stretches when other processes take the
 * cores, CPU time counts only what the thread ran.
 *
 * Linux only; elsewhere every figure is NaN. Clock ticks are 10 ms, so short windows are coarse.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** USER_HZ: the unit of utime and stime in /proc/<pid>/stat (100 on every Linux we run). */
const TICKS_PER_SECOND = 100;

export interface CpuSnapshot {
  /** CPU time (ms) per process id of the browser's tree. */
  processes: Map<number, number>;
  /** CPU time (ms) of each renderer's main thread, by process id. */
  mainThreads: Map<number, number>;
}

export interface CpuUsage {
  /** Every process of the browser, ms of CPU. */
  browser: number;
  /** Every renderer main thread, ms of CPU. */
  mainThreads: number;
  /** The browser's CPU ÷ wall time: how many cores it kept busy on average. */
  cores: number;
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined; // the process or thread ended meanwhile
  }
}

/** Parent id and CPU ms from a stat line (the command name may hold spaces and parentheses). */
function parseStat(stat: string): { parent: number; cpuMs: number } {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the name: state(0) ppid(1) … utime(11) stime(12).
  const ticks = Number(fields[11]) + Number(fields[12]);
  return { parent: Number(fields[1]), cpuMs: (ticks * 1000) / TICKS_PER_SECOND };
}

function allProcesses(): Map<number, { parent: number; cpuMs: number }> {
  const processes = new Map<number, { parent: number; cpuMs: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = read(`/proc/${entry}/stat`);
    if (stat) processes.set(Number(entry), parseStat(stat));
  }
  return processes;
}

/** The process ids of every Chromium started by this Node process (and its descendants). */
function browserTree(processes: Map<number, { parent: number; cpuMs: number }>): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, { parent }] of processes) children.set(parent, [...(children.get(parent) ?? []), pid]);
  const tree: number[] = [];
  const visit = (pid: number, inBrowser: boolean) => {
    for (const child of children.get(pid) ?? []) {
      const isBrowser = inBrowser || /chrom/i.test(read(`/proc/${child}/comm`) ?? '');
      if (isBrowser) tree.push(child);
      visit(child, isBrowser);
    }
  };
  visit(process.pid, false);
  return tree;
}

export function cpuSnapshot(): CpuSnapshot {
  const processes = new Map<number, number>();
  const mainThreads = new Map<number, number>();
  if (!existsSync('/proc/self/stat')) return { processes, mainThreads };
  const all = allProcesses();
  for (const pid of browserTree(all)) {
    processes.set(pid, all.get(pid)!.cpuMs);
    // A renderer's main thread is the thread the process started with (its id is the pid).
    if (!read(`/proc/${pid}/cmdline`)?.includes('--type=renderer')) continue;
    const stat = read(`/proc/${pid}/task/${pid}/stat`);
    if (stat) mainThreads.set(pid, parseStat(stat).cpuMs);
  }
  return { processes, mainThreads };
}

/** CPU spent between two snapshots; a process or thread that started in between counts from 0. */
export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot, wallMs: number): CpuUsage {
  if (after.processes.size === 0) return { browser: Number.NaN, mainThreads: Number.NaN, cores: Number.NaN };
  let browser = 0;
  for (const [pid, cpuMs] of after.processes) browser += cpuMs - (before.processes.get(pid) ?? 0);
  let mainThreads = 0;
  for (const [thread, cpuMs] of after.mainThreads) mainThreads += cpuMs - (before.mainThreads.get(thread) ?? 0);
  return { browser, mainThreads, cores: browser / wallMs };
}
