import assert from 'node:assert/strict';
import { startClientFixture, type ClientFixture } from '../clients/fixture.js';
import { rawRequest } from '../helpers/http-request.js';
import { attr, isHttpUrl, isLanguageTag, isMimeType, kids, parseXml, rfc822Time, text, type XmlNode } from './syntax.js';

const ATOM_NS = 'http://www.w3.org/2005/Atom';
const NAMESPACES: Record<string, string> = {
  atom: ATOM_NS,
  dc: 'http://purl.org/dc/elements/1.1/',
  content: 'http://purl.org/rss/1.0/modules/content/',
  media: 'http://search.yahoo.com/mrss/',
};

/** Exactly one child `name`, returned. */
function one(node: XmlNode, name: string, where: string): XmlNode {
  const list = kids(node, name);
  assert.equal(list.length, 1, `${where}: exactly one <${name}> (found ${list.length})`);
  return list[0]!;
}

function checkDate(node: XmlNode, where: string): number {
  const t = rfc822Time(text(node));
  assert.ok(t !== null, `${where}: "${text(node)}" is not an RFC 822 date`);
  return t;
}

/**
 * Checks one RSS document against the RSS 2.0 specification (rssboard.org/rss-specification):
 * required channel elements, item title-or-description, guid isPermaLink, RFC 822 dates,
 * enclosure attributes, source url; plus the namespaces of the extension elements used and the
 * atom:link rel=self the RSS Advisory Board's best practices ask for.
 * @returns the items
 */
function checkRss(xml: string, selfUrl: string, viewLang: string | null): XmlNode[] {
  const doc = parseXml(xml);
  assert.deepEqual(Object.keys(doc), ['rss'], 'the root element is <rss>');
  const rss = doc.rss![0]!;
  assert.equal(attr(rss, 'version'), '2.0');
  const channel = one(rss, 'channel', 'rss');

  // Every prefixed element used has its namespace declared with the usual URI.
  for (const prefix of new Set([...xml.matchAll(/<([a-z]+):[A-Za-z]+[\s/>]/g)].map((m) => m[1]!))) {
    assert.equal(attr(rss, `xmlns:${prefix}`), NAMESPACES[prefix], `xmlns:${prefix}`);
  }

  for (const name of ['title', 'link', 'description']) {
    const el = one(channel, name, 'channel');
    assert.notEqual(text(el).trim(), '', `channel <${name}> not empty`);
  }
  assert.ok(isHttpUrl(text(kids(channel, 'link')[0])), 'channel link is a URL');
  for (const name of ['language', 'copyright', 'managingEditor', 'webMaster', 'pubDate', 'lastBuildDate', 'generator', 'docs', 'ttl', 'image']) {
    assert.ok(kids(channel, name).length <= 1, `at most one channel <${name}>`);
  }
  for (const d of [...kids(channel, 'pubDate'), ...kids(channel, 'lastBuildDate')]) checkDate(d, 'channel');
  for (const l of kids(channel, 'language')) {
    assert.ok(isLanguageTag(text(l)), `channel language ${text(l)}`);
    if (viewLang !== null) assert.equal(text(l).split('-')[0]!.toLowerCase(), viewLang, 'channel language of the view');
  }
  for (const t of kids(channel, 'ttl')) assert.match(text(t), /^\d+$/, 'ttl in minutes');

  const selfLinks = kids(channel, 'atom:link').filter((l) => attr(l, 'rel') === 'self');
  assert.equal(selfLinks.length, 1, 'one atom:link rel=self');
  assert.equal(attr(selfLinks[0]!, 'href'), selfUrl, 'rel=self is the URL the document was fetched from');
  assert.equal(attr(selfLinks[0]!, 'type'), 'application/rss+xml');

  const items = kids(channel, 'item');
  assert.ok(items.length > 0, 'items');
  const guids = new Set<string>();
  for (const [i, item] of items.entries()) {
    const where = `item #${i}`;
    const title = kids(item, 'title');
    const description = kids(item, 'description');
    assert.ok(title.length + description.length > 0, `${where}: title or description`);
    for (const name of ['title', 'link', 'description', 'author', 'comments', 'guid', 'pubDate', 'source']) {
      assert.ok(kids(item, name).length <= 1, `${where}: at most one <${name}>`);
    }
    for (const t of title) assert.notEqual(text(t).trim(), '', `${where}: title not empty`);
    for (const l of kids(item, 'link')) assert.ok(isHttpUrl(text(l)), `${where}: link ${text(l)}`);
    for (const p of kids(item, 'pubDate')) checkDate(p, where);
    // RSS <author> is an e-mail address; names go to dc:creator.
    for (const a of kids(item, 'author')) assert.match(text(a), /^\S+@\S+/, `${where}: author is an e-mail address`);
    for (const g of kids(item, 'guid')) {
      const value = text(g).trim();
      assert.notEqual(value, '', `${where}: guid not empty`);
      assert.ok(!guids.has(value), `${where}: guid ${value} repeated`);
      guids.add(value);
      const permalink = attr(g, 'isPermaLink') ?? 'true';
      assert.ok(['true', 'false'].includes(permalink), `${where}: isPermaLink="${permalink}"`);
      // isPermaLink true (the default): the guid is a URL a browser can open.
      if (permalink === 'true') assert.ok(isHttpUrl(value), `${where}: permalink guid ${value} is a URL`);
    }
    for (const e of kids(item, 'enclosure')) {
      const url = attr(e, 'url');
      assert.ok(url !== undefined && isHttpUrl(url), `${where}: enclosure url ${url}`);
      assert.match(attr(e, 'length') ?? '', /^\d+$/, `${where}: enclosure length in bytes`);
      assert.ok(isMimeType(attr(e, 'type') ?? ''), `${where}: enclosure type ${attr(e, 'type')}`);
    }
    for (const s of kids(item, 'source')) {
      const url = attr(s, 'url');
      assert.ok(url !== undefined && isHttpUrl(url), `${where}: source url ${url}`);
      assert.notEqual(text(s).trim(), '', `${where}: source name`);
    }
    for (const c of kids(item, 'category')) assert.notEqual(text(c).trim(), '', `${where}: category`);
  }
  return items;
}

describe('conformance: RSS output meets the RSS 2.0 specification', function () {
  this.timeout(60_000);
  let f: ClientFixture;
  before(async () => {
    f = await startClientFixture();
  });
  after(() => f?.close());

  for (const [target, lang] of [
    ['/feed.xml', null],
    ['/feed.xml?lang=zh', 'zh'],
    ['/feed.xml?lang=en', 'en'],
  ] as const) {
    it(`${target}: channel title/link/description, item title or description, guid, RFC 822 dates, enclosures, source`, async () => {
      const r = await rawRequest(f.origin, target);
      assert.equal(r.status, 200);
      const items = checkRss(r.body.toString('utf8'), `${f.origin}${target}`, lang);
      assert.ok(items.some((i) => kids(i, 'enclosure').length > 0), 'the fixture exercises enclosures');
    });
  }

  it('every pubDate is the stored publication date', async () => {
    const items = checkRss((await rawRequest(f.origin, '/feed.xml')).body.toString('utf8'), `${f.origin}/feed.xml`, null);
    assert.deepEqual(
      items.map((i) => rfc822Time(text(kids(i, 'pubDate')[0]))),
      f.articles.map((a) => Math.floor(Date.parse(a.publishedAt!) / 1000) * 1000),
    );
  });

  it('the checker rejects documents that break RSS 2.0 (so the checks above can fail)', async () => {
    const good = (await rawRequest(f.origin, '/feed.xml')).body.toString('utf8');
    const self = `${f.origin}/feed.xml`;
    const broken: Array<[string, string, RegExp]> = [
      ['no channel description', good.replace(/<description>[^<]*<\/description>/, ''), /channel: exactly one <description>/],
      ['ISO date in pubDate', good.replace(/<pubDate>[^<]*<\/pubDate>/, '<pubDate>2023-11-01T23:49:16Z</pubDate>'), /not an RFC 822 date/],
      ['wrong weekday', good.replace(/<pubDate>Wed, 01 Nov 2023/, '<pubDate>Thu, 01 Nov 2023'), /not an RFC 822 date/],
      ['permalink guid that is not a URL', good.replace(/<guid isPermaLink="true">[^<]*/, '<guid isPermaLink="true">post-1'), /permalink guid/],
      ['enclosure without length', good.replace(/<enclosure length="\d+"/, '<enclosure'), /enclosure length/],
      ['item with neither title nor description', good.replace(/(<item>\s*)<title>[\s\S]*?<\/title>/, '$1'), /title or description/],
    ];
    for (const [what, doc, reason] of broken) {
      assert.notEqual(doc, good, `${what}: the mutation applied`);
      assert.throws(() => checkRss(doc, self, null), { name: 'AssertionError', message: reason }, what);
    }
  });
});
