import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** CPU and memory of one process, from Linux /proc. */
export interface ProcStats {
  /** user + system CPU time so far (s). */
  cpuSeconds: number;
  userSeconds: number;
  systemSeconds: number;
  /** Peak resident set size so far (VmHWM, bytes). */
  peakRssBytes: number;
  /** Current resident set size (VmRSS, bytes). */
  rssBytes: number;
}

let ticksPerSecond: number | null = null;

function clockTicks(): number {
  if (ticksPerSecond === null) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/**
 * Reads a process's CPU time (`/proc/<pid>/stat` fields 14 utime and 15 stime, in clock ticks,
 * see proc(5)) and memory (`/proc/<pid>/status` VmHWM / VmRSS, kB).
 * @param pid process id
 * @returns the figures, or null when the process is gone or /proc is not there (not Linux)
 */
export function readProcStats(pid: number): ProcStats | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const hz = clockTicks();
    const user = Number(fields[11]) / hz;
    const system = Number(fields[12]) / hz;
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string): number => {
      const m = new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, 'm').exec(status);
      return m ? Number(m[1]) * 1024 : 0;
    };
    return { cpuSeconds: user + system, userSeconds: user, systemSeconds: system, peakRssBytes: kb('VmHWM'), rssBytes: kb('VmRSS') };
  } catch {
    return null;
  }
}

/** Whole-machine CPU counters from the first line of /proc/stat (s, all cores summed). */
export interface SystemCpu {
  busySeconds: number;
  idleSeconds: number;
}

/**
 * Reads the machine's CPU time (first `cpu` line of /proc/stat, proc(5)): busy = user + nice +
 * system + irq + softirq + steal, idle = idle + iowait. Used to tell how much CPU other
 * processes took during a run (a shared machine skews latency figures).
 * @returns the counters, or null without /proc
 */
export function readSystemCpu(): SystemCpu | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const hz = clockTicks();
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = v;
    return { busySeconds: (user + nice + system + irq + softirq + steal) / hz, idleSeconds: (idle + iowait) / hz };
  } catch {
    return null;
  }
}
