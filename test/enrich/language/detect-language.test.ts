import assert from 'node:assert/strict';
import { detectLanguage, isTargetLanguage } from '../../../src/enrich/language/detect-language.js';
import { primarySubtag } from '../../../src/enrich/language/language-tag.js';
import { EN_FEEDS, loadCorpusFeed, OTHER_FEEDS, ZH_FEEDS, type CorpusFeed } from './corpus-items.js';

/** Per-file accuracy rows, printed after the suite (the figure the issue asks to report). */
const report: Array<{ file: string; declared: string | null; want: string; items: number; right: number; tags: string }> = [];

function accuracy(feed: CorpusFeed, want: string): { right: number; tags: Map<string, number> } {
  const tags = new Map<string, number>();
  let right = 0;
  for (const item of feed.items) {
    const { tag } = detectLanguage({ title: item.title, text: item.text, declared: feed.declared });
    tags.set(tag, (tags.get(tag) ?? 0) + 1);
    if (primarySubtag(tag) === want) right++;
  }
  report.push({
    file: feed.file,
    declared: feed.declared,
    want,
    items: feed.items.length,
    right,
    tags: [...tags].map(([t, n]) => `${t}:${n}`).join(' '),
  });
  return { right, tags };
}

describe('enrich/language: detectLanguage on real corpus feeds', () => {
  after(() => {
    const lines = report.map(
      (r) => `  ${r.file.padEnd(64)} ${String(r.declared).padEnd(6)} ${r.want}  ${((100 * r.right) / r.items).toFixed(1).padStart(5)}% of ${String(r.items).padStart(3)}  ${r.tags}`,
    );
    process.stdout.write(`\n  per-file language accuracy (file, declared, expected, share right, tags):\n${lines.join('\n')}\n`);
  });

  for (const file of ZH_FEEDS) {
    it(`${file}: ≥ 95 % of items are Chinese`, async () => {
      const feed = await loadCorpusFeed(file);
      assert.ok(feed.items.length > 0);
      const { right } = accuracy(feed, 'zh');
      assert.ok(right >= 0.95 * feed.items.length, `${right}/${feed.items.length} Chinese`);
    });
  }

  for (const file of EN_FEEDS) {
    it(`${file}: ≥ 95 % of items are English`, async () => {
      const feed = await loadCorpusFeed(file);
      assert.ok(feed.items.length > 0);
      const { right } = accuracy(feed, 'en');
      assert.ok(right >= 0.95 * feed.items.length, `${right}/${feed.items.length} English`);
    });
  }

  for (const [file, want] of OTHER_FEEDS) {
    it(`${file}: ≥ 90 % of items are ${want}`, async () => {
      const feed = await loadCorpusFeed(file);
      const { right } = accuracy(feed, want);
      assert.ok(right >= 0.9 * feed.items.length, `${right}/${feed.items.length} ${want}`);
    });
  }

  it('GB2312 feeds come out zh-CN, the Big5 feed zh-TW (Simplified vs Traditional characters)', async () => {
    const gb = await loadCorpusFeed('non-utf8/zh-kc0011.gb2312.rss2.xml');
    assert.equal(gb.encoding, 'gb18030');
    const gbTags = accuracy(gb, 'zh').tags;
    assert.deepEqual([...gbTags.keys()], ['zh-CN']);
    const big5 = await loadCorpusFeed('non-utf8/zh-tw-coolloud.big5.rss10-rdf.xml');
    assert.equal(big5.encoding, 'big5');
    assert.equal(big5.declared, null);
    assert.deepEqual([...accuracy(big5, 'zh').tags.keys()], ['zh-TW']);
  });

  it('a feed that declares en-us but writes Chinese (acnnewswire) comes out Chinese', async () => {
    const feed = await loadCorpusFeed('non-utf8/zh-acnnewswire.gb2312-declared.rss2.xml');
    assert.equal(feed.declared, 'en-us');
    const { right } = accuracy(feed, 'zh');
    assert.equal(right, feed.items.length);
  });
});

describe('enrich/language: mixed and edge texts', () => {
  const mixedZh = {
    title: 'Mistral AI 发布 Mixtral 8x7B，性能超过 GPT-3.5',
    text:
      'Mistral AI 今天在 Hugging Face 上开源了 Mixtral 8x7B 模型。它采用稀疏混合专家（SMoE）架构，'
      + '由 8 个 7B 参数的专家组成，推理时每个 token 只激活 2 个专家。在 MMLU、GSM8K 等基准上，'
      + 'Mixtral 8x7B 超过了 Llama 2 70B 和 GPT-3.5，并支持 32k 上下文窗口。模型以 Apache 2.0 许可发布。',
  };

  it('Chinese full of English model names is Chinese, whatever the source declares', () => {
    for (const declared of ['zh-CN', 'zh', 'en', 'en-US', null]) {
      const r = detectLanguage({ ...mixedZh, declared });
      assert.equal(r.tag, 'zh-CN', `declared ${declared}`);
      assert.ok(r.scriptShares.latin > r.scriptShares.han, 'the variant really has more Latin letters than Han characters');
    }
  });

  it('a Chinese headline that is mostly names (GPT-4o, OpenAI, Hugging Face) is Chinese', () => {
    const r = detectLanguage({ title: 'OpenAI 发布 GPT-4o mini，Hugging Face 上线 Llama 3.1 405B', text: '', declared: 'en' });
    assert.equal(r.tag, 'zh-CN');
  });

  it('Traditional Chinese with English names is zh-TW; a declared Traditional region is kept', () => {
    const t = { title: '微軟發表新的人工智慧模型', text: '臺灣開發者可以在 Hugging Face 下載 Phi-3 模型，這個模型只有 3.8B 參數，效能卻與 GPT-3.5 相當。' };
    assert.equal(detectLanguage({ ...t, declared: null }).tag, 'zh-TW');
    assert.equal(detectLanguage({ ...t, declared: 'zh-CN' }).tag, 'zh-TW');
    assert.equal(detectLanguage({ ...t, declared: 'zh-HK' }).tag, 'zh-HK');
    assert.equal(detectLanguage({ ...t, declared: 'zh-hant' }).tag, 'zh-TW');
  });

  it('Simplified text under a Traditional declaration is zh-CN; under zh-SG keeps zh-SG', () => {
    const s = { title: '深度求索发布 DeepSeek-V3 大语言模型', text: '这个模型采用混合专家架构，总参数 671B，每个词元激活 37B 参数。' };
    assert.equal(detectLanguage({ ...s, declared: 'zh-TW' }).tag, 'zh-CN');
    assert.equal(detectLanguage({ ...s, declared: 'zh-SG' }).tag, 'zh-SG');
    assert.equal(detectLanguage({ ...s, declared: 'zh' }).tag, 'zh-CN');
  });

  it('English mentioning a few Chinese names stays English and keeps the declared region', () => {
    const r = detectLanguage({
      title: 'Chinese AI media: 量子位 and 机器之心 cover DeepSeek',
      text: 'Two of the most read Chinese AI publications, QbitAI (量子位) and Synced (机器之心), covered the release of DeepSeek-V3 within hours, comparing it with GPT-4o and Claude 3.5 Sonnet on coding benchmarks.',
      declared: 'en-US',
    });
    assert.equal(r.tag, 'en-US');
  });

  it('clear text overrides a wrong declaration; the declared region survives only when the language agrees', () => {
    const en = 'The new model was trained on fifteen trillion tokens and outperforms its predecessor on every benchmark the researchers tried.';
    assert.equal(detectLanguage({ title: '', text: en, declared: 'fr' }).tag, 'en');
    assert.equal(detectLanguage({ title: '', text: en, declared: 'en-GB' }).tag, 'en-GB');
    const de = 'Das neue Sprachmodell wurde mit fünfzehn Billionen Tokens trainiert und übertrifft seinen Vorgänger in allen Tests.';
    assert.equal(detectLanguage({ title: '', text: de, declared: 'en' }).tag, 'de');
  });

  it('short texts go to the declared language; no text and no declaration is und', () => {
    assert.equal(detectLanguage({ title: 'Gr', text: 'Gr', declared: 'zh-cn' }).tag, 'zh-CN');
    assert.equal(detectLanguage({ title: 'GPT-4o launch', text: '', declared: 'de-DE' }).tag, 'de-DE');
    assert.equal(detectLanguage({ title: '', text: '', declared: 'en' }).tag, 'en');
    assert.equal(detectLanguage({ title: '', text: '2024 — 46.7 %', declared: null }).tag, 'und');
    const r = detectLanguage({ title: '', text: '', declared: null });
    assert.equal(r.tag, 'und');
    assert.equal(r.confidence, 0);
  });

  it('Japanese (kana) and Korean (Hangul) are not taken for Chinese', () => {
    assert.equal(detectLanguage({ title: 'ポータル 2.0', text: '今までサービス提供側の色が前面に出ていた従来のポータルとはどんどん遠ざかって来ている。', declared: 'zh-CN' }).tag, 'ja');
    assert.equal(detectLanguage({ title: '구글 스토리', text: '필자도 구글 스토리 책을 읽었던지라 검색경제에 대해 동감하는 바가 크다.', declared: null }).tag, 'ko');
  });

  it('script shares are letter shares summing to 1, URLs not counted', () => {
    const r = detectLanguage({ title: 'AI 模型', text: 'https://example.com/a-very-long-english-url-path', declared: null });
    assert.equal(r.scriptShares.letters, 4);
    assert.equal(r.scriptShares.han, 0.5);
    assert.equal(r.scriptShares.latin, 0.5);
    const s = r.scriptShares;
    assert.ok(Math.abs(s.han + s.kana + s.hangul + s.latin + s.cyrillic + s.other - 1) < 1e-9);
    assert.ok(r.confidence > 0 && r.confidence <= 1);
  });
});

describe('enrich/language: isTargetLanguage', () => {
  it('matches on the primary subtag; Chinese scripts must agree when both imply one', () => {
    assert.equal(isTargetLanguage('zh-CN', 'zh'), true);
    assert.equal(isTargetLanguage('zh-TW', 'zh'), true);
    assert.equal(isTargetLanguage('zh', 'zh-CN'), true);
    assert.equal(isTargetLanguage('zh-SG', 'zh-CN'), true);
    assert.equal(isTargetLanguage('zh-TW', 'zh-CN'), false);
    assert.equal(isTargetLanguage('zh-Hant', 'zh-HK'), true);
    assert.equal(isTargetLanguage('en-US', 'en'), true);
    assert.equal(isTargetLanguage('EN-gb', 'en-US'), true);
    assert.equal(isTargetLanguage('en', 'zh'), false);
    assert.equal(isTargetLanguage('und', 'en'), false);
    assert.equal(isTargetLanguage('', 'en'), false);
  });
});
