import assert from 'node:assert/strict';
import { buildSourceInfos } from '../../src/publish/source-info.js';
import { escapeXmlAttr, escapeXmlText, toXmlChars } from '../../src/publish/xml-chars.js';
import type { SourceConfig } from '../../src/types.js';
import { emptyState } from '../helpers/memory-store.js';

describe('publish/xml-chars', () => {
  it('removes every C0 control except TAB/LF/CR, and U+FEFF, U+FFFE, U+FFFF', () => {
    let all = '';
    for (let c = 0; c < 0x20; c++) all += String.fromCharCode(c);
    assert.equal(toXmlChars(all), '\t\n\r');
    assert.equal(toXmlChars('a\uFEFFb\uFFFEc\uFFFFd'), 'abcd');
  });

  it('replaces lone surrogates with U+FFFD and keeps pairs, astral characters and U+FFFD itself', () => {
    assert.equal(toXmlChars('\uD800x\uDC00\uD83D\uDE00\uD83D'), '\uFFFDx\uFFFD😀\uFFFD');
    assert.equal(toXmlChars('\uDBFF\uDFFF \uFFFD \u007F \uE000'), '\u{10FFFF} \uFFFD \u007F \uE000');
  });

  it('escapes markup in text and attributes; keeps non-ASCII characters', () => {
    assert.equal(escapeXmlText('a & b < c > d "q" ё 中\r'), 'a &amp; b &lt; c &gt; d "q" ё 中&#13;');
    assert.equal(escapeXmlAttr('x"y\tz\n&\u0001'), 'x&quot;y&#9;z&#10;&amp;');
  });
});

describe('publish/buildSourceInfos', () => {
  const source = (over: Partial<SourceConfig>): SourceConfig => ({
    id: 's',
    url: 'https://s.example/feed',
    name: 'S',
    language: 'en',
    siteUrl: null,
    enabled: true,
    extract: { selector: null, remove: [], fetchPages: true },
    schedule: null,
    timezone: null,
    categories: [],
    ...over,
  });

  it('takes the feed URL from the stored state (after redirects) and the site from config, else the feed', () => {
    const state = { ...emptyState('s', 'https://s.example/new-feed'), siteUrl: 'https://s.example/' };
    const infos = buildSourceInfos([source({}), source({ id: 't', siteUrl: 'https://t.example/' })], [state]);
    assert.deepEqual(infos.get('s'), { id: 's', name: 'S', feedUrl: 'https://s.example/new-feed', siteUrl: 'https://s.example/', language: 'en' });
    assert.deepEqual(infos.get('t'), { id: 't', name: 'S', feedUrl: 'https://s.example/feed', siteUrl: 'https://t.example/', language: 'en' });
  });

  it('a source removed from the config keeps its attribution from the stored state (feed title, feed URL)', () => {
    const gone = { ...emptyState('old', 'https://old.example/rss'), feedTitle: 'Old Blog', siteUrl: 'https://old.example/' };
    const infos = buildSourceInfos([source({})], [gone]);
    assert.deepEqual(infos.get('old'), { id: 'old', name: 'Old Blog', feedUrl: 'https://old.example/rss', siteUrl: 'https://old.example/', language: null });
    assert.equal(infos.get('s')!.name, 'S');
  });
});
