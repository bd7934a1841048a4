import assert from 'node:assert/strict';
import { detectLanguage } from '../../../src/enrich/language/detect-language.js';
import { primarySubtag } from '../../../src/enrich/language/language-tag.js';
import { candidateTerms, type KeywordInput } from '../../../src/enrich/keywords/candidate-terms.js';
import { extractKeywords, scoreCandidates } from '../../../src/enrich/keywords/extract-keywords.js';
import { IdfTable } from '../../../src/enrich/keywords/idf-table.js';
import { stopwordsFor } from '../../../src/enrich/keywords/stopwords.js';
import { EN_FEEDS, loadCorpusFeed, ZH_FEEDS } from '../language/corpus-items.js';

interface Doc extends KeywordInput {
  file: string;
}

const MIN = 3;
const MAX = 8;

/** Real corpus items (Chinese and English feeds), each with its detected language. */
async function corpusDocs(): Promise<Doc[]> {
  const docs: Doc[] = [];
  for (const file of [...ZH_FEEDS, ...EN_FEEDS]) {
    const feed = await loadCorpusFeed(file);
    for (const item of feed.items) {
      const { tag } = detectLanguage({ title: item.title, text: item.text, declared: feed.declared });
      docs.push({ file, title: item.title, text: item.text, language: tag });
    }
  }
  return docs;
}

/** "Enough text" for min keywords: a real sentence or more (CJK characters count three letters). */
function hasEnoughText(doc: Doc): boolean {
  const s = `${doc.title} ${doc.text}`;
  const cjk = (s.match(/\p{Script=Han}/gu) ?? []).length;
  const latin = (s.match(/\p{L}/gu) ?? []).length - cjk;
  return cjk * 3 + latin >= 300;
}

/** Whether a keyword occurs in the item as whole words (not a piece of `GPT-4o`, `8x7B`). */
const sources = new WeakMap<Doc, string>();

function occursWhole(keyword: string, doc: Doc): boolean {
  let source = sources.get(doc);
  if (source === undefined) {
    source = `${doc.title}\n${doc.text}`.normalize('NFKC').replace(/’/g, "'");
    sources.set(doc, source);
  }
  if (/\p{Script=Han}/u.test(keyword)) return true; // Chinese has no word boundaries to check (and Traditional shows converted keys)
  const words = keyword.split(' ').map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  // Han characters may touch a Latin name directly (`CNBlog.org网站`): only Latin letters and digits count as "inside".
  const re = new RegExp(`(?<![\\p{Script=Latin}\\p{N}])${words.join('\\s+')}(?![\\p{Script=Latin}\\p{N}]|[-.][\\p{Script=Latin}\\p{N}])`, 'iu');
  return re.test(source);
}

const MIXTRAL: KeywordInput = {
  language: 'en',
  title: 'Mistral AI releases Mixtral 8x7B, a sparse mixture-of-experts model',
  text: [
    'Mistral AI has released Mixtral 8x7B, an open-weights large language model under the Apache 2.0 licence.',
    'Mixtral 8x7B is a sparse mixture-of-experts network: each layer holds 8 experts of 7B parameters, and a router picks two experts for every token.',
    'Although the model has 46.7B parameters in total, it only uses 12.9B parameters per token, so it runs at the speed and cost of a 12.9B model.',
    'On most benchmarks Mixtral 8x7B matches or outperforms Llama 2 70B and GPT-3.5, and the weights can be downloaded from Hugging Face.',
    'An instruction-tuned version, Mixtral 8x7B Instruct, reaches a score of 8.30 on MT-Bench.',
  ].join('\n'),
};

const DEEPSEEK: KeywordInput = {
  language: 'zh-CN',
  title: '深度求索发布 DeepSeek-V3 大语言模型，性能比肩 GPT-4o',
  text: [
    '深度求索今天发布了 DeepSeek-V3 大语言模型，并在 Hugging Face 上开源了模型权重。',
    'DeepSeek-V3 采用混合专家架构，总参数 671B，每个词元激活 37B 参数，训练数据达到 14.8 万亿词元。',
    '在多项基准测试中，DeepSeek-V3 的表现超过 Llama 3.1 405B 和 Qwen2.5 72B，与 GPT-4o 和 Claude 3.5 Sonnet 相当。',
    '深度求索表示，DeepSeek-V3 的训练成本仅为 557 万美元，远低于同级别的大语言模型。',
  ].join('\n'),
};

describe('enrich/keywords: extractKeywords on real corpus items', function () {
  let docs: Doc[] = [];
  let idf: IdfTable;
  const results = new Map<Doc, string[]>();

  before(async function () {
    // Parsing ~20 feeds and segmenting ~1,700 items: well under a minute here, headroom for slow CI.
    this.timeout(180_000);
    docs = await corpusDocs();
    idf = IdfTable.fromDocuments(docs);
    for (const doc of docs) results.set(doc, extractKeywords(doc, { min: MIN, max: MAX, idf }));
  });

  it('reads both languages from the corpus', () => {
    const zh = docs.filter((d) => primarySubtag(d.language) === 'zh').length;
    const en = docs.filter((d) => primarySubtag(d.language) === 'en').length;
    assert.ok(zh > 300 && en > 900, `zh ${zh}, en ${en}`);
    assert.equal(idf.docCount, docs.length);
  });

  it(`every item with enough text gets between ${MIN} and ${MAX} keywords`, () => {
    const enough = docs.filter(hasEnoughText);
    assert.ok(enough.length > 400, `${enough.length} items with enough text`);
    const bad = enough.filter((d) => {
      const n = results.get(d)!.length;
      return n < MIN || n > MAX;
    });
    assert.deepEqual(bad.map((d) => `${d.file}: ${d.title} → ${results.get(d)!.join(' · ')}`), []);
    for (const d of docs) assert.ok(results.get(d)!.length <= MAX);
  });

  it('no keyword is a stopword, contains an English stopword, or is a pure number', () => {
    const problems: string[] = [];
    for (const d of docs) {
      const stop = stopwordsFor(d.language);
      const en = stopwordsFor('en');
      for (const k of results.get(d)!) {
        // Acronyms are content even when their lower-case form is listed (US, IT, ML: see latin-terms.ts).
        if (stop.has(k.toLowerCase()) && k !== k.toUpperCase()) problems.push(`${k} (stopword)`);
        if (/^[\p{N}\s.,%'/-]+$/u.test(k)) problems.push(`${k} (number)`);
        // Latin words inside any keyword: phrases are cut at stopwords; acronyms (IT, US) are content.
        for (const w of k.split(' ')) {
          if (/\p{Script=Latin}/u.test(w) && en.has(w.toLowerCase()) && w !== w.toUpperCase()) problems.push(`${k} (stopword ${w})`);
        }
      }
    }
    assert.deepEqual(problems, []);
  });

  it('every English keyword occurs in its item as whole words (identifiers never cut)', function () {
    this.timeout(180_000);
    const cut: string[] = [];
    for (const d of docs) for (const k of results.get(d)!) if (!occursWhole(k, d)) cut.push(`${k} ← ${d.title}`);
    assert.deepEqual(cut, []);
  });

  it('Chinese items get Chinese words from segmentation, not single characters or whole clauses', () => {
    const zhDocs = docs.filter((d) => primarySubtag(d.language) === 'zh' && hasEnoughText(d));
    let hanKeywords = 0;
    for (const d of zhDocs) {
      for (const k of results.get(d)!) {
        if (!/\p{Script=Han}/u.test(k)) continue;
        hanKeywords++;
        const n = [...k].length;
        assert.ok(n >= 2 && n <= 8, `${k} in ${d.title}`);
      }
    }
    assert.ok(hanKeywords >= 3 * zhDocs.length, `${hanKeywords} Chinese keywords over ${zhDocs.length} items`);
  });

  it('is deterministic: same keywords on a second run and with the table built in reverse order', function () {
    this.timeout(180_000);
    const reversed = IdfTable.fromDocuments([...docs].reverse());
    for (const d of docs) {
      assert.deepEqual(extractKeywords(d, { min: MIN, max: MAX, idf }), results.get(d));
      assert.deepEqual(extractKeywords(d, { min: MIN, max: MAX, idf: reversed }), results.get(d));
    }
  });

  it('AI news in English: Mixtral 8x7B, Llama 2 70B, GPT-3.5, Hugging Face kept whole; no pieces', () => {
    const k = extractKeywords(MIXTRAL, { min: MIN, max: MAX, idf });
    assert.ok(k.length >= MIN && k.length <= MAX, k.join(' · '));
    assert.equal(k[0], 'Mixtral 8x7B', k.join(' · '));
    for (const piece of ['8x7', '7B', '8', 'Mixtral', 'B', 'GPT', '3.5', '46.7B', 'the', 'of']) assert.ok(!k.includes(piece), `${piece} in ${k.join(' · ')}`);
    const all = candidateTerms(MIXTRAL).map((c) => c.text);
    for (const whole of ['Mixtral 8x7B', 'Llama 2 70B', 'GPT-3.5', 'Hugging Face', 'Mistral AI', 'MT-Bench', 'experts', 'language model']) {
      assert.ok(all.includes(whole), `candidate ${whole} missing from ${all.join(' · ')}`);
    }
    for (const c of all) assert.ok(!/^\d/.test(c), `a candidate starts with a number: ${c}`);
  });

  it('AI news in Chinese: DeepSeek-V3 and 大语言模型 kept whole, Latin identifiers intact', () => {
    const k = extractKeywords(DEEPSEEK, { min: MIN, max: MAX, idf });
    assert.ok(k.length >= MIN && k.length <= MAX, k.join(' · '));
    assert.ok(k.includes('DeepSeek-V3'), k.join(' · '));
    assert.ok(k.includes('大语言模型'), k.join(' · '));
    assert.ok(k.includes('深度求索'), k.join(' · '));
    for (const piece of ['DeepSeek', 'V3', '模型', '语言', 'GPT-4', 'o', '的']) assert.ok(!k.includes(piece), `${piece} in ${k.join(' · ')}`);
    const all = candidateTerms(DEEPSEEK).map((c) => c.text);
    for (const whole of ['GPT-4o', 'Llama 3.1 405B', 'Hugging Face', 'Claude 3.5 Sonnet', '混合专家']) assert.ok(all.includes(whole), `${whole} missing from ${all.join(' · ')}`);
  });

  it('Traditional Chinese keeps its characters on display and shares Simplified keys', () => {
    const trad: KeywordInput = { language: 'zh-TW', title: '臺灣人工智慧產業', text: '臺灣的人工智慧產業在半導體與晶片設計上具有優勢，人工智慧晶片需求持續成長。' };
    const k = extractKeywords(trad, { min: MIN, max: MAX, idf: new IdfTable() });
    assert.ok(k.includes('人工智慧'), k.join(' · '));
    assert.ok(!k.some((w) => w.includes('湾') || w.includes('产')), k.join(' · '));
    const taiwan = candidateTerms(trad).find((c) => c.key === '台湾');
    assert.equal(taiwan?.text, '臺灣', 'key in Simplified characters, shown as written');
  });
});

describe('enrich/keywords: scoring and IdfTable', () => {
  const topicDocs = (n: number): KeywordInput[] =>
    Array.from({ length: n }, (_, i) => ({
      language: 'en',
      title: `Transformer update number ${i}`,
      text: `The transformer architecture powers model ${['Alpha', 'Beta', 'Gamma', 'Delta', 'Epsilon'][i % 5]}${i}. Researchers studied the transformer again.`,
    }));

  it('IDF lowers a term present in every document; unseen terms weigh most', () => {
    const table = IdfTable.fromDocuments(topicDocs(40));
    assert.equal(table.docCount, 40);
    assert.equal(table.df('transformer'), 40);
    assert.equal(table.idf('transformer'), 1);
    assert.ok(table.idf('alpha0') > table.idf('transformer'));
    assert.ok(table.idf('never seen') > table.idf('alpha0'));
    const doc: KeywordInput = {
      language: 'en',
      title: '',
      text: 'transformer, quantization; transformer, quantization.',
    };
    const empty = scoreCandidates(doc, new IdfTable()).map((c) => c.key);
    const full = scoreCandidates(doc, table).map((c) => c.key);
    assert.deepEqual(empty.slice(0, 2), ['transformer', 'quantization'], 'equal counts: first occurrence first');
    assert.deepEqual(full.slice(0, 2), ['quantization', 'transformer'], 'the everywhere-term drops below');
  });

  it('falls back to neutral weights on a small corpus, blending in IDF up to SMALL_CORPUS_DOCS', () => {
    const empty = new IdfTable();
    assert.equal(empty.idf('anything'), 1);
    const small = IdfTable.fromDocuments(topicDocs(5));
    const full = IdfTable.fromDocuments(topicDocs(IdfTable.SMALL_CORPUS_DOCS));
    const rawSmall = Math.log(6 / 1);
    assert.ok(Math.abs(small.idf('unseen') - (1 + (5 / IdfTable.SMALL_CORPUS_DOCS) * rawSmall)) < 1e-12);
    assert.ok(Math.abs(full.idf('unseen') - (1 + Math.log(IdfTable.SMALL_CORPUS_DOCS + 1))) < 1e-12);
  });

  it('add/remove and addDocument/removeDocument count the same terms candidateTerms gives', () => {
    const table = new IdfTable();
    const doc: KeywordInput = { language: 'en', title: 'GPT-4o and Hugging Face', text: 'OpenAI shipped GPT-4o; Hugging Face hosts open models.' };
    table.addDocument(doc);
    for (const c of candidateTerms(doc)) assert.equal(table.df(c.key), 1, c.key);
    assert.equal(table.df('gpt-4o'), 1);
    assert.equal(table.df('hugging face'), 1);
    table.add(['gpt-4o', 'gpt-4o']);
    assert.equal(table.df('gpt-4o'), 2);
    assert.equal(table.docCount, 2);
    table.remove(['gpt-4o']);
    table.removeDocument(doc);
    assert.equal(table.docCount, 0);
    assert.equal(table.termCount, 0);
    table.remove(['never-added']);
    assert.equal(table.docCount, 0);
    assert.equal(table.df('never-added'), 0);
  });

  it('titles weigh more than body text', () => {
    const doc: KeywordInput = { language: 'en', title: 'Quantization', text: 'A note on pruning, with more on distillation elsewhere.' };
    const ranked = scoreCandidates(doc, new IdfTable()).map((c) => c.key);
    assert.equal(ranked[0], 'quantization');
  });

  it('min and max are honoured and configurable; ties break by first occurrence', () => {
    const idf = new IdfTable();
    const doc: KeywordInput = { language: 'en', title: '', text: 'Alpha. Beta. Gamma. Delta. Epsilon. Zeta. Eta. Theta. Iota. Kappa.' };
    assert.deepEqual(extractKeywords(doc, { min: 3, max: 5, idf }), ['Alpha', 'Beta', 'Gamma', 'Delta', 'Epsilon']);
    assert.equal(extractKeywords(doc, { min: 2, max: 2, idf }).length, 2);
    assert.equal(extractKeywords(doc, { min: 6, max: 4, idf }).length, 6);
    assert.deepEqual(extractKeywords({ language: 'en', title: '', text: 'the of and' }, { min: 3, max: 8, idf }), []);
  });

  it('stopword lists: English keeps tech content words that stopwords-iso drops', () => {
    const en = stopwordsFor('en-US');
    for (const w of ['the', 'of', 'and', 'however']) assert.ok(en.has(w), w);
    for (const w of ['ai', 'research', 'open', 'face', 'microsoft', 'system']) assert.ok(!en.has(w), w);
    assert.ok(stopwordsFor('zh-TW').has('我们'));
    assert.equal(stopwordsFor('xx'), stopwordsFor('en'));
  });
});
