/**
 * The article-extraction-benchmark's quality metric (scrapinghub/article-extraction-benchmark,
 * `evaluate.py`), re-implemented so that our figures are comparable with its published table.
 *
 * Per page: tokens are `\w+` runs (Python `re` in Unicode mode, case kept), grouped as 4-token
 * shingles (a text of 1–3 tokens is one shorter shingle, an empty text has none); TP/FP/FN are the
 * multiset overlaps of the shingle counts, then divided by TP+FP+FN so every page weighs the same.
 * Over pages: precision is the mean of TP/(TP+FP) over pages with TP+FP > 0, recall the mean of
 * TP/(TP+FN) over pages with TP+FN > 0 (a page where FP = FN = 0 scores 1 for both), and
 * F1 = 2PR/(P+R) of those means — not the mean of per-page F1s. Uncertainty is the benchmark's:
 * the standard deviation of each figure over bootstrap resamples of pages (its "±"), here with
 * a seeded generator so a run is reproducible, plus the 2.5–97.5 % percentile interval.
 */
import { seededRandom } from '../../test/helpers/seeded-random.js';

/**
 * Python's `\w` for `str` patterns matches a character when `str.isalnum()` is true or it is `_`:
 * general categories L* (isalpha) and N* (isdecimal/isdigit/isnumeric; the few other
 * numeric-valued characters are CJK ideographs, already `Lo`). It does NOT match combining marks
 * (Mn/Mc/Me) nor connector punctuation other than `_`, so neither is included here: a Devanagari
 * vowel sign splits a word in `evaluate.py` and must split it here too. Checked over every code
 * point: identical to CPython 3.11's `\w` except 14,049 characters assigned after Unicode 14
 * (Python 3.11's table) and before Unicode 17 (Node 20's), which count as word characters here only;
 * tokens of all 362 texts of ground-truth.json and output/readability_js.json are identical.
 */
const WORD_RUN = /[\p{L}\p{N}_]+/gu;

/** Shingle length used by the benchmark. */
export const NGRAM = 4;

/** `\w+` tokens of a text, in order, case kept (the benchmark's IGNORECASE does not fold findall output). */
export function tokenize(text: string): string[] {
  return text.match(WORD_RUN) ?? [];
}

/** Shingle multiset of a text; keys join tokens with U+0001 (never inside a `\w` token). */
export function shingles(text: string, n = NGRAM): Map<string, number> {
  const tokens = tokenize(text);
  const out = new Map<string, number>();
  const last = Math.max(1, tokens.length - n + 1);
  for (let i = 0; i < last; i++) {
    const slice = tokens.slice(i, i + n);
    if (slice.length === 0) continue;
    const key = slice.join('\u0001');
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

/** Normalised TP/FP/FN of one page (each divided by their sum, so they add up to 1; all 0 when both texts are empty). */
export interface PageCounts {
  tp: number;
  fp: number;
  fn: number;
}

/**
 * Shingle matching of one page (`string_shingle_matching` in evaluate.py).
 * @param truth ground-truth article body
 * @param pred extracted text
 * @returns normalised TP/FP/FN
 */
export function pageCounts(truth: string, pred: string): PageCounts {
  const t = shingles(truth);
  const p = shingles(pred);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const [key, tc] of t) {
    const pc = p.get(key) ?? 0;
    tp += Math.min(tc, pc);
    fn += Math.max(0, tc - pc);
  }
  for (const [key, pc] of p) fp += Math.max(0, pc - (t.get(key) ?? 0));
  const s = tp + fp + fn;
  return s > 0 ? { tp: tp / s, fp: fp / s, fn: fn / s } : { tp: 0, fp: 0, fn: 0 };
}

/** Precision of one page's counts (evaluate.py `precision_score`). */
export function pagePrecision(c: PageCounts): number {
  if (c.fp === 0 && c.fn === 0) return 1;
  if (c.tp === 0 && c.fp === 0) return 0;
  return c.tp / (c.tp + c.fp);
}

/** Recall of one page's counts (evaluate.py `recall_score`). */
export function pageRecall(c: PageCounts): number {
  if (c.fp === 0 && c.fn === 0) return 1;
  if (c.tp === 0 && c.fn === 0) return 0;
  return c.tp / (c.tp + c.fn);
}

/** Precision, recall (means over pages) and F1 of those means. */
export interface Prf {
  precision: number;
  recall: number;
  f1: number;
}

const mean = (xs: number[]): number => (xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length);

/**
 * Aggregate figures over pages (`metrics_from_tp_fp_fns`): mean precision over pages that
 * predicted something, mean recall over pages whose truth is non-empty, F1 of the two means.
 * @param pages per-page normalised counts
 */
export function aggregate(pages: readonly PageCounts[]): Prf {
  const precision = mean(pages.filter((c) => c.tp + c.fp > 0).map(pagePrecision));
  const recall = mean(pages.filter((c) => c.tp + c.fn > 0).map(pageRecall));
  return { precision, recall, f1: (2 * precision * recall) / (precision + recall) };
}


/** One figure with its bootstrap spread. */
export interface Estimate {
  value: number;
  /** Standard deviation over bootstrap resamples: the benchmark README's "±". */
  std: number;
  /** 2.5th and 97.5th percentiles over bootstrap resamples (95 % interval). */
  ci95: [number, number];
}

/** Full evaluation of one extractor. */
export interface Evaluation {
  pages: number;
  f1: Estimate;
  precision: Estimate;
  recall: Estimate;
  /** Share of pages whose token sequence equals the truth's (evaluate.py `accuracy`). */
  accuracy: number;
}

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] ?? NaN) + ((sorted[hi] ?? NaN) - (sorted[lo] ?? NaN)) * (pos - lo);
}

function estimate(value: number, samples: number[]): Estimate {
  const m = mean(samples);
  const variance = samples.reduce((s, x) => s + (x - m) ** 2, 0) / Math.max(1, samples.length - 1);
  const sorted = [...samples].sort((a, b) => a - b);
  return { value, std: Math.sqrt(variance), ci95: [percentile(sorted, 0.025), percentile(sorted, 0.975)] };
}

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /** Bootstrap resamples; evaluate.py's default is 1000. */
  bootstrap?: number;
  /** Seed of the resampling generator; default 1. */
  seed?: number;
}

/**
 * Scores predictions against the ground truth over the same ids (`evaluate` in evaluate.py).
 * @param truth id → ground-truth text
 * @param pred id → predicted text (a missing id counts as an empty prediction)
 * @param opts bootstrap resamples (default 1000) and seed (default 1)
 * @returns figures with bootstrap std and 95 % interval; throws a plain Error when truth is empty
 */
export function evaluate(truth: ReadonlyMap<string, string>, pred: ReadonlyMap<string, string>, opts: EvaluateOptions = {}): Evaluation {
  if (truth.size === 0) throw new Error('evaluate: no ground-truth pages');
  const ids = [...truth.keys()];
  const counts = ids.map((id) => pageCounts(truth.get(id) ?? '', pred.get(id) ?? ''));
  const exact = ids.map((id) => {
    const a = tokenize(truth.get(id) ?? '');
    const b = tokenize(pred.get(id) ?? '');
    return a.length === b.length && a.every((t, i) => t === b[i]) ? 1 : 0;
  });
  const point = aggregate(counts);
  const rand = seededRandom(opts.seed ?? 1);
  const samples: Record<keyof Prf, number[]> = { precision: [], recall: [], f1: [] };
  for (let b = 0; b < (opts.bootstrap ?? 1000); b++) {
    const resample = counts.map(() => counts[Math.floor(rand() * counts.length)] as PageCounts);
    const r = aggregate(resample);
    samples.precision.push(r.precision);
    samples.recall.push(r.recall);
    samples.f1.push(r.f1);
  }
  return {
    pages: ids.length,
    f1: estimate(point.f1, samples.f1),
    precision: estimate(point.precision, samples.precision),
    recall: estimate(point.recall, samples.recall),
    accuracy: mean(exact),
  };
}

/** `0.947 ± 0.005 [0.936–0.955]` */
export function formatEstimate(e: Estimate): string {
  return `${e.value.toFixed(3)} ± ${e.std.toFixed(3)} [${e.ci95[0].toFixed(3)}–${e.ci95[1].toFixed(3)}]`;
}

/** Seeded bootstrap draws use the shared mulberry32 generator (test/helpers/seeded-random.ts). */
export { seededRandom };
