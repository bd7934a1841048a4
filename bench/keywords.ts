/**
 * bench/keywords — how many publisher categories our keywords find (issue 3, point 2).
 *
 * Over every real corpus feed (../shared/corpus/feeds) whose items carry publisher categories
 * (RSS `<category>`, Atom `<category term>`, `dc:subject`, JSON Feed `tags`): parse each feed as
 * the pipeline does, detect each item's language, build one IDF table over the items of all
 * corpus feeds, extract 3–8 keywords per item, and count the categories found among them.
 * A figure to track, not a test threshold.
 *
 * Run: `npx tsc -p tsconfig.test.json && node .test-build/bench/keywords.js`
 * Prints a table; writes bench/results/keywords.json.
 */
import fs from 'node:fs';
import path from 'node:path';
import { detectLanguage } from '../src/enrich/language/detect-language.js';
import { toSimplifiedChars } from '../src/enrich/language/chinese-script.js';
import { extractKeywords } from '../src/enrich/keywords/extract-keywords.js';
import { IdfTable } from '../src/enrich/keywords/idf-table.js';
import { allCorpusFeedFiles, loadCorpusFeed, type CorpusFeed } from '../test/enrich/language/corpus-items.js';
import { REPO_ROOT } from '../test/helpers/paths.js';

const MIN = 3;
const MAX = 8;

const DEFINITION =
  'A publisher category counts as found when, after NFKC, lower-casing, collapsing whitespace and '
  + 'Traditional→Simplified characters, it equals one of the item\'s keywords, or one contains the '
  + 'other — as whole words for Latin text ("AI" is in "AI Act", not in "Airbnb"), as a substring '
  + 'for Chinese/Japanese. Share = categories found / publisher categories, over items that carry '
  + `categories; keywords: extractKeywords min ${MIN} max ${MAX}, IDF over every item of every corpus feed.`;

function norm(s: string): string {
  return toSimplifiedChars(s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim());
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/** `inner` inside `outer`: whole words for Latin text, substring when either side is CJK. */
function contains(outer: string, inner: string): boolean {
  if (inner === '' || !outer.includes(inner)) return false;
  if (CJK.test(inner)) return true;
  const esc = inner.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\p{L}\\p{N}])${esc}(?![\\p{L}\\p{N}])`, 'u').test(outer);
}

function found(category: string, keywords: string[]): boolean {
  const c = norm(category);
  return keywords.some((k) => {
    const n = norm(k);
    return n === c || contains(n, c) || contains(c, n);
  });
}

interface FeedRow {
  file: string;
  items: number;
  itemsWithCategories: number;
  categories: number;
  found: number;
  share: number;
  itemsWithAHit: number;
  languages: Record<string, number>;
  examples: Array<{ title: string; categories: string[]; keywords: string[] }>;
}

async function main(): Promise<void> {
  const feeds: CorpusFeed[] = [];
  for (const file of allCorpusFeedFiles()) {
    try {
      feeds.push(await loadCorpusFeed(file));
    } catch {
      // Not a feed (RSS-in-JSON) or beyond repair: the parse tests cover those; nothing to count here.
    }
  }
  const docs = feeds.flatMap((f) =>
    f.items.map((item) => ({
      feed: f,
      item,
      language: detectLanguage({ title: item.title, text: item.text, declared: f.declared }).tag,
    })),
  );
  const started = process.hrtime.bigint();
  const idf = IdfTable.fromDocuments(docs.map((d) => ({ language: d.language, title: d.item.title, text: d.item.text })));
  const idfMs = Number(process.hrtime.bigint() - started) / 1e6;

  const rows: FeedRow[] = [];
  let extractMs = 0;
  for (const feed of feeds) {
    const mine = docs.filter((d) => d.feed === feed && d.item.categories.some((c) => c.trim() !== ''));
    if (mine.length === 0) continue;
    const row: FeedRow = { file: feed.file, items: feed.items.length, itemsWithCategories: mine.length, categories: 0, found: 0, share: 0, itemsWithAHit: 0, languages: {}, examples: [] };
    for (const d of mine) {
      const t0 = process.hrtime.bigint();
      const keywords = extractKeywords({ language: d.language, title: d.item.title, text: d.item.text }, { min: MIN, max: MAX, idf });
      extractMs += Number(process.hrtime.bigint() - t0) / 1e6;
      const cats = [...new Set(d.item.categories.map((c) => c.trim()).filter((c) => c !== ''))];
      const hits = cats.filter((c) => found(c, keywords)).length;
      row.categories += cats.length;
      row.found += hits;
      if (hits > 0) row.itemsWithAHit++;
      row.languages[d.language] = (row.languages[d.language] ?? 0) + 1;
      if (row.examples.length < 3) row.examples.push({ title: d.item.title, categories: cats, keywords });
    }
    row.share = row.categories === 0 ? 0 : row.found / row.categories;
    rows.push(row);
  }

  const total = rows.reduce((a, r) => ({ c: a.c + r.categories, f: a.f + r.found, i: a.i + r.itemsWithCategories, h: a.h + r.itemsWithAHit }), { c: 0, f: 0, i: 0, h: 0 });
  const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
  const out: string[] = [];
  out.push(`bench/keywords — publisher categories found among our keywords`);
  out.push(`definition: ${DEFINITION}`);
  out.push('');
  out.push(`${'feed'.padEnd(64)} ${'items'.padStart(5)} ${'w/cat'.padStart(5)} ${'cats'.padStart(5)} ${'found'.padStart(5)} ${'share'.padStart(6)} ${'items hit'.padStart(9)}  languages`);
  for (const r of rows) {
    out.push(
      `${r.file.padEnd(64)} ${String(r.items).padStart(5)} ${String(r.itemsWithCategories).padStart(5)} ${String(r.categories).padStart(5)} ${String(r.found).padStart(5)} ${pct(r.share).padStart(6)} ${pct(r.itemsWithAHit / r.itemsWithCategories).padStart(9)}  ${Object.entries(r.languages).map(([l, n]) => `${l}:${n}`).join(' ')}`,
    );
  }
  out.push(`${'overall'.padEnd(64)} ${''.padStart(5)} ${String(total.i).padStart(5)} ${String(total.c).padStart(5)} ${String(total.f).padStart(5)} ${pct(total.f / total.c).padStart(6)} ${pct(total.h / total.i).padStart(9)}`);
  out.push('');
  out.push(`corpus: ${feeds.length} feeds, ${docs.length} items in the IDF table (${idf.termCount} terms), built in ${idfMs.toFixed(0)} ms; keyword extraction ${(extractMs / total.i).toFixed(2)} ms per item`);
  process.stdout.write(`${out.join('\n')}\n`);

  const result = {
    bench: 'keywords',
    definition: DEFINITION,
    options: { min: MIN, max: MAX },
    corpus: { feeds: feeds.length, items: docs.length, idfTerms: idf.termCount },
    overall: {
      itemsWithCategories: total.i,
      categories: total.c,
      found: total.f,
      share: total.f / total.c,
      itemsWithAHit: total.h,
      itemsWithAHitShare: total.h / total.i,
    },
    feeds: rows,
  };
  const dir = path.join(REPO_ROOT, 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'keywords.json'), `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`wrote ${path.relative(REPO_ROOT, path.join(dir, 'keywords.json'))}\n`);
}

await main();
