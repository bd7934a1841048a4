import assert from 'node:assert/strict';
import { planBatches, charCount } from '../../../src/enrich/translate/batches.js';
import { deeplSourceLang, deeplTargetLang, libreLang } from '../../../src/enrich/translate/language-codes.js';
import { RequestLimiter } from '../../../src/enrich/translate/limiter.js';
import { parseContent } from '../../../src/enrich/translate/openai-translator.js';
import { MemorySpendLedger, SpendCap, nextUtcMidnight } from '../../../src/enrich/translate/spend-cap.js';
import { FixedClock } from '../../helpers/clock.js';

describe('enrich/translate: limiter, batches, spend cap, language codes, LLM answers', () => {
  it('the limiter keeps at most maxConcurrent tasks in flight', async () => {
    const clock = new FixedClock();
    const lim = new RequestLimiter(2, 1000, () => clock.now().getTime(), async () => {});
    let peak = 0;
    const gates: Array<() => void> = [];
    const runs = Array.from({ length: 5 }, () =>
      lim.run(async () => {
        peak = Math.max(peak, lim.inFlight);
        await new Promise<void>((r) => gates.push(r));
      }),
    );
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setImmediate(r));
      assert.ok(gates.length <= 2);
      gates.shift()?.();
    }
    while (gates.length) gates.shift()?.();
    await Promise.all(runs);
    assert.equal(peak, 2);
  });

  it('the limiter waits for the rolling minute when requestsPerMinute is used up', async () => {
    const clock = new FixedClock();
    const waits: number[] = [];
    const lim = new RequestLimiter(10, 2, () => clock.now().getTime(), async (ms) => {
      waits.push(ms);
      clock.advance(ms);
    });
    const starts: number[] = [];
    for (let i = 0; i < 3; i++) {
      await lim.run(async () => {
        starts.push(clock.now().getTime());
        clock.advance(1000);
      });
    }
    assert.deepEqual(waits, [58_000]);
    assert.equal(starts[2]! - starts[0]!, 60_000);
  });

  it('batches respect max segments and characters, never split a segment, keep order', () => {
    assert.deepEqual(planBatches(['ab', 'cd', 'ef', 'gh', 'ij'], 2, 100), [[0, 1], [2, 3], [4]]);
    assert.deepEqual(planBatches(['abc', 'defghijk', 'l', 'mn'], 10, 5), [[0], [1], [2, 3]]);
    assert.deepEqual(planBatches([], 2, 5), []);
    assert.equal(charCount('中文😀'), 3);
  });

  it('the spend cap refuses past the cap and resumes at the next UTC midnight', () => {
    const clock = new FixedClock('2026-03-05T23:30:00.000Z');
    const cap = new SpendCap(100, 'deepl', new MemorySpendLedger(), clock);
    const r = cap.reserve(80, 'x');
    cap.adjust(r, 90);
    assert.throws(() => cap.reserve(11, 'x'), (e: Error & { code?: string; details?: Record<string, unknown> }) => e.code === 'TRANSLATE_SPEND_CAP' && e.details?.['resumeAt'] === '2026-03-06T00:00:00.000Z');
    cap.reserve(10, 'x');
    clock.advance(30 * 60_000);
    cap.reserve(100, 'x');
    assert.equal(nextUtcMidnight(new Date('2026-12-31T10:00:00Z')).toISOString(), '2027-01-01T00:00:00.000Z');
    assert.doesNotThrow(() => new SpendCap(null, 'p', new MemorySpendLedger(), clock).reserve(1e9, 'x'));
  });

  it('language codes: DeepL sources without region, targets with the required variant; LibreTranslate zh/zt', () => {
    assert.deepEqual(['zh-CN', 'en-US', 'de-AT'].map((t) => deeplSourceLang(t)), ['ZH', 'EN', 'DE']);
    assert.deepEqual(['en', 'en-GB', 'zh', 'zh-CN', 'zh-TW', 'zh-Hant', 'pt-BR', 'pt', 'ja'].map((t) => deeplTargetLang(t)), [
      'EN-US', 'EN-GB', 'ZH-HANS', 'ZH-HANS', 'ZH-HANT', 'ZH-HANT', 'PT-BR', 'PT-PT', 'JA',
    ]);
    assert.deepEqual(['zh-CN', 'zh-TW', 'en-US'].map((t) => libreLang(t)), ['zh', 'zt', 'en']);
    assert.equal(libreLang('zh-CN', { 'zh-cn': 'zh-Hans' }), 'zh-Hans');
  });

  it('LLM message content: plain array, fenced, with chatter, or {"segments": [...]}', () => {
    assert.deepEqual(parseContent('["a","b"]'), ['a', 'b']);
    assert.deepEqual(parseContent('Sure!\n```json\n["a", "b"]\n```\nDone.'), ['a', 'b']);
    assert.deepEqual(parseContent('Here you go: ["a", "b"] hope it helps'), ['a', 'b']);
    assert.deepEqual(parseContent('{"segments": ["a"]}'), ['a']);
    assert.equal(parseContent('no json here'), undefined);
  });
});
