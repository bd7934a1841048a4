import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where the CPU went (ms of self time). */
export interface ProfileSummary {
  totalMs: number;
  /** Self time per function (`name file:line`), largest first. */
  functions: Array<{ name: string; ms: number }>;
  /** Self time per area: a src/ folder, a node_modules package, node internals, GC, idle. */
  areas: Array<{ name: string; ms: number }>;
  /**
   * Inclusive time under each duofeed src/ function (a function counted once per sample even
   * when recursive), largest first: which of our code paths cost most including what they call.
   */
  inclusive: Array<{ name: string; ms: number }>;
}

// The service's own compiled code (dist/ of the repo, not a package's dist/).
function ours(url: string): boolean {
  return url.includes('/dist/') && !url.includes('/node_modules/');
}

function area(url: string, fn: string): string {
  if (url === '') return fn.startsWith('(') ? fn : '(native)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return `pkg:${nm[1]}`;
  const src = /\/dist\/(.*)\/[^/]+\.js$/.exec(url) ?? /\/dist\/([^/]+)\.js$/.exec(url);
  if (src) return `src/${src[1]}`;
  if (url.startsWith('node:')) return 'node-internals';
  return url;
}

function shortUrl(url: string): string {
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) return url.slice(nm + 13);
  const i = url.indexOf('/dist/');
  if (i >= 0) return `src/${url.slice(i + 6)}`;
  return url;
}

/**
 * Summarizes a V8 `.cpuprofile` (Chrome DevTools Protocol Profiler.Profile: nodes, samples,
 * timeDeltas in µs): self time per function and per area, and inclusive time of the service's
 * own (dist/) functions.
 * @param file path of the .cpuprofile written by `node --cpu-prof`
 * @param top how many rows per list
 * @returns the summary; throws when the file is missing or not a profile
 */
export function summarizeProfile(file: string, top = 20): ProfileSummary {
  const prof = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(prof.nodes.map((n) => [n.id, n] as const));
  const parent = new Map<number, number>();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  for (let k = 0; k < prof.samples.length; k++) {
    const id = prof.samples[k] as number;
    self.set(id, (self.get(id) ?? 0) + (prof.timeDeltas[k] ?? 0));
  }
  const fnKey = (n: ProfileNode): string => `${n.callFrame.functionName || '(anonymous)'} ${shortUrl(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
  const fns = new Map<string, number>();
  const areas = new Map<string, number>();
  const incl = new Map<string, number>();
  let total = 0;
  for (const [id, us] of self) {
    const n = byId.get(id);
    if (!n) continue;
    total += us;
    fns.set(fnKey(n), (fns.get(fnKey(n)) ?? 0) + us);
    const a = area(n.callFrame.url, n.callFrame.functionName);
    areas.set(a, (areas.get(a) ?? 0) + us);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const node = byId.get(cur);
      if (!node || !ours(node.callFrame.url)) continue;
      const key = fnKey(node);
      if (seen.has(key)) continue;
      seen.add(key);
      incl.set(key, (incl.get(key) ?? 0) + us);
    }
  }
  const rows = (m: Map<string, number>): Array<{ name: string; ms: number }> =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: Math.round(us / 100) / 10 }));
  return { totalMs: Math.round(total / 1000), functions: rows(fns), areas: rows(areas), inclusive: rows(incl) };
}
