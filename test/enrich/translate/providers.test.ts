import assert from 'node:assert/strict';
import { createTranslator } from '../../../src/enrich/translate/create-translator.js';
import type { TranslationConfig } from '../../../src/enrich/translate/translator.js';
import { rejectsWith } from '../../fetch/fetch-helpers.js';
import { startFakeDeepL, startFakeLibre, startFakeOpenAI, type FakeTranslatorServer } from '../../helpers/fake-translators.js';
import { config, deps } from './setup.js';

const KEY = 'sk-test-123';

interface Case {
  provider: 'openai' | 'deepl' | 'libretranslate';
  start: () => Promise<FakeTranslatorServer>;
  /** Where the key travels, as the API expects it. */
  keyOf: (r: FakeTranslatorServer['requests'][number]) => unknown;
  /** Segments the server received in a request. */
  sent: (r: FakeTranslatorServer['requests'][number]) => string[];
  authStatus: number;
}

const CASES: Case[] = [
  {
    provider: 'openai',
    start: () => startFakeOpenAI(KEY),
    keyOf: (r) => r.headers.authorization,
    sent: (r) => JSON.parse((r.body?.['messages'] as Array<{ role: string; content: string }>).find((m) => m.role === 'user')?.content ?? '[]') as string[],
    authStatus: 401,
  },
  {
    provider: 'deepl',
    start: () => startFakeDeepL(KEY),
    keyOf: (r) => r.headers.authorization,
    sent: (r) => r.body?.['text'] as string[],
    authStatus: 403,
  },
  {
    provider: 'libretranslate',
    start: () => startFakeLibre(KEY),
    keyOf: (r) => r.body?.['api_key'],
    sent: (r) => r.body?.['q'] as string[],
    authStatus: 403,
  },
];

const EXPECTED_KEY: Record<Case['provider'], string> = { openai: `Bearer ${KEY}`, deepl: `DeepL-Auth-Key ${KEY}`, libretranslate: KEY };

for (const c of CASES) {
  describe(`enrich/translate: ${c.provider} provider against a loopback fake`, () => {
    let fake: FakeTranslatorServer;
    beforeEach(async () => {
      fake = await c.start();
    });
    afterEach(async () => {
      await fake.close();
    });
    const make = (over: Partial<TranslationConfig> = {}, d = deps({ env: { DUO_KEY: KEY } })) => {
      const t = createTranslator(config(c.provider, fake.origin, { apiKeyEnv: 'DUO_KEY', ...over }), d);
      assert.ok(t);
      return { t, d };
    };

    it('reads the key from the named variable and sends it as the API expects; keeps segment count and order', async () => {
      const { t } = make();
      const segs = ['<p>Hello <b>world</b></p>', 'Mixtral 8x7B', 'Third'];
      const r = await t.translate(segs, 'en', 'zh-CN');
      assert.equal(r.segments.length, 3);
      assert.deepEqual(r.segments, segs.map((s) => `[${c.provider === 'deepl' ? 'zh-hans' : c.provider === 'openai' ? 'zh-cn' : 'zh'}] ${s}`));
      assert.equal(r.provider, c.provider);
      assert.equal(r.model, c.provider === 'openai' ? 'test-model' : null);
      assert.deepEqual(r.cost, { characters: segs.join('').length, requests: 1 });
      assert.equal(fake.requests.length, 1);
      assert.equal(c.keyOf(fake.requests[0]!), EXPECTED_KEY[c.provider]);
      assert.deepEqual(c.sent(fake.requests[0]!), segs);
      assert.equal(fake.requests[0]!.headers['content-type'], 'application/json');
    });

    it('a missing key is a coded error at construction, naming the variable', () => {
      assert.throws(
        () => createTranslator(config(c.provider, fake.origin, { apiKeyEnv: 'NOT_SET_ANYWHERE' }), deps({ env: {} })),
        (err: Error & { code?: string }) => err.code === 'TRANSLATE_NO_API_KEY' && /NOT_SET_ANYWHERE/.test(err.message),
      );
    });

    it('a wrong key is TRANSLATE_AUTH and is not retried', async () => {
      const { t } = make({}, deps({ env: { DUO_KEY: 'wrong' } }));
      const err = await rejectsWith(t.translate(['Hi'], 'en', 'zh'), 'TRANSLATE_AUTH');
      assert.equal(err.details['status'], c.authStatus);
      assert.match(err.message, /Invalid API key/);
      assert.equal(fake.requests.length, 1);
    });

    it('429 with Retry-After (seconds, then HTTP-date) is waited out, then succeeds', async () => {
      const d = deps({ env: { DUO_KEY: KEY } });
      const { t } = make({}, d);
      const at = new Date(d.clock.now().getTime() + 2000 + 1000).toUTCString();
      fake.script.push({ status: 429, headers: { 'retry-after': '1' } }, { status: 429, headers: { 'retry-after': at } });
      const r = await t.translate(['Hi'], 'en', 'zh');
      assert.equal(r.segments.length, 1);
      assert.equal(fake.requests.length, 3);
      // 1 s from the header; then the HTTP-date, 2 s ahead of the clock once the first wait passed.
      assert.deepEqual(d.sleeps, [1000, 2000]);
      assert.equal(r.cost.requests, 3);
    });

    it('429 after every retry is TRANSLATE_RATE_LIMITED; 5xx backs off exponentially then gives TRANSLATE_HTTP_STATUS', async () => {
      const d = deps({ env: { DUO_KEY: KEY } });
      const { t } = make({ maxRetries: 2 }, d);
      fake.script.push({ status: 429 }, { status: 429 }, { status: 429 });
      await rejectsWith(t.translate(['Hi'], 'en', 'zh'), 'TRANSLATE_RATE_LIMITED');
      fake.script.push({ status: 500 }, { status: 503 }, { status: 502 });
      const err = await rejectsWith(t.translate(['Hi'], 'en', 'zh'), 'TRANSLATE_HTTP_STATUS');
      assert.equal(err.details['status'], 502);
      // backoff base 100 ms, doubled, jitter fixed at 75 %.
      assert.deepEqual(d.sleeps, [75, 150, 75, 150]);
      assert.equal(fake.requests.length, 6);
    });

    it('a Retry-After longer than maxRetryAfterMs is not waited for', async () => {
      const d = deps({ env: { DUO_KEY: KEY } });
      const { t } = make({ maxRetryAfterMs: 10_000 }, d);
      fake.script.push({ status: 429, headers: { 'retry-after': '3600' } });
      const err = await rejectsWith(t.translate(['Hi'], 'en', 'zh'), 'TRANSLATE_RATE_LIMITED');
      assert.equal(err.details['retryAfterMs'], 3_600_000);
      assert.deepEqual(d.sleeps, []);
    });

    it('malformed JSON is TRANSLATE_BAD_RESPONSE (asked once more, then given up)', async () => {
      const { t } = make();
      fake.mode = 'malformed';
      await rejectsWith(t.translate(['Hi'], 'en', 'zh'), 'TRANSLATE_BAD_RESPONSE');
      assert.equal(fake.requests.length, 2);
    });

    it('an answer missing a segment is TRANSLATE_SEGMENT_MISMATCH, never a partial result', async () => {
      const { t } = make();
      fake.mode = 'drop';
      const err = await rejectsWith(t.translate(['One', 'Two', 'Three'], 'en', 'zh'), 'TRANSLATE_SEGMENT_MISMATCH');
      assert.deepEqual({ sent: err.details['sent'], received: err.details['received'] }, { sent: 3, received: 2 });
    });

    it('a slow server is TRANSLATE_TIMEOUT after the retries', async () => {
      const { t } = make({ timeoutMs: 150, maxRetries: 1 });
      fake.mode = 'slow';
      fake.slowMs = 1500;
      const err = await rejectsWith(t.translate(['Hi'], 'en', 'zh'), 'TRANSLATE_TIMEOUT');
      assert.equal(err.details['requests'], 2);
    });

    it('splits into batches by segment count and characters, keeping order', async () => {
      const { t } = make({ maxSegmentsPerRequest: 2, maxCharactersPerRequest: 12 });
      const segs = ['aaaa', 'bbbb', 'cccc', 'dddddddddddddddddddd', 'ee'];
      const r = await t.translate(segs, 'en', 'zh');
      assert.deepEqual(r.segments.map((s) => s.replace(/^\[[a-z-]+\] /, '')), segs);
      const batches = fake.requests.map((q) => c.sent(q));
      assert.deepEqual(batches.map((b) => b.length).sort(), [1, 1, 1, 2]);
      assert.deepEqual(batches.flat().sort(), [...segs].sort());
      assert.equal(r.cost.requests, 4);
    });
  });
}

describe('enrich/translate: provider specifics', () => {
  it('openai: no key configured sends no Authorization (local servers); a fenced ```json answer is read', async () => {
    const fake = await startFakeOpenAI(null);
    try {
      fake.fence = true;
      const t = createTranslator(config('openai', fake.origin), deps());
      const r = await t!.translate(['Hello'], 'en', 'zh');
      assert.deepEqual(r.segments, ['[zh] Hello']);
      assert.equal(fake.requests[0]!.headers.authorization, undefined);
      assert.equal(fake.requests[0]!.body?.['temperature'], 0);
      assert.equal(fake.requests[0]!.body?.['model'], 'test-model');
    } finally {
      await fake.close();
    }
  });

  it('openai: response_format json_object asks for {"segments": [...]}; glossary and hints reach the prompt', async () => {
    const fake = await startFakeOpenAI(null);
    try {
      const t = createTranslator(config('openai', fake.origin, { responseFormat: 'json_object' }), deps());
      const r = await t!.translate(['Hello'], 'en', 'zh', { glossary: { agent: '智能体' }, doNotTranslate: ['Claude'], hints: ['7B'] });
      assert.deepEqual(r.segments, ['[zh] Hello']);
      const body = fake.requests[0]!.body!;
      assert.deepEqual(body['response_format'], { type: 'json_object' });
      const system = (body['messages'] as Array<{ content: string }>)[0]!.content;
      assert.match(system, /agent → 智能体/);
      assert.match(system, /Never translate these terms: Claude/);
      assert.match(system, /exactly as written: 7B/);
    } finally {
      await fake.close();
    }
  });

  it('openai: a missing model is CONFIG_INVALID', () => {
    assert.throws(() => createTranslator(config('openai', 'http://127.0.0.1:1', { model: null }), deps()), /translation\.model is required/);
  });

  it('deepl: 456 quota is TRANSLATE_QUOTA, not retried; language codes follow DeepL (ZH source, EN-US / ZH-HANS targets)', async () => {
    const fake = await startFakeDeepL(KEY);
    try {
      const t = createTranslator(config('deepl', `${fake.origin}/v2`, { apiKeyEnv: 'K' }), deps({ env: { K: KEY } }))!;
      await t.translate(['你好'], 'zh-CN', 'en');
      await t.translate(['Hi'], 'en-US', 'zh-CN');
      assert.deepEqual(
        fake.requests.map((r) => [r.body?.['source_lang'], r.body?.['target_lang'], r.body?.['tag_handling']]),
        [
          ['ZH', 'EN-US', 'html'],
          ['EN', 'ZH-HANS', 'html'],
        ],
      );
      fake.script.push({ status: 456 });
      const err = await rejectsWith(t.translate(['Hi'], 'en', 'zh'), 'TRANSLATE_QUOTA');
      assert.match(err.message, /Quota exceeded/);
      assert.equal(fake.requests.length, 3);
    } finally {
      await fake.close();
    }
  });

  it('deepl: a key is required even without apiKeyEnv', () => {
    assert.throws(
      () => createTranslator(config('deepl', 'http://127.0.0.1:1'), deps()),
      (err: Error & { code?: string }) => err.code === 'TRANSLATE_NO_API_KEY',
    );
  });

  it('libretranslate: no key configured sends no api_key; a 400 {"error"} message is passed on', async () => {
    const fake = await startFakeLibre(null);
    try {
      const t = createTranslator(config('libretranslate', fake.origin), deps())!;
      const r = await t.translate(['<p>Hi</p>'], 'en', 'zh-TW');
      assert.deepEqual(r.segments, ['[zt] <p>Hi</p>']);
      assert.equal(fake.requests[0]!.body?.['api_key'], undefined);
      assert.equal(fake.requests[0]!.body?.['format'], 'html');
      fake.script.push({ status: 400, body: JSON.stringify({ error: 'zz is not supported' }) });
      const err = await rejectsWith(t.translate(['Hi'], 'en', 'zh'), 'TRANSLATE_HTTP_STATUS');
      assert.match(err.message, /zz is not supported/);
    } finally {
      await fake.close();
    }
  });

  it('provider none (or no config) gives no translator at all', () => {
    assert.equal(createTranslator(null, deps()), null);
    assert.equal(createTranslator({ provider: 'none', baseUrl: '' }, deps()), null);
  });

  it('an unreachable server is TRANSLATE_NETWORK', async () => {
    const fake = await startFakeLibre(null);
    const origin = fake.origin;
    await fake.close();
    const t = createTranslator(config('libretranslate', origin, { maxRetries: 0 }), deps())!;
    await rejectsWith(t.translate(['Hi'], 'en', 'zh'), 'TRANSLATE_NETWORK');
  });
});
