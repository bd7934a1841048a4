import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readProcStats } from './proc-stats.js';

/** What a finished child cost. */
export interface ChildCost {
  exitCode: number | null;
  wallSeconds: number;
  /** user + system CPU seconds (from `/usr/bin/time -v` when present, else the last /proc sample). */
  cpuSeconds: number;
  userSeconds: number;
  systemSeconds: number;
  /** Peak RSS (MB): `/usr/bin/time -v` "Maximum resident set size", else VmHWM sampled every 20 ms. */
  peakRssMB: number;
  /** Where the CPU and RSS figures came from. */
  measuredBy: '/usr/bin/time -v' | '/proc sampling';
  stdout: string;
  stderrTail: string;
}

/**
 * Runs `node <args>` to completion and measures it: wall time, CPU time and peak RSS. Under
 * `/usr/bin/time -v` (Debian package `time`) when present, which reads the kernel's rusage of
 * the exited child; else /proc/<pid> (VmHWM, utime + stime) sampled every 20 ms, which misses
 * the last few ms of CPU.
 * @param args node arguments (script and its options)
 * @param opts working directory, extra environment, time limit (ms; the child is killed after it)
 * @returns the cost and the child's stdout; rejects when it cannot be started
 */
export async function runMeasured(args: string[], opts: { cwd: string; env?: Record<string, string>; timeoutMs: number }): Promise<ChildCost> {
  const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
  const timeFile = path.join(os.tmpdir(), `duofeed-bench-time-${process.pid}-${Date.now()}.txt`);
  const cmd = timeBin ?? process.execPath;
  const argv = timeBin ? ['-v', '-o', timeFile, process.execPath, ...args] : args;
  const t0 = process.hrtime.bigint();
  const child = spawn(cmd, argv, { cwd: opts.cwd, env: { ...process.env, ...(opts.env ?? {}) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
    if (stderr.length > 200_000) stderr = stderr.slice(-100_000);
  });
  // Under time(1) the node process is its child: sample the deepest descendant we can find.
  let sampled = { cpu: 0, user: 0, sys: 0, hwm: 0 };
  const nodePid = (): number | null => {
    if (!timeBin) return child.pid ?? null;
    try {
      const kids = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
      return kids.length ? Number(kids[0]) : null;
    } catch {
      return null;
    }
  };
  const timer = setInterval(() => {
    const pid = nodePid();
    const s = pid === null ? null : readProcStats(pid);
    if (s) sampled = { cpu: s.cpuSeconds, user: s.userSeconds, sys: s.systemSeconds, hwm: Math.max(sampled.hwm, s.peakRssBytes) };
  }, 20);
  const killer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  });
  clearInterval(timer);
  clearTimeout(killer);
  const wallSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  let cost: Pick<ChildCost, 'cpuSeconds' | 'userSeconds' | 'systemSeconds' | 'peakRssMB' | 'measuredBy'> = {
    cpuSeconds: sampled.cpu,
    userSeconds: sampled.user,
    systemSeconds: sampled.sys,
    peakRssMB: sampled.hwm / 1048576,
    measuredBy: '/proc sampling',
  };
  if (timeBin && existsSync(timeFile)) {
    const t = readFileSync(timeFile, 'utf8');
    rmSync(timeFile, { force: true });
    const num = (re: RegExp): number | null => {
      const m = re.exec(t);
      return m ? Number(m[1]) : null;
    };
    const user = num(/User time \(seconds\):\s*([\d.]+)/);
    const sys = num(/System time \(seconds\):\s*([\d.]+)/);
    const rssKb = num(/Maximum resident set size \(kbytes\):\s*(\d+)/);
    if (user !== null && sys !== null && rssKb !== null) {
      cost = { cpuSeconds: user + sys, userSeconds: user, systemSeconds: sys, peakRssMB: rssKb / 1024, measuredBy: '/usr/bin/time -v' };
    }
  }
  return { exitCode, wallSeconds, ...cost, stdout, stderrTail: stderr.slice(-4000) };
}
