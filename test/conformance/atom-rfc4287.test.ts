import assert from 'node:assert/strict';
import { startClientFixture, type ClientFixture } from '../clients/fixture.js';
import { rawRequest } from '../helpers/http-request.js';
import { attr, isAbsoluteIri, isLanguageTag, isMimeType, isRfc3339, kids, parseXml, text, type XmlNode } from './syntax.js';

const ATOM_NS = 'http://www.w3.org/2005/Atom';

/** `xml:lang` in scope for a node: its own, else the inherited one (XML 1.0 §2.12). */
function langOf(node: XmlNode, inherited: string | undefined): string | undefined {
  return attr(node, 'xml:lang') ?? inherited;
}

/** RFC 4287 §3.1: a Text construct's `type` is text, html or xhtml (default text). */
function checkTextConstruct(node: XmlNode, where: string): void {
  const type = attr(node, 'type') ?? 'text';
  assert.ok(['text', 'html', 'xhtml'].includes(type), `${where}: text construct type "${type}"`);
}

/** RFC 4287 §4.2.7: href required (an IRI reference; ours are absolute), rel and type well-formed. */
function checkLinks(links: XmlNode[], where: string): void {
  for (const l of links) {
    const href = attr(l, 'href');
    assert.ok(href !== undefined && isAbsoluteIri(href), `${where}: link href ${href}`);
    const type = attr(l, 'type');
    if (type !== undefined) assert.ok(isMimeType(type), `${where}: link type ${type}`);
  }
  // §4.1.1 / §4.1.2: no two rel=alternate links with the same type and hreflang.
  const alternates = links.filter((l) => (attr(l, 'rel') ?? 'alternate') === 'alternate').map((l) => `${attr(l, 'type') ?? ''} ${attr(l, 'hreflang') ?? ''}`);
  assert.equal(new Set(alternates).size, alternates.length, `${where}: duplicate alternate links`);
}

/** Exactly one child `name`, returned. */
function one(node: XmlNode, name: string, where: string): XmlNode {
  const list = kids(node, name);
  assert.equal(list.length, 1, `${where}: exactly one atom:${name} (found ${list.length})`);
  return list[0]!;
}

/** At most one child `name`. */
function atMostOne(node: XmlNode, name: string, where: string): void {
  assert.ok(kids(node, name).length <= 1, `${where}: at most one atom:${name}`);
}

/** §3.2 Person construct: exactly one name; uri an IRI; email an addr-spec. */
function checkPerson(p: XmlNode, where: string): void {
  assert.equal(kids(p, 'name').length, 1, `${where}: author has one name`);
  assert.notEqual(text(kids(p, 'name')[0]).trim(), '', `${where}: author name not empty`);
  for (const u of kids(p, 'uri')) assert.ok(isAbsoluteIri(text(u)), `${where}: author uri`);
  for (const e of kids(p, 'email')) assert.match(text(e), /^[^@\s]+@[^@\s]+$/, `${where}: author email`);
}

/**
 * Checks one Atom document against RFC 4287's MUSTs (feed §4.1.1, entry §4.1.2, constructs §3).
 * @returns the entries (for further checks)
 */
function checkAtom(xml: string, selfUrl: string, viewLang: string | null): XmlNode[] {
  const doc = parseXml(xml);
  assert.deepEqual(Object.keys(doc), ['feed'], 'the root element is atom:feed');
  const feed = doc.feed![0]!;
  assert.equal(attr(feed, 'xmlns'), ATOM_NS, 'in the Atom namespace');
  const feedLang = attr(feed, 'xml:lang');
  if (feedLang !== undefined) assert.ok(isLanguageTag(feedLang), `feed xml:lang ${feedLang}`);

  const id = text(one(feed, 'id', 'feed'));
  assert.ok(isAbsoluteIri(id), `feed id is an IRI: ${id}`);
  checkTextConstruct(one(feed, 'title', 'feed'), 'feed title');
  assert.notEqual(text(kids(feed, 'title')[0]).trim(), '', 'feed title not empty');
  const updated = text(one(feed, 'updated', 'feed'));
  assert.ok(isRfc3339(updated), `feed updated ${updated}`);
  for (const name of ['generator', 'icon', 'logo', 'rights', 'subtitle']) atMostOne(feed, name, 'feed');
  for (const s of kids(feed, 'subtitle')) checkTextConstruct(s, 'feed subtitle');

  const links = kids(feed, 'link');
  checkLinks(links, 'feed');
  const self = links.filter((l) => attr(l, 'rel') === 'self');
  assert.equal(self.length, 1, 'one rel=self link');
  assert.equal(attr(self[0]!, 'href'), selfUrl, 'rel=self is the URL the document was fetched from');
  assert.equal(attr(self[0]!, 'type'), 'application/atom+xml');
  assert.ok(links.some((l) => (attr(l, 'rel') ?? 'alternate') === 'alternate'), 'a rel=alternate link');

  const feedAuthors = kids(feed, 'author');
  for (const a of feedAuthors) checkPerson(a, 'feed');
  const entries = kids(feed, 'entry');
  assert.ok(entries.length > 0, 'entries');
  // §4.1.1: atom:author at feed level unless every entry has one.
  assert.ok(feedAuthors.length > 0 || entries.every((e) => kids(e, 'author').length > 0), 'an author for every entry');

  const ids = new Set<string>();
  for (const [i, e] of entries.entries()) {
    const where = `entry #${i}`;
    const eid = text(one(e, 'id', where));
    assert.ok(isAbsoluteIri(eid), `${where}: id is an IRI: ${eid}`);
    assert.ok(!ids.has(eid), `${where}: id ${eid} repeated`);
    ids.add(eid);
    const title = one(e, 'title', where);
    checkTextConstruct(title, `${where} title`);
    assert.notEqual(text(title).trim(), '', `${where}: title not empty`);
    const up = text(one(e, 'updated', where));
    assert.ok(isRfc3339(up), `${where}: updated ${up}`);
    for (const name of ['content', 'published', 'rights', 'source', 'summary']) atMostOne(e, name, where);
    for (const p of kids(e, 'published')) {
      assert.ok(isRfc3339(text(p)), `${where}: published ${text(p)}`);
      assert.ok(Date.parse(text(p)) <= Date.parse(up), `${where}: published after updated`);
    }
    for (const a of kids(e, 'author')) checkPerson(a, where);
    const elinks = kids(e, 'link');
    checkLinks(elinks, where);
    const content = kids(e, 'content');
    // §4.1.2: an entry without atom:content has a rel=alternate link.
    assert.ok(content.length === 1 || elinks.some((l) => (attr(l, 'rel') ?? 'alternate') === 'alternate'), `${where}: content or alternate link`);
    for (const c of content) {
      const type = attr(c, 'type') ?? 'text';
      assert.ok(['text', 'html', 'xhtml'].includes(type) || isMimeType(type), `${where}: content type ${type}`);
      // §4.1.3.1: with src the content is empty and a summary is required.
      if (attr(c, 'src') !== undefined) assert.equal(kids(e, 'summary').length, 1, `${where}: summary for out-of-line content`);
    }
    for (const s of kids(e, 'summary')) checkTextConstruct(s, `${where} summary`);
    for (const c of kids(e, 'category')) assert.ok((attr(c, 'term') ?? '') !== '', `${where}: category term`);
    // §4.2.11: a source carries its own id/title/updated/links, constrained like the feed's.
    for (const s of kids(e, 'source')) {
      for (const n of ['id', 'title', 'updated']) atMostOne(s, n, `${where} source`);
      for (const sid of kids(s, 'id')) assert.ok(isAbsoluteIri(text(sid)), `${where}: source id ${text(sid)}`);
      for (const su of kids(s, 'updated')) assert.ok(isRfc3339(text(su)), `${where}: source updated`);
      checkLinks(kids(s, 'link'), `${where} source`);
    }
    const lang = langOf(e, feedLang);
    if (lang !== undefined) assert.ok(isLanguageTag(lang), `${where}: xml:lang ${lang}`);
    if (viewLang !== null) {
      assert.ok(lang !== undefined, `${where}: a language view declares xml:lang`);
      assert.equal(lang.split('-')[0]!.toLowerCase(), viewLang, `${where}: entry in the view's language`);
    }
  }
  // §4.1.1: the feed's updated is the most recent instant the feed changed: never before an entry's.
  const newest = Math.max(...entries.map((e) => Date.parse(text(kids(e, 'updated')[0]))));
  assert.ok(Date.parse(updated) >= newest, 'feed updated not older than its newest entry');
  return entries;
}

describe('conformance: Atom 1.0 output meets RFC 4287', function () {
  this.timeout(60_000);
  let f: ClientFixture;
  before(async () => {
    f = await startClientFixture();
  });
  after(() => f?.close());

  for (const [target, lang] of [
    ['/atom.xml', null],
    ['/atom.xml?lang=zh', 'zh'],
    ['/atom.xml?lang=en', 'en'],
  ] as const) {
    it(`${target}: feed and entry id/title/updated, authors, self and alternate links, RFC 3339 dates, xml:lang`, async () => {
      const r = await rawRequest(f.origin, target);
      assert.equal(r.status, 200);
      const entries = checkAtom(r.body.toString('utf8'), `${f.origin}${target}`, lang);
      assert.ok(entries.length > 0);
    });
  }

  it('the checker rejects documents that break RFC 4287 (so the checks above can fail)', async () => {
    const good = (await rawRequest(f.origin, '/atom.xml')).body.toString('utf8');
    const self = `${f.origin}/atom.xml`;
    const broken: Array<[string, string, RegExp]> = [
      ['no feed id', good.replace(/<id>[^<]*<\/id>/, ''), /feed: exactly one atom:id/],
      ['entry without updated', good.replace(/(<entry[^>]*>[\s\S]*?)<updated>[^<]*<\/updated>/, '$1'), /entry #0: exactly one atom:updated/],
      ['date without zone', good.replace(/<updated>([^<]*)Z<\/updated>/, '<updated>$1</updated>'), /feed updated/],
      ['no author anywhere', good.replace(/<author>\s*<name>[^<]*<\/name>\s*<\/author>/, ''), /an author for every entry/],
      ['wrong self link', good.replace(`href="${self}"`, 'href="http://elsewhere.example/atom.xml"'), /rel=self is the URL/],
      ['relative entry id', good.replace(/(<entry[^>]*>[\s\S]*?<id>)[^<]*/, '$1not-an-iri'), /entry #0: id is an IRI/],
    ];
    for (const [what, doc, reason] of broken) {
      assert.notEqual(doc, good, `${what}: the mutation applied`);
      assert.throws(() => checkAtom(doc, self, null), { name: 'AssertionError', message: reason }, what);
    }
  });
});
