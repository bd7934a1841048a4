import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { register as globalRegistry } from 'prom-client';
import { routeLabel, methodLabel, OTHER_ROUTE } from '../../src/metrics/route-label.js';
import { flagKind } from '../../src/metrics/flag-kind.js';
import { checkFidelity } from '../../src/enrich/translate/fidelity.js';
import { createPrometheusMetrics } from '../../src/metrics/prometheus-metrics.js';
import { meteredTranslator } from '../../src/metrics/metered-translator.js';
import { observeRequests, CLIENT_CLOSED } from '../../src/metrics/observe-requests.js';
import { noMetrics, type Metrics, type RequestObservation } from '../../src/metrics/metrics.js';
import { createTranslator } from '../../src/enrich/translate/create-translator.js';
import { DuofeedError } from '../../src/errors.js';
import { createRequestHandler } from '../../src/server/handler.js';
import { startLoopback } from '../helpers/loopback.js';
import { startFakeDeepL } from '../helpers/fake-translators.js';
import { config as translatorConfig, deps as translatorDeps } from '../enrich/translate/setup.js';
import { parseExposition, series } from './exposition.js';
import { MemoryStore } from '../helpers/memory-store.js';
import { FixedClock } from '../helpers/clock.js';
import { silentLogger } from '../../src/logger.js';
import { loadConfig } from '../../src/config/load-config.js';
import { REPO_ROOT } from '../helpers/paths.js';
import path from 'node:path';

/** Metrics that keep what they are told, for the wrapper tests. */
function recording(): Metrics & { requests: RequestObservation[]; errors: string[]; characters: Array<[string, string, number]>; served: Promise<void> } {
  let done!: () => void;
  const served = new Promise<void>((r) => (done = r));
  const rec = {
    ...noMetrics,
    requests: [] as RequestObservation[],
    errors: [] as string[],
    characters: [] as Array<[string, string, number]>,
    served,
    requestServed(o: RequestObservation) {
      rec.requests.push(o);
      done();
    },
    errorRecorded(code: string, stage: string) {
      rec.errors.push(`${stage}:${code}`);
    },
    translationCharacters(provider: string, target: string, n: number) {
      rec.characters.push([provider, target, n]);
    },
  };
  return rec;
}

describe('metrics: route and method labels are a closed set', () => {
  const cases: Array<[string | undefined, number, string]> = [
    ['/feed.xml', 200, '/feed.xml'],
    ['/feed.xml?lang=zh&q=secret', 200, '/feed.xml'],
    ['/atom.xml#frag', 304, '/atom.xml'],
    ['/feed.json?lang=xx', 400, '/feed.json'],
    ['/', 200, '/'],
    ['/healthz', 200, '/healthz'],
    ['/sources.opml', 200, '/sources.opml'],
    ['/metrics', 200, '/metrics'],
    ['/feed.xsl', 200, '/feed.xsl'],
    ['/sources/the-decoder/feed.xml', 200, '/sources/:id/feed.xml'],
    ['/sources/the-decoder/atom.xml?lang=en', 304, '/sources/:id/atom.xml'],
    ['/tags/%E6%9C%BA%E5%99%A8%E5%AD%A6%E4%B9%A0/feed.json', 200, '/tags/:keyword/feed.json'],
    // 404s, whatever their path, and everything outside the routes.
    ['/sources/unknown/feed.xml', 404, OTHER_ROUTE],
    ['/wp-login.php', 404, OTHER_ROUTE],
    ['/sources//feed.xml', 400, OTHER_ROUTE],
    ['/sources/a/b/feed.xml', 400, OTHER_ROUTE],
    ['/sources/a/index.html', 405, OTHER_ROUTE],
    ['/tags/x', 400, OTHER_ROUTE],
    ['http://evil.example/feed.xml', 400, OTHER_ROUTE],
    ['*', 400, OTHER_ROUTE],
    [undefined, 400, OTHER_ROUTE],
  ];
  for (const [target, status, route] of cases) {
    it(`${String(target)} (${status}) → ${route}`, () => assert.equal(routeLabel(target, status), route));
  }

  it('methods: common ones kept, any other token folded to `other`', () => {
    for (const m of ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) assert.equal(methodLabel(m), m);
    for (const m of ['get', 'PROPFIND', 'X'.repeat(300), undefined]) assert.equal(methodLabel(m), 'other');
  });
});

describe('metrics: fidelity flags are classified into a closed set of kinds', () => {
  it('classifies what the real fidelity check reports for a translation that lost everything', () => {
    const source = 'GPT-4o scored 88.7% on MMLU and costs $1.2 per run; details at https://example.com/report.';
    const { missing } = checkFidelity(source, '它的得分很高。', { glossary: {}, doNotTranslate: [], to: 'zh' });
    const kinds = Object.fromEntries(missing.map((m) => [m, flagKind(m)]));
    assert.equal(kinds['https://example.com/report'], 'url');
    assert.equal(kinds['GPT-4o'], 'name');
    assert.equal(kinds['MMLU'], 'name');
    assert.equal(kinds['88.7%'], 'number');
    assert.ok(missing.some((m) => flagKind(m) === 'number' && m.includes('1.2')), JSON.stringify(missing));
  });

  it('classifies the structural tokens of translate-html (added markup, lost elements, dropped text)', () => {
    assert.equal(flagKind('+<img>'), 'added');
    assert.equal(flagKind('+https://tracker.example/x'), 'added');
    assert.equal(flagKind('<strong>'), 'markup');
    assert.equal(flagKind('The model was trained on a large corpus of text and code for weeks.'), 'text');
    assert.equal(flagKind('70B'), 'number');
  });
});

describe('metrics: one registry per instance, exposed in the text format', () => {
  it('two instances count apart, names follow the conventions, the global registry stays empty', async () => {
    const a = createPrometheusMetrics();
    const b = createPrometheusMetrics();
    assert.notEqual(a.registry, b.registry);
    a.pollFinished('s1', 'not-modified', { new: 0, updated: 0, unchanged: 0 });
    a.pollFinished('s1', 'ok', { new: 3, updated: 2, unchanged: 7 });
    a.translationFinished({ provider: 'deepl', target: 'zh', status: 'flagged', missing: ['70B', 'GPT-4o', '+<a>'] });
    a.translationCharacters('deepl', 'zh', 120);
    a.translationCharacters('deepl', 'zh', 0);
    const ea = parseExposition(await a.render());
    const eb = parseExposition(await b.render());
    assert.equal(series(ea, 'duofeed_polls_total').get('outcome=not_modified,source=s1'), 1);
    assert.equal(series(ea, 'duofeed_polls_total').get('outcome=ok,source=s1'), 1);
    assert.deepEqual(Object.fromEntries(series(ea, 'duofeed_items_stored_total')), { 'change=new,source=s1': 3, 'change=updated,source=s1': 2 });
    assert.deepEqual(Object.fromEntries(series(ea, 'duofeed_translation_flags_total')), { 'flag=number': 1, 'flag=name': 1, 'flag=added': 1 });
    assert.equal(series(ea, 'duofeed_translations_total').get('provider=deepl,status=flagged,target=zh'), 1);
    assert.equal(series(ea, 'duofeed_translation_characters_total').get('provider=deepl,target=zh'), 120);
    assert.equal(series(eb, 'duofeed_polls_total').size, 0, 'the second instance saw nothing');
    for (const [name, type] of eb.types) {
      assert.match(name, /^duofeed_[a-z0-9]+(_[a-z0-9]+)*$/);
      if (type === 'counter') assert.match(name, /_total$/);
      if (type === 'histogram') assert.match(name, /_seconds$/);
    }
    assert.equal(a.contentType, 'text/plain; version=0.0.4; charset=utf-8');
    assert.equal((await globalRegistry.getMetricsAsJSON()).filter((m) => m.name.startsWith('duofeed_')).length, 0);
  });
});

describe('metrics: translation characters are counted per call, failed calls too', () => {
  it('counts what a DeepL fake received, for a call that succeeds and one that fails after retries', async () => {
    const fake = await startFakeDeepL('k');
    try {
      const rec = recording();
      const inner = createTranslator(translatorConfig('deepl', fake.origin, { apiKeyEnv: 'K', maxRetries: 1 }), translatorDeps({ env: { K: 'k' } }));
      assert.ok(inner);
      const t = meteredTranslator(inner, rec);
      assert.equal(t.provider, 'deepl');
      const segments = ['Mixtral 8x7B beats GPT-3.5 on most benchmarks.', '混合专家模型'];
      await t.translate(segments, 'en', 'zh');
      const sent = (): number =>
        fake.requests.flatMap((r) => (r.body?.['text'] as string[] | undefined) ?? []).reduce((n, s) => n + [...s].length, 0);
      assert.deepEqual(rec.characters, [['deepl', 'zh', sent()]]);
      const before = sent();
      fake.script.push({ status: 500 }, { status: 500 });
      await assert.rejects(t.translate(['Another 70B model.'], 'en', 'zh'), (e: unknown) => e instanceof DuofeedError && e.code === 'TRANSLATE_HTTP_STATUS');
      assert.equal(fake.requests.length, 3, 'one try and one retry');
      assert.deepEqual(rec.characters[1], ['deepl', 'zh', sent() - before]);
      assert.ok(sent() - before > 0);
    } finally {
      await fake.close();
    }
  });
});

describe('metrics: request observation wrapper', () => {
  const appConfig = loadConfig(path.join(REPO_ROOT, 'feeds.config.json'));
  const handler = (metrics?: { contentType: string; render(): Promise<string> }) =>
    createRequestHandler({
      store: new MemoryStore(new FixedClock()),
      config: appConfig,
      sources: new Map(),
      logger: silentLogger(),
      clock: new FixedClock(),
      ...(metrics ? { metrics } : {}),
    });

  it('counts a request whose client went away before any answer as 499, with no error', async () => {
    const rec = recording();
    let arrived!: () => void;
    const inHandler = new Promise<void>((r) => (arrived = r));
    const server = await startLoopback(observeRequests((_req: IncomingMessage, _res: ServerResponse) => arrived(), rec));
    try {
      const abort = new AbortController();
      const pending = fetch(`${server.origin}/feed.xml?lang=zh`, { signal: abort.signal }).catch(() => null);
      await inHandler;
      abort.abort();
      await pending;
      await rec.served;
      assert.deepEqual(rec.requests.map((r) => [r.route, r.method, r.status]), [['/feed.xml', 'GET', CLIENT_CLOSED]]);
      assert.deepEqual(rec.errors, []);
    } finally {
      await server.close();
    }
  });

  it('records the error code of an error answer, once, under stage server', async () => {
    const rec = recording();
    const server = await startLoopback(observeRequests(handler(), rec));
    try {
      const res = await fetch(`${server.origin}/metrics`);
      assert.equal(res.status, 404, 'no /metrics without a metrics dependency');
      await res.arrayBuffer();
      await rec.served;
      assert.deepEqual(rec.errors, ['server:SERVER_NOT_FOUND']);
      assert.deepEqual(rec.requests.map((r) => [r.route, r.method, r.status]), [['other', 'GET', 404]]);
    } finally {
      await server.close();
    }
  });

  it('serves /metrics with the registry content type, GET with the text and HEAD without a body; other methods 405', async () => {
    const m = createPrometheusMetrics();
    m.errorRecorded('FETCH_DNS', 'fetch');
    const server = await startLoopback(observeRequests(handler(m), m));
    try {
      const get = await fetch(`${server.origin}/metrics`);
      assert.equal(get.status, 200);
      assert.equal(get.headers.get('content-type'), m.contentType);
      const text = await get.text();
      assert.equal(series(parseExposition(text), 'duofeed_errors_total').get('code=FETCH_DNS,stage=fetch'), 1);
      const head = await fetch(`${server.origin}/metrics`, { method: 'HEAD' });
      assert.equal(head.status, 200);
      assert.equal(await head.text(), '');
      assert.equal(Number(head.headers.get('content-length')) > 0, true);
      const post = await fetch(`${server.origin}/metrics`, { method: 'POST' });
      assert.equal(post.status, 405);
      await post.arrayBuffer();
      const after = parseExposition(await (await fetch(`${server.origin}/metrics`)).text());
      assert.equal(series(after, 'duofeed_http_requests_total').get('method=GET,route=/metrics,status=200'), 1);
      assert.equal(series(after, 'duofeed_http_requests_total').get('method=HEAD,route=/metrics,status=200'), 1);
      assert.equal(series(after, 'duofeed_http_requests_total').get('method=POST,route=/metrics,status=405'), 1);
      assert.equal(series(after, 'duofeed_errors_total').get('code=SERVER_METHOD_NOT_ALLOWED,stage=server'), 1);
    } finally {
      await server.close();
    }
  });
});
