import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import { JSDOM } from 'jsdom';
import type { SourceHealth } from '../../src/server/health.js';
import { INDEX_PAGE_CSP, renderIndexPage, type IndexPageInput } from '../../src/server/index-page.js';
import type { Article } from '../../src/types.js';
import { BROKEN, BROKEN_ERROR, HOSTILE_TITLE, hostileArticle, NOW } from '../browser/page-fixtures.js';
import { bilingualArticles, BILINGUAL_SOURCES, GCLOUD, KR36, SHADOW_IT_ZH, TURING_EN, type BilingualSet } from '../publish/bilingual-fixtures.js';

function health(over: Partial<SourceHealth> & Pick<SourceHealth, 'id' | 'name' | 'feedUrl'>): SourceHealth {
  return { lastSuccessAt: null, lastAttemptAt: null, errorCount: 0, lastErrorCode: null, lastErrorMessage: null, nextPollAt: null, disabledReason: null, items: 0, ...over };
}

describe('server: index page HTML', () => {
  let set: BilingualSet;
  let hostile: Article;
  let input: IndexPageInput;
  let $: cheerio.CheerioAPI;

  before(async () => {
    set = await bilingualArticles();
    hostile = hostileArticle();
    input = {
      output: { title: 'duofeed <AI>', description: 'news & "more"', languages: ['zh', 'en'] },
      selfBaseUrl: 'https://news.example.com',
      sources: new Map([...BILINGUAL_SOURCES, [BROKEN.id, BROKEN]]),
      articles: [hostile, ...set.all],
      health: [
        health({ id: GCLOUD.id, name: GCLOUD.name, feedUrl: GCLOUD.feedUrl, lastSuccessAt: '2026-08-23T11:30:00.000Z', nextPollAt: '2026-08-23T12:30:00.000Z', items: 4 }),
        health({ id: KR36.id, name: KR36.name, feedUrl: KR36.feedUrl, disabledReason: 'disabled in config', items: 2 }),
        health({ id: BROKEN.id, name: BROKEN.name, feedUrl: BROKEN.feedUrl, lastSuccessAt: '2026-08-22T09:35:00.000Z', nextPollAt: '2026-08-23T13:45:00.000Z', errorCount: 3, lastErrorCode: 'FETCH_NETWORK', lastErrorMessage: BROKEN_ERROR, items: 1 }),
        health({ id: 'fresh', name: 'Fresh', feedUrl: 'javascript:alert(1)' }),
      ],
      generatedAt: NOW,
    };
    $ = cheerio.load(renderIndexPage(input));
  });

  const item = (a: Article) => $(`li.item`).filter((_, el) => $(el).find('a.original').attr('href') === new URL(a.url!).href);

  it('lists every article, newest first, with each language version titled in its own lang', () => {
    assert.equal($('li.item').length, set.all.length + 1);
    const ok = item(set.enOk);
    assert.equal(ok.find('.title').attr('lang'), 'zh');
    assert.equal(ok.find('.title').children('a').text(), SHADOW_IT_ZH.title);
    assert.equal(ok.find('.title').children('a').attr('href'), set.enOk.url);
    assert.equal(ok.find('.title-alt').attr('lang'), 'en');
    assert.ok(ok.find('.title-alt').text().startsWith(set.enOk.title));
    // A Chinese original with an English translation: the original is the headline (zh is primary).
    const zh = item(set.zhOk);
    assert.equal(zh.find('.title').attr('lang'), 'zh-CN');
    assert.ok(zh.find('.title').text().startsWith(set.zhOk.title));
    assert.equal(zh.find('.title-alt').attr('lang'), 'en');
    assert.ok(zh.find('.title-alt').text().startsWith(TURING_EN.title));
    assert.match(zh.find('.title-alt .badge').text(), /译 \/ translated/);
    // Flagged and pending translations are not shown: one title only.
    assert.equal(item(set.enFlagged).find('.title-alt').length, 0);
    assert.equal(item(set.enPending).find('.title-alt').length, 0);
  });

  it('shows source, time (datetime attribute) and keywords per language', () => {
    const ok = item(set.enOk);
    assert.equal(ok.find('.source').text(), GCLOUD.name);
    assert.equal(ok.find('time').attr('datetime'), set.enOk.publishedAt);
    assert.match(ok.find('time').text(), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
    assert.equal(ok.find('time').text(), `${set.enOk.publishedAt!.slice(0, 10)} ${set.enOk.publishedAt!.slice(11, 16)} UTC`);
    assert.deepEqual(ok.find('.keywords li[lang="zh"] .kw').toArray().map((k) => $(k).text()), set.enOk.keywords.zh);
    assert.deepEqual(ok.find('.keywords li[lang="en"] .kw').toArray().map((k) => $(k).text()), set.enOk.keywords.en);
  });

  it('keeps hostile titles, keywords, names and error messages as text (parsed by a real HTML parser: no script, no img)', () => {
    const html = renderIndexPage(input);
    const doc = new JSDOM(html).window.document;
    assert.equal(doc.querySelectorAll('script').length, 0);
    assert.equal(doc.querySelectorAll('img').length, 0);
    assert.equal(doc.querySelectorAll('li.item').length, set.all.length + 1, 'the hostile </li></ol> closed nothing');
    const titles = [...doc.querySelectorAll('.title, .title-alt')].map((e) => (e.firstChild?.textContent ?? '').trim());
    assert.ok(titles.includes(HOSTILE_TITLE));
    assert.ok(titles.includes(hostile.translations.zh!.title));
    assert.ok([...doc.querySelectorAll('.kw')].some((k) => k.textContent === '<script>x</script>'));
    assert.equal(doc.querySelector(`#source-${BROKEN.id} .name`)?.textContent, BROKEN.name);
    assert.equal(doc.querySelector(`#source-${BROKEN.id} .error .msg`)?.textContent, BROKEN_ERROR);
    assert.equal(doc.title, 'duofeed <AI>');
    // Only http(s) URLs become links.
    for (const a of doc.querySelectorAll('a')) assert.match(a.getAttribute('href') ?? '', /^https?:\/\//);
    assert.equal(doc.querySelector('#source-fresh .feed-url'), null, 'a javascript: feed URL is not linked');
    // Control characters are dropped, not passed through.
    const withControls = renderIndexPage({ ...input, articles: [{ ...hostile, title: 'a\u0000b\u001Fc' }] });
    assert.ok(withControls.includes('abc'));
  });

  it('shows each source health: status, last success, consecutive errors with code and message, next poll, items', () => {
    const broken = $(`#source-${BROKEN.id}`);
    assert.equal(broken.find('.status').text(), '出错 / Failing');
    assert.equal(broken.find('.error strong').text(), '3');
    assert.equal(broken.find('.error code').text(), 'FETCH_NETWORK');
    assert.equal(broken.find('.last-success time').attr('datetime'), '2026-08-22T09:35:00.000Z');
    assert.equal(broken.find('.next-poll time').attr('datetime'), '2026-08-23T13:45:00.000Z');
    assert.equal(broken.find('.num').text(), '1');
    assert.equal($(`#source-${GCLOUD.id} .status`).text(), '正常 / OK');
    assert.equal($(`#source-${GCLOUD.id} .error`).length, 0);
    assert.equal($(`#source-${GCLOUD.id} .name a`).attr('href'), GCLOUD.siteUrl);
    assert.equal($(`#source-${KR36.id} .status`).text(), '已停用 / Disabled');
    assert.match($(`#source-${KR36.id}`).text(), /disabled in config/);
    assert.equal($('#source-fresh .status').text(), '尚未抓取 / Not polled yet');
    assert.equal($('#source-fresh .last-success').text(), '—');
  });

  it('links every format for the merged feed and each language view, the OPML list, and declares autodiscovery', () => {
    const feeds = $('#subscribe a.feed').toArray().map((a) => $(a).attr('href'));
    const expected = ['', '?lang=zh', '?lang=en'].flatMap((q) => ['/feed.xml', '/atom.xml', '/feed.json'].map((p) => `https://news.example.com${p}${q}`));
    assert.deepEqual(feeds, expected);
    assert.equal($('a[href="https://news.example.com/sources.opml"]').length, 1);
    assert.deepEqual(
      $('link[rel="alternate"]').toArray().map((l) => [$(l).attr('type'), $(l).attr('href')]),
      [
        ['application/rss+xml', 'https://news.example.com/feed.xml'],
        ['application/atom+xml', 'https://news.example.com/atom.xml'],
        ['application/feed+json', 'https://news.example.com/feed.json'],
      ],
    );
    assert.equal($('h2').first().text(), '订阅 / Subscribe');
    assert.equal($('html').attr('lang'), 'zh');
  });

  it('loads nothing from elsewhere: no script, no external stylesheet or font; the CSP forbids scripts', () => {
    assert.equal($('script, link[rel="stylesheet"], iframe, object').length, 0);
    for (const l of $('link').toArray()) {
      const rel = $(l).attr('rel');
      assert.ok(rel === 'alternate' || (rel === 'icon' && $(l).attr('href')!.startsWith('data:')), rel);
    }
    assert.doesNotMatch($('style').text(), /@import|url\(/);
    assert.match(INDEX_PAGE_CSP, /default-src 'none'/);
    assert.doesNotMatch(INDEX_PAGE_CSP, /script-src/);
  });

  it('an empty store and no sources still make a page', () => {
    const page = cheerio.load(renderIndexPage({ ...input, articles: [], health: [], output: { title: 't', description: 'd' } }));
    assert.equal(page('li.item').length, 0);
    assert.match(page('#latest').text(), /No items yet/);
    assert.match(page('#sources').text(), /No sources configured/);
    assert.equal(page('#subscribe a.feed').length, 3, 'no languages configured: the merged feed only');
  });
});
