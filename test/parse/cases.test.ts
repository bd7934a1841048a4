import assert from 'node:assert/strict';
import fs from 'node:fs';
import { parseFeed } from '../../src/parse/parse-feed.js';
import { applyIdentityPolicy, guidsAreUnreliable } from '../../src/parse/identity.js';
import type { ParsedFeed } from '../../src/types.js';
import { caseFile } from '../helpers/paths.js';
import { startLoopback } from '../helpers/loopback.js';

const FEED_URL = 'https://feeds.example.com/feed.xml';

function read(...parts: string[]): string {
  return fs.readFileSync(caseFile(...parts), 'utf8');
}

function parse(text: string, timezone: string | null = null, maxItems = 100): Promise<ParsedFeed> {
  return parseFeed(text, { feedUrl: FEED_URL, timezone, maxItems });
}

function rss(items: string, channelExtra = '', rootAttrs = ''): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"${rootAttrs}><channel><title>T</title><link>https://site.example.com/</link>${channelExtra}
${items}
</channel></rss>`;
}

/** Every control character XML 1.0 forbids. */
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;

describe('parse: failure cases', () => {
  describe('05 unescaped ampersand', () => {
    it('recovers bare & in a title and a link, with a line-numbered warning', async () => {
      const feed = await parse(read('05-unescaped-ampersand', 'feed.xml'));
      assert.equal(feed.items.length, 2);
      assert.equal(feed.items[0]?.title, 'Indie studio: "We run D&D nights on a chat server"');
      assert.equal(feed.items[1]?.url, 'https://games.example.com/articles/2019-08-09-second?ref=rss&utm_source=feed');
      assert.equal(feed.items[1]?.canonicalUrl, 'https://games.example.com/articles/2019-08-09-second?ref=rss');
      assert.deepEqual(
        feed.items.map((i) => i.publishedAt),
        ['2019-08-09T13:38:00.000Z', '2019-08-09T14:00:00.000Z'],
      );
      assert.ok(feed.warnings.some((w) => /unescaped `&`.*line 8/.test(w)), feed.warnings.join('\n'));
    });

    it('variant: bare & in an attribute and before a non-entity name ending in ;', async () => {
      const feed = await parse(
        rss(`<item><title>AT&T &foo; Q&amp;A</title><link>https://a.example.com/x?a=1&b=2</link>
        <enclosure url="https://a.example.com/p.mp3?x=1&y=2" type="audio/mpeg" length="5"/></item>`),
      );
      assert.equal(feed.items[0]?.title, 'AT&T &foo; Q&A');
      assert.equal(feed.items[0]?.url, 'https://a.example.com/x?a=1&b=2');
      assert.equal(feed.items[0]?.enclosures[0]?.url, 'https://a.example.com/p.mp3?x=1&y=2');
    });
  });

  describe('06 illegal control characters', () => {
    it('removes C0 controls before parsing', async () => {
      const feed = await parse(read('06-illegal-control-characters', 'feed.xml'));
      assert.equal(feed.items.length, 2);
      assert.equal(feed.items[0]?.title, 'Release notes for version 2.0');
      assert.equal(feed.items[0]?.summaryHtml, '<p>Please dont use <code>password</code> or <code>123456</code>.</p>');
      assert.equal(feed.items[1]?.summaryHtml, 'Plain text with a form feed here.');
      assert.ok(!FORBIDDEN.test(JSON.stringify(feed.items).replace(/\\u00[01][0-9a-f]/gi, '')));
      assert.ok(!FORBIDDEN.test(feed.items.map((i) => `${i.title}${i.summaryHtml}`).join('')));
      assert.ok(feed.warnings.some((w) => /removed 4 character/.test(w)), feed.warnings.join('\n'));
    });

    it('variant: forbidden characters written as numeric references are dropped too', async () => {
      const feed = await parse(rss(`<item><title>A&#8;B&#x1F;C&#x9;D&#65;</title><link>https://a.example.com/1</link></item>`));
      assert.equal(feed.items[0]?.title, 'ABC DA');
    });
  });

  describe('07 HTML named entities', () => {
    it('maps HTML5 named references XML lacks', async () => {
      const feed = await parse(read('07-html-named-entities', 'feed.xml'));
      assert.equal(feed.items[0]?.title, 'Caf\u00e9 notes\u00a0\u2014 it\u2019s open');
      assert.equal(feed.items[0]?.summaryHtml, 'Score: 5\u00a0of\u00a05 \u00bb read more');
      assert.equal(feed.description, 'News > reviews');
      assert.ok(feed.warnings.some((w) => /nbsp/.test(w)));
    });

    it('variant: entities in attributes and CDATA left alone, unknown names kept literally', async () => {
      const feed = await parse(
        rss(`<item><title>&hellip;&copy;&notaname;</title><link>https://a.example.com/1?q=&eacute;</link>
        <description><![CDATA[<p>&nbsp;x &amp; y</p>]]></description></item>`),
      );
      assert.equal(feed.items[0]?.title, '\u2026\u00a9&notaname;');
      assert.equal(feed.items[0]?.url, 'https://a.example.com/1?q=%C3%A9');
      assert.equal(feed.items[0]?.summaryHtml, '<p>&nbsp;x &amp; y</p>');
    });
  });

  describe('08 escaped markup in Atom titles', () => {
    it('converts each text construct by its type', async () => {
      const feed = await parse(read('08-escaped-markup-in-atom-title', 'feed.atom'));
      assert.equal(feed.format, 'atom');
      assert.deepEqual(
        feed.items.map((i) => i.title),
        ['How should <selectedoption> work?', 'Why </closing-tags> matter', 'Using <dialog> today'],
      );
      assert.equal(feed.items[0]?.summaryHtml, '<p>A proposal for &lt;select&gt; styling.</p>');
    });

    it('variant: RSS title with real inline tags is stripped; Atom html title with tags too', async () => {
      const rssFeed = await parse(rss(`<item><title>&lt;b&gt;Bold&lt;/b&gt; move</title><link>https://a.example.com/1</link></item>`));
      assert.equal(rssFeed.items[0]?.title, 'Bold move');
      const atom = await parse(`<feed xmlns="http://www.w3.org/2005/Atom"><title type="html">&lt;em&gt;Site&lt;/em&gt;</title>
        <entry><id>x</id><title type="html">&lt;i&gt;a&lt;/i&gt; &amp;amp; b</title><link href="https://a.example.com/2"/>
        <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Hi <img src="i.png"/></p></div></content></entry></feed>`);
      assert.equal(atom.title, 'Site');
      assert.equal(atom.items[0]?.title, 'a & b');
      assert.match(atom.items[0]?.contentHtml ?? '', /^<p>Hi <img src="https:\/\/a\.example\.com\/i\.png"\/?><\/p>$/);
    });
  });

  describe('10 media:thumbnail / media:content attributes', () => {
    it('reads thumbnails and picks the image, walking media:group', async () => {
      const feed = await parse(read('10-media-thumbnail-attribute', 'feed.xml'));
      const [a, b] = feed.items;
      assert.equal(a?.thumbnailUrl, 'https://img.example.co.uk/thumbs/45140874.jpg');
      assert.equal(a?.imageUrl, 'https://img.example.co.uk/full/45140874.jpg');
      assert.deepEqual(a?.enclosures, [
        { url: 'https://img.example.co.uk/full/45140874.jpg', type: 'image/jpeg', length: null, title: null },
      ]);
      assert.equal(b?.thumbnailUrl, 'https://img.example.co.uk/thumbs/world-1.jpg');
      assert.equal(b?.imageUrl, 'https://img.example.co.uk/full/world-1-large.jpg');
    });

    it('variant: Media RSS bound to another prefix, no isDefault → widest; relative URLs resolved', async () => {
      const feed = await parse(
        rss(
          `<item><title>x</title><link>https://a.example.com/1</link><m:group>
            <m:content url="/s.jpg" type="image/jpeg" width="100"/><m:content url="/l.jpg" type="image/jpeg" width="900"/>
            <m:thumbnail url="t.jpg"/></m:group></item>`,
          '',
          ' xmlns:m="http://search.yahoo.com/mrss/"',
        ),
      );
      assert.equal(feed.items[0]?.imageUrl, 'https://feeds.example.com/l.jpg');
      assert.equal(feed.items[0]?.thumbnailUrl, 'https://feeds.example.com/t.jpg');
    });
  });

  describe('11 RSS 1.0 (RDF)', () => {
    it('reads items outside channel, rdf:about ids, dc:date, content:encoded', async () => {
      const feed = await parse(read('11-rss1-rdf-feed', 'feed.rdf'));
      assert.equal(feed.format, 'rdf');
      assert.equal(feed.items.length, 2);
      const [a, b] = feed.items;
      assert.equal(a?.title, 'CVE-2019-0001');
      assert.equal(a?.guid, 'https://vulns.example.gov/detail/CVE-2019-0001');
      assert.equal(a?.publishedAt, '2019-04-18T21:29:00.000Z');
      assert.equal(a?.author, 'Example Analyst Team');
      assert.equal(b?.title, 'CVE-2019-0002');
      assert.equal(b?.guid, 'https://vulns.example.gov/detail/CVE-2019-0002');
      assert.equal(b?.publishedAt, '2019-04-19T12:05:00.000Z');
      assert.equal(b?.contentHtml, '<p>Cross-site scripting in the <b>example</b> admin panel.</p>');
    });

    it('reads RSS 0.90: id = link', async () => {
      const feed = await parse(read('11-rss1-rdf-feed', 'feed-rss091-style-without-version.rdf'));
      assert.equal(feed.items.length, 1);
      assert.equal(feed.items[0]?.title, 'Legacy item');
      assert.equal(feed.items[0]?.url, 'https://legacy.example.net/item/1');
      assert.equal(feed.items[0]?.guid, 'https://legacy.example.net/item/1');
    });

    it('variant: rdf:about without link, relative to xml:base', async () => {
      const feed = await parse(`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
        xmlns:d="http://purl.org/dc/elements/1.1/" xml:base="https://rdf.example.org/news/">
        <channel rdf:about="x"><title>R</title><link>/</link></channel>
        <item rdf:about="https://rdf.example.org/news/7"><title>Seven</title><link>7</link><d:date>2020-02-02T02:02:02+01:00</d:date></item>
      </rdf:RDF>`);
      assert.equal(feed.items[0]?.guid, 'https://rdf.example.org/news/7');
      assert.equal(feed.items[0]?.url, 'https://rdf.example.org/news/7');
      assert.equal(feed.items[0]?.publishedAt, '2020-02-02T01:02:02.000Z');
      assert.equal(feed.siteUrl, 'https://rdf.example.org/');
    });
  });

  describe('13 relative URLs in descriptions', () => {
    it('resolves src, href, srcset and fragments against the item link', async () => {
      const feed = await parse(read('13-relative-urls-in-description', 'feed.xml'));
      const html = feed.items[0]?.summaryHtml ?? '';
      const base = 'https://arts.example.org/2021/01/foss-in-2021-preview/';
      assert.ok(html.includes(`src="${base}siril-0-99-7.webp"`), html);
      assert.ok(html.includes('src="https://arts.example.org/images/logo.png"'));
      assert.ok(html.includes('href="https://arts.example.org/2020/12/review/"'));
      assert.ok(html.includes('src="https://cdn.example.net/shared/banner.jpg"'));
      assert.ok(html.includes(`srcset="${base}shot-1x.png 1x, ${base}shot-2x.png 2x"`));
      assert.ok(html.includes(`href="${base}#comments"`));
      assert.ok(html.includes('href="mailto:editor@example.org"'));
    });

    it('variant: xml:base wins over the item link; no link falls back to the feed URL', async () => {
      const feed = await parse(
        rss(`<item xml:base="https://cdn.example.net/post/"><title>a</title><link>https://a.example.com/1</link>
          <description>&lt;img src="p.png"&gt;&lt;video poster="v.jpg"&gt;&lt;/video&gt;</description></item>
          <item><title>b</title><description>&lt;a href="q"&gt;q&lt;/a&gt;</description></item>`),
      );
      assert.equal(feed.items[0]?.summaryHtml, '<img src="https://cdn.example.net/post/p.png"><video poster="https://cdn.example.net/post/v.jpg"></video>');
      assert.equal(feed.items[1]?.summaryHtml, '<a href="https://feeds.example.com/q">q</a>');
    });
  });

  describe('14 two-digit years', () => {
    it('reads 00-49 as 20xx and 50-99 as 19xx', async () => {
      const feed = await parse(read('14-two-digit-year', 'feed.xml'));
      assert.deepEqual(
        feed.items.map((i) => i.publishedAt),
        ['2015-06-30T22:00:00.000Z', '2015-09-02T22:01:01.000Z', '2017-09-22T19:05:03.000Z', '1999-12-31T23:59:59.000Z'],
      );
    });

    it('variant: 49 and 50 boundaries, named US zone', async () => {
      const feed = await parse(
        rss(`<item><title>a</title><link>https://a.example.com/1</link><pubDate>Sat, 01 Jan 49 12:00:00 EST</pubDate></item>
        <item><title>b</title><link>https://a.example.com/2</link><pubDate>Sun, 01 Jan 50 12:00:00 -0000</pubDate></item>`),
      );
      assert.deepEqual(feed.items.map((i) => i.publishedAt), ['2049-01-01T17:00:00.000Z', '1950-01-01T12:00:00.000Z']);
    });
  });

  describe('16 dates without a time zone', () => {
    const body = read('16-date-without-timezone', 'feed.xml');

    it('reads zone-less dates in the source zone', async () => {
      const feed = await parse(body, 'Asia/Shanghai');
      assert.deepEqual(
        feed.items.map((i) => i.publishedAt),
        ['2018-09-09T02:30:00.000Z', '2019-10-04T00:54:59.000Z', '2019-10-04T00:54:59.000Z'],
      );
      assert.ok(feed.items.every((i) => i.dateHadNoZone));
    });

    it('reads them as UTC and flags them when no zone is configured', async () => {
      const feed = await parse(body, null);
      assert.deepEqual(
        feed.items.map((i) => i.publishedAt),
        ['2018-09-09T10:30:00.000Z', '2019-10-04T08:54:59.000Z', '2019-10-04T08:54:59.000Z'],
      );
      assert.ok(feed.items.every((i) => i.dateHadNoZone === true));
    });

    it('variant: a zoned date is not flagged, and a DST zone uses the offset of that date', async () => {
      const feed = await parse(
        rss(`<item><title>a</title><link>https://a.example.com/1</link><pubDate>2021-07-01 12:00:00</pubDate></item>
        <item><title>b</title><link>https://a.example.com/2</link><pubDate>2021-01-01 12:00:00</pubDate></item>
        <item><title>c</title><link>https://a.example.com/3</link><pubDate>2021-01-01T12:00:00+01:00</pubDate></item>`),
        'America/New_York',
      );
      assert.deepEqual(
        feed.items.map((i) => [i.publishedAt, i.dateHadNoZone]),
        [
          ['2021-07-01T16:00:00.000Z', true],
          ['2021-01-01T17:00:00.000Z', true],
          ['2021-01-01T11:00:00.000Z', false],
        ],
      );
    });
  });

  describe('18 invalid Atom date', () => {
    it('keeps every entry; a bad date never aborts the feed', async () => {
      const feed = await parse(read('18-invalid-atom-date-aborts-feed', 'feed.atom'));
      assert.equal(feed.items.length, 3);
      assert.equal(feed.items[0]?.publishedAt, '2018-02-16T06:00:00.000Z');
      assert.equal(feed.items[1]?.publishedAt, '2018-02-16T07:30:00.000Z');
      assert.equal(feed.items[1]?.dateHadNoZone, true);
      assert.equal(feed.items[2]?.publishedAt, null);
      assert.equal(feed.items[2]?.modifiedAt, null);
    });

    it('variant: garbage dates become null with a warning naming the entry', async () => {
      const feed = await parse(`<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title>
        <entry><id>urn:e1</id><title>e1</title><published>next tuesday</published><updated>2018-13-45T99:00:00Z</updated></entry></feed>`);
      assert.equal(feed.items.length, 1);
      assert.equal(feed.items[0]?.publishedAt, null);
      assert.ok(feed.warnings.some((w) => w.includes('urn:e1') && w.includes('next tuesday')), feed.warnings.join('\n'));
    });
  });

  describe('19 duplicate guids', () => {
    it('keys items by link when guids are shared, stably across fetches', async () => {
      const text = read('19-duplicate-guids', 'feed.xml');
      const feed = await parse(text);
      assert.equal(feed.items.length, 10);
      assert.deepEqual(
        feed.items.map((i) => i.title),
        Array.from({ length: 10 }, (_, i) => `Board update #${i + 1}`),
      );
      const links = Array.from(
        { length: 10 },
        (_, i) => `https://boards.example.com/updates/${String(i + 1).padStart(2, '0')}-board-update`,
      );
      assert.deepEqual(feed.items.map((i) => i.url), links);
      assert.deepEqual(feed.items.map((i) => i.guid), links);
      assert.ok(feed.warnings.some((w) => w.startsWith('feed has 10 items sharing GUID "https://boards.example.com/"')));
      const again = await parse(text);
      assert.deepEqual(again.items.map((i) => i.guid), links);
    });

    it('variant: the link policy stays applicable to a later, clean document; exact repeats are merged', async () => {
      const clean = await parse(
        rss(`<item><title>a</title><link>https://a.example.com/1?utm_source=x</link><guid>g1</guid></item>
        <item><title>b</title><link>https://a.example.com/2</link><guid>g2</guid></item>
        <item><title>b</title><link>https://a.example.com/2</link><guid>g2</guid></item>`),
      );
      assert.equal(guidsAreUnreliable(clean.items), false);
      assert.deepEqual(clean.items.map((i) => i.guid), ['g1', 'g2']);
      assert.deepEqual(
        applyIdentityPolicy(clean.items, 'link').map((i) => i.guid),
        ['https://a.example.com/1', 'https://a.example.com/2'],
      );
      assert.deepEqual(applyIdentityPolicy(clean.items, 'guid').map((i) => i.guid), ['g1', 'g2']);
    });
  });

  describe('24 XXE / DOCTYPE', () => {
    it('parses feeds with an external DTD without loading it', async () => {
      const a = await parse(read('24-xxe-external-entity', 'feed-external-dtd.xml'));
      assert.equal(a.title, 'Trail News');
      assert.equal(a.items[0]?.title, 'Spring trail report & closures');
      const b = await parse(read('24-xxe-external-entity', 'feed-file-doctype.xml'));
      assert.equal(b.title, 'DOCTYPE pointing at a local file');
      assert.equal(b.items[0]?.title, 'Ordinary item');
      assert.ok(b.warnings.some((w) => w.includes('file:///etc/hosts') && w.includes('never loaded')));
    });

    it('expands external entities to empty text and names them', async () => {
      const feed = await parse(read('24-xxe-external-entity', 'feed-internal-subset.xml'));
      assert.equal(feed.items.length, 1);
      assert.equal(feed.items[0]?.title, 'Leak:');
      assert.equal(feed.items[0]?.summaryHtml, 'Ping:');
      assert.ok(feed.warnings.some((w) => /secret/.test(w) && /remote/.test(w)), feed.warnings.join('\n'));
      const hostname = fs.existsSync('/etc/hostname') ? fs.readFileSync('/etc/hostname', 'utf8').trim() : '';
      if (hostname.length > 3) assert.ok(!JSON.stringify(feed).includes(hostname));
    });

    it('variant: no connection is made to DTD or entity URLs on a live loopback server', async () => {
      let hits = 0;
      const server = await startLoopback((_req, res) => {
        hits++;
        res.end('<!ENTITY x "LEAKED">');
      });
      try {
        const doc = `<?xml version="1.0"?>
<!DOCTYPE rss SYSTEM "${server.origin}/rss.dtd" [
  <!ENTITY remote SYSTEM "${server.origin}/exfil">
  <!ENTITY site "Example">
]>
${rss(`<item><title>&site; &remote;news</title><link>https://a.example.com/1</link></item>`).replace(/^<\?xml[^>]*>/, '')}`;
        const feed = await parse(doc);
        assert.equal(feed.items[0]?.title, 'Example news');
        assert.ok(!JSON.stringify(feed).includes('LEAKED'));
      } finally {
        await server.close();
      }
      assert.equal(hits, 0);
    });

    it('variant: refuses entity bombs and parameter entities with PARSE_DTD_FORBIDDEN', async () => {
      const bomb = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>${rss('<item><title>&b;</title></item>')}`;
      await assert.rejects(parse(bomb), { code: 'PARSE_DTD_FORBIDDEN' });
      const param = `<!DOCTYPE rss [<!ENTITY % ext SYSTEM "http://127.0.0.1:1/x"> %ext;]>${rss('<item><title>x</title></item>')}`;
      await assert.rejects(parse(param), { code: 'PARSE_DTD_FORBIDDEN' });
      const unterminated = `<!DOCTYPE rss [<!ENTITY a "x">${rss('<item><title>x</title></item>')}`;
      await assert.rejects(parse(unterminated), { code: 'PARSE_DTD_FORBIDDEN' });
    });
  });

  describe('34 enclosure title', () => {
    const input = JSON.parse(read('34-rss2-enclosure-title', 'items.json')) as {
      items: Array<{ link: string; title: string; enclosure: { url: string; type: string; length: number; title: string } }>;
    };
    const item = input.items[0]!;

    it('keeps the title attribute of an RSS enclosure', async () => {
      const e = item.enclosure;
      const feed = await parse(
        rss(`<item><title>${item.title}</title><link>${item.link}</link>
          <enclosure url="${e.url}" type="${e.type}" length="${e.length}" title="${e.title}"/></item>`),
      );
      assert.deepEqual(feed.items[0]?.enclosures, [
        { url: 'https://cdn.example.com/prints/68530ed6.jpg', type: 'image/jpeg', length: 48213, title: 'Photo caption' },
      ]);
      assert.equal(feed.items[0]?.imageUrl, 'https://cdn.example.com/prints/68530ed6.jpg');
    });

    it('variant: Atom rel=enclosure and JSON Feed attachments, bad length → null', async () => {
      const atom = await parse(`<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title><entry><id>e</id><title>t</title>
        <link rel="enclosure" href="/a.mp3" type="audio/mpeg" length="-3" title="Episode"/><link href="https://a.example.com/e"/></entry></feed>`);
      assert.deepEqual(atom.items[0]?.enclosures, [
        { url: 'https://feeds.example.com/a.mp3', type: 'audio/mpeg', length: null, title: 'Episode' },
      ]);
      assert.equal(atom.items[0]?.url, 'https://a.example.com/e');
      const json = await parse(
        JSON.stringify({
          version: 'https://jsonfeed.org/version/1.1',
          title: 'j',
          items: [{ id: 1, url: 'https://j.example.com/1', attachments: [{ url: 'https://j.example.com/a.m4a', mime_type: 'audio/mp4', size_in_bytes: 10, title: 'Audio' }] }],
        }),
      );
      assert.deepEqual(json.items[0]?.enclosures, [{ url: 'https://j.example.com/a.m4a', type: 'audio/mp4', length: 10, title: 'Audio' }]);
      assert.equal(json.items[0]?.guid, '1');
    });
  });

  describe('37 JSON Feed invalid dates', () => {
    const input = JSON.parse(read('37-json-feed-invalid-date', 'items.json')) as {
      items: Array<{ id?: string; link: string; title: string; published: string }>;
    };
    const jsonFeed = JSON.stringify({
      version: 'https://jsonfeed.org/version/1.1',
      title: 'Mixed',
      items: input.items.map((i) => ({ id: i.id, url: i.link, title: i.title, date_published: i.published })),
    });

    it('keeps every item; unusable dates become null; date-only is midnight UTC', async () => {
      const feed = await parse(jsonFeed);
      assert.equal(feed.format, 'json');
      assert.equal(feed.items.length, 4);
      assert.deepEqual(
        feed.items.map((i) => i.publishedAt),
        ['2024-09-01T12:00:00.000Z', null, '2018-09-09T00:00:00.000Z', '2024-09-02T00:00:00.000Z'],
      );
      assert.equal(feed.items[3]?.guid, 'https://src.example.org/no-id');
      assert.ok(feed.items.every((i) => typeof i.guid === 'string' && i.guid !== ''));
      assert.ok(feed.warnings.some((w) => w.includes('Mo, 32 Foo 2024 25:61')));
    });

    it('variant: wrong types in a JSON Feed item do not abort the document', async () => {
      const feed = await parse(
        JSON.stringify({
          version: 'https://jsonfeed.org/version/1',
          items: [
            { id: 'a', url: 'https://j.example.com/a', title: 7, date_published: 12345, content_text: 'Line one\nline two' },
            'not an object',
          ],
        }),
      );
      assert.equal(feed.items.length, 1);
      assert.equal(feed.items[0]?.publishedAt, null);
      assert.equal(feed.items[0]?.title, 'Line one line two');
      assert.equal(feed.items[0]?.contentHtml, '<p>Line one<br>line two</p>');
    });
  });
});
