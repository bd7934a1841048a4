import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/logger.js';
import { HubNotifier, type HubNotifierOptions } from '../../src/websub/hub-notifier.js';
import { hubEndpoint } from '../../src/websub/post-publish.js';
import { changedTopicUrls } from '../../src/websub/topic-urls.js';
import { FixedClock } from '../helpers/clock.js';
import { refusingUrl, startRecordingHub, type HubAnswer, type RecordingHub } from './recording-hub.js';

const UA = 'duofeed-test/1.0 (+https://example.com/bot)';
const BASE = 'https://news.example.com';
/** The feed paths and view parameter of the public contract (README "Endpoints", issue 5). */
const FORMAT_PATHS = ['/feed.xml', '/atom.xml', '/feed.json'];

function logSink(): { logger: Logger; lines: Array<Record<string, unknown>>; logged(pred: (l: Record<string, unknown>) => boolean): Promise<void> } {
  const lines: Array<Record<string, unknown>> = [];
  let waiters: Array<{ pred: (l: Record<string, unknown>) => boolean; resolve: () => void }> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        const l = JSON.parse(line) as Record<string, unknown>;
        lines.push(l);
        for (const w of waiters.filter((x) => x.pred(l))) w.resolve();
        waiters = waiters.filter((x) => !x.pred(l));
      }
      cb();
    },
  });
  return {
    logger: createLogger('debug', sink),
    lines,
    logged: (pred) => (lines.some(pred) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ pred, resolve }))),
  };
}

/** A notifier whose backoff waits are recorded and skipped (no test waits on real timers). */
function notifierFor(hubUrl: string, over: Partial<HubNotifierOptions> = {}) {
  const { logger, lines } = logSink();
  const sleeps: number[] = [];
  const notifier = new HubNotifier({
    hubUrl,
    userAgent: UA,
    timeoutMs: 10_000,
    clock: new FixedClock('2026-11-30T12:00:00.000Z'),
    logger,
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...over,
  });
  return { notifier, lines, sleeps };
}

const failures = (lines: Array<Record<string, unknown>>) => lines.filter((l) => l['code'] === 'WEBSUB_NOTIFY_FAILED');

describe('websub: topic URLs', () => {
  it('lists the merged feeds and the changed sources\' feeds, every format and language view, absolute under the base', () => {
    const urls = changedTopicUrls({ baseUrl: BASE, languages: ['zh', 'en'] }, ['openai', 'decoder', 'openai']);
    const views = (prefix: string) => ['', '?lang=zh', '?lang=en'].flatMap((q) => FORMAT_PATHS.map((p) => `${BASE}${prefix}${p}${q}`));
    const expected = [...views(''), ...views('/sources/decoder'), ...views('/sources/openai')];
    assert.deepEqual([...urls].sort(), [...expected].sort());
    assert.equal(new Set(urls).size, urls.length);
  });

  it('is empty when no source changed', () => {
    assert.deepEqual(changedTopicUrls({ baseUrl: BASE, languages: ['zh', 'en'] }, []), []);
  });
});

describe('websub: HubNotifier against a loopback hub', () => {
  let hub: RecordingHub | null = null;
  afterEach(async () => {
    hub?.release();
    await hub?.close();
    hub = null;
  });

  async function hubAnswering(answers: HubAnswer[], rest: HubAnswer = { status: 204 }): Promise<RecordingHub> {
    hub = await startRecordingHub((n) => answers[n] ?? rest);
    return hub;
  }

  it('POSTs one form-encoded hub.mode=publish with one hub.url per topic; a 2xx is accepted', async () => {
    const h = await hubAnswering([{ status: 202 }]);
    const { notifier, lines } = notifierFor(h.url);
    const topics = [`${BASE}/feed.xml`, `${BASE}/atom.xml?lang=zh`];
    notifier.notify(topics);
    await notifier.idle();
    assert.equal(h.requests.length, 2);
    for (const r of h.requests) {
      assert.equal(r.method, 'POST');
      assert.equal(r.path, '/hub');
      assert.match(r.contentType ?? '', /^application\/x-www-form-urlencoded/);
      assert.equal(r.userAgent, UA);
      assert.equal(r.mode, 'publish');
      assert.equal(r.urls.length, 1);
    }
    assert.deepEqual(h.requests.map((r) => r.urls[0]).sort(), [...topics].sort());
    assert.deepEqual(failures(lines), []);
    assert.equal(notifier.pending(), 0);
  });

  it('retries after a 500 with exponential backoff and delivers on the 204', async () => {
    const h = await hubAnswering([{ status: 500 }, { status: 502 }]);
    const { notifier, lines, sleeps } = notifierFor(h.url, { backoffBaseMs: 1000 });
    notifier.notify([`${BASE}/feed.json`]);
    await notifier.idle();
    assert.equal(h.requests.length, 3);
    assert.ok(h.requests.every((r) => r.urls[0] === `${BASE}/feed.json` && r.mode === 'publish'));
    // random() = 0.5 puts the jitter at 75 % of base·2^n.
    assert.deepEqual(sleeps, [750, 1500]);
    assert.equal(lines.filter((l) => l['msg'] === 'WebSub publish notification failed; retrying').length, 2);
    assert.deepEqual(failures(lines), []);
  });

  it('honours Retry-After in seconds (503) and as an HTTP-date (429)', async () => {
    const clock = new FixedClock('2026-11-30T12:00:00.000Z');
    const date = new Date(clock.now().getTime() + 42_000).toUTCString();
    const h = await hubAnswering([
      { status: 503, headers: { 'retry-after': '7' } },
      { status: 429, headers: { 'retry-after': date } },
    ]);
    const { notifier, sleeps, lines } = notifierFor(h.url, { clock });
    notifier.notify([`${BASE}/feed.xml`]);
    await notifier.idle();
    assert.deepEqual(sleeps, [7000, 42_000]);
    assert.equal(h.requests.length, 3);
    assert.deepEqual(failures(lines), []);
  });

  it('gives up at once when Retry-After asks for longer than maxRetryAfterMs, logging WEBSUB_NOTIFY_FAILED', async () => {
    const h = await hubAnswering([], { status: 503, headers: { 'retry-after': '7200' } });
    const { notifier, sleeps, lines } = notifierFor(h.url, { maxRetryAfterMs: 3_600_000 });
    notifier.notify([`${BASE}/feed.xml`]);
    await notifier.idle();
    assert.equal(h.requests.length, 1);
    assert.deepEqual(sleeps, []);
    const [f] = failures(lines);
    assert.ok(f);
    assert.match(String(f['msg']), /7200 s \(Retry-After\)/);
  });

  it('does not retry a 4xx refusal and logs it with WEBSUB_NOTIFY_FAILED, the topic and the status', async () => {
    const h = await hubAnswering([], { status: 400 });
    const { notifier, sleeps, lines } = notifierFor(h.url);
    notifier.notify([`${BASE}/atom.xml`]);
    await notifier.idle();
    assert.equal(h.requests.length, 1);
    assert.deepEqual(sleeps, []);
    const fs = failures(lines);
    assert.equal(fs.length, 1);
    const err = fs[0]!['err'] as Record<string, unknown>;
    assert.equal(fs[0]!['level'], 50);
    assert.equal(err['url'], `${BASE}/atom.xml`);
    assert.equal((err['details'] as Record<string, unknown>)['status'], 400);
    assert.match(String(fs[0]!['msg']), /HTTP 400/);
  });

  it('a hub that refuses connections: bounded attempts, then WEBSUB_NOTIFY_FAILED naming hub and topic', async () => {
    const url = await refusingUrl();
    const { notifier, sleeps, lines } = notifierFor(url, { maxAttempts: 4, backoffBaseMs: 100 });
    notifier.notify([`${BASE}/feed.xml?lang=en`]);
    await notifier.idle();
    assert.deepEqual(sleeps, [75, 150, 300]);
    const fs = failures(lines);
    assert.equal(fs.length, 1);
    assert.match(String(fs[0]!['msg']), /after 4 attempt\(s\): it could not be reached/);
    assert.ok(String(fs[0]!['msg']).includes(url));
    assert.ok(String(fs[0]!['msg']).includes(`${BASE}/feed.xml?lang=en`));
  });

  it('coalesces: a queued topic is sent once; a topic changed while on the wire is sent once more afterwards', async () => {
    const h = await hubAnswering(['hang']);
    const { notifier } = notifierFor(h.url, { concurrency: 1 });
    const a = `${BASE}/feed.xml`;
    const b = `${BASE}/sources/x/feed.xml`;
    notifier.notify([a]);
    await h.received(1);
    notifier.notify([b]);
    notifier.notify([b, a]);
    notifier.notify([a, b]);
    assert.equal(notifier.pending(), 2);
    h.release();
    await notifier.idle();
    assert.deepEqual(
      h.requests.map((r) => r.urls[0]),
      [a, b, a],
    );
  });

  it('close() returns while a request hangs, drops the queue and logs no failure code', async () => {
    const h = await hubAnswering([], 'hang');
    const { notifier, lines } = notifierFor(h.url, { concurrency: 1 });
    notifier.notify([`${BASE}/feed.xml`, `${BASE}/atom.xml`]);
    await h.received(1);
    await notifier.close();
    assert.equal(notifier.pending(), 0);
    assert.deepEqual(failures(lines), []);
    assert.ok(lines.some((l) => /not sent: shutting down/.test(String(l['msg']))));
    notifier.notify([`${BASE}/feed.json`]);
    await notifier.idle();
    assert.equal(h.requests.length, 1);
  });

  it('drain(): reports delivered and failed topics; those left at the wait limit are logged with WEBSUB_NOTIFY_FAILED and their topics', async () => {
    const h = await hubAnswering([{ status: 204 }, { status: 400 }], 'hang');
    const { notifier, lines } = notifierFor(h.url, { concurrency: 1 });
    const [a, b, c, d] = [`${BASE}/feed.xml`, `${BASE}/atom.xml`, `${BASE}/feed.json`, `${BASE}/feed.xml?lang=zh`];
    notifier.notify([a!, b!, c!, d!]);
    // a accepted, b refused for good, c on the wire to a hub that never answers, d still queued.
    await h.received(3);
    const report = await notifier.drain(50);
    assert.deepEqual(report, { delivered: [a], failed: [b, c, d].sort() });
    assert.equal(notifier.pending(), 0);
    const failed = failures(lines);
    assert.equal(failed.length, 2);
    assert.equal(failed[0]!['topic'], b);
    assert.deepEqual(failed[1]!['topics'], [c, d].sort());
    assert.match(String(failed[1]!['msg']), /did not accept 2 publish notification\(s\) within 50 ms/);
    assert.ok(!lines.some((l) => /not sent: shutting down/.test(String(l['msg']))), 'given-up topics are not reported twice');
    assert.equal(h.requests.length, 3, 'd was never sent');
  });

  it('close() cuts a backoff wait short (default sleep, hour-long backoff)', async () => {
    const url = await refusingUrl();
    const { logger, logged } = logSink();
    const notifier = new HubNotifier({ hubUrl: url, userAgent: UA, timeoutMs: 10_000, clock: new FixedClock(), logger, backoffBaseMs: 3_600_000 });
    notifier.notify([`${BASE}/feed.xml`]);
    await logged((l) => l['msg'] === 'WebSub publish notification failed; retrying');
    assert.equal(notifier.pending(), 1);
    await notifier.close();
    assert.equal(notifier.pending(), 0);
  });

  it('sends user:password of the hub URL as Basic auth and keeps them out of logs', async () => {
    const h = await hubAnswering([], { status: 400 });
    const withCreds = h.url.replace('http://', 'http://pub:s%3Acret@');
    const { notifier, lines } = notifierFor(withCreds);
    notifier.notify([`${BASE}/feed.xml`]);
    await notifier.idle();
    assert.equal(h.requests[0]!.authorization, `Basic ${Buffer.from('pub:s:cret').toString('base64')}`);
    assert.ok(!JSON.stringify(lines).includes('cret'));
    assert.equal(hubEndpoint(withCreds).display, h.url);
  });
});
