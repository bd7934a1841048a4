import { HTML_VECTORS, URL_VECTORS, type HtmlVector } from './vectors.js';

/** Escapes text for XML element content or a double-quoted attribute. */
export function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Wraps text in CDATA, splitting every `]]>` so the section cannot be closed early. */
export function cdata(s: string): string {
  return `<![CDATA[${s.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

/** A distinct date per vector index, newest first (keeps output order deterministic). */
function dateOf(i: number): Date {
  return new Date(Date.UTC(2025, 5, 1) - i * 60_000);
}

const PROSE = [
  'The research group published a long report on model evaluation this week, describing how benchmark scores drift when test questions leak into training data and what the authors propose to measure instead.',
  'They compared eleven systems on held-out tasks written after the training cut-off, and found that the ranking changed for most of them, with smaller open models closing much of the gap to larger commercial ones.',
  'Independent reviewers said the method is sound but expensive, because new questions must be written by hand for every round, and asked for the question sets to be published once each round has ended.',
];

/**
 * The RSS feed whose items carry each vector in `<description>` (XML-escaped) and as the title
 * (escaped); links point at the loopback server and are never fetched.
 */
export function rssDescriptionFeed(origin: string): string {
  const items = HTML_VECTORS.map(
    (v, i) =>
      `<item><title>${xmlEscape(v.html)}</title><link>${origin}/noop/desc/${v.id}</link><guid isPermaLink="false">desc-${v.id}</guid>` +
      `<pubDate>${dateOf(i).toUTCString()}</pubDate><author>${xmlEscape(v.html)}</author><description>${xmlEscape(v.html)}</description></item>`,
  );
  return rss('Vectors in description', origin, items);
}

/** RSS items with each vector in `content:encoded` (CDATA) and as a CDATA title. */
export function rssContentFeed(origin: string): string {
  const items = HTML_VECTORS.map(
    (v, i) =>
      `<item><title>${cdata(v.html)}</title><link>${origin}/noop/content/${v.id}</link><guid isPermaLink="false">content-${v.id}</guid>` +
      `<pubDate>${dateOf(i).toUTCString()}</pubDate><description>${cdata(`<p>Summary ${v.id}</p>${v.html}`)}</description>` +
      `<content:encoded>${cdata(v.html)}</content:encoded></item>`,
  );
  return rss('Vectors in content:encoded', origin, items);
}

/** Atom entries with each vector in `<content type="html">`, `<summary type="html">` and `<title type="html">`. */
export function atomFeed(origin: string): string {
  const entries = HTML_VECTORS.map(
    (v, i) =>
      `<entry><id>urn:duofeed-test:atom:${v.id}</id><title type="html">${xmlEscape(v.html)}</title>` +
      `<link rel="alternate" href="${origin}/noop/atom/${v.id}"/><updated>${dateOf(i).toISOString()}</updated>` +
      `<summary type="html">${xmlEscape(v.html)}</summary><content type="html">${xmlEscape(v.html)}</content></entry>`,
  );
  return (
    `<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><id>urn:duofeed-test:atom</id>` +
    `<title>Vectors in Atom</title><updated>${dateOf(0).toISOString()}</updated><link rel="alternate" href="${origin}/"/>\n` +
    `${entries.join('\n')}\n</feed>\n`
  );
}

/** JSON Feed 1.1 items with each vector in `content_html` and `title`. */
export function jsonFeed(origin: string): string {
  return JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title: 'Vectors in JSON Feed',
    home_page_url: `${origin}/`,
    items: HTML_VECTORS.map((v, i) => ({
      id: `json-${v.id}`,
      url: `${origin}/noop/json/${v.id}`,
      title: v.html,
      content_html: v.html,
      summary: v.html,
      date_published: dateOf(i).toISOString(),
      authors: [{ name: v.html }],
    })),
  });
}

/** RSS whose items link to article pages that carry the vectors; `head` is one page with page-level vectors in its head. */
export function pagesFeed(origin: string): string {
  const ids = [...HTML_VECTORS.map((v) => v.id), 'head'];
  const items = ids.map(
    (id, i) =>
      `<item><title>Article ${id}</title><link>${origin}/page/${id}.html</link><guid isPermaLink="false">page-${id}</guid>` +
      `<pubDate>${dateOf(i).toUTCString()}</pubDate><description>Teaser of ${id}</description></item>`,
  );
  return rss('Vectors in article pages', origin, items);
}

/** The article page for one vector: real prose around the vector inside `#story`. */
export function articlePage(v: HtmlVector | 'head'): string {
  const head =
    v === 'head'
      ? '<base href="javascript:alert(1)//"><meta http-equiv="refresh" content="0;url=javascript:alert(1)"><link rel="stylesheet" href="javascript:alert(1)">' +
        '<script>alert(1)</script><style>@import "https://evil.example/x.css";</style>'
      : '';
  const vector = v === 'head' ? '<a href="relative/link">a relative link resolved against a hostile base</a>' : v.html;
  const id = v === 'head' ? 'head' : v.id;
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Article ${id}</title>${head}</head><body>` +
    `<nav><a href="/">Home</a> <a href="/about">About</a></nav><main><article><div id="story"><h1>Article ${id}</h1>` +
    `<p>${PROSE[0]}</p>${vector}<p>${PROSE[1]}</p><p>${PROSE[2]}</p></div></article></main>` +
    `<footer><p>Copyright the publisher</p></footer></body></html>`
  );
}

/** RSS whose item links, enclosures, thumbnails and media:content carry the hostile URLs; the channel link too. */
export function rssUrlFeed(origin: string): string {
  const items = URL_VECTORS.map(
    (u, i) =>
      `<item><title>URL ${u.id}</title><link>${xmlEscape(u.url)}</link><guid isPermaLink="false">rss-${u.id}</guid>` +
      `<pubDate>${dateOf(i).toUTCString()}</pubDate><description>url vector ${u.id}</description>` +
      `<enclosure url="${xmlEscape(u.url)}" type="audio/mpeg" length="1"/>` +
      `<media:thumbnail url="${xmlEscape(u.url)}"/><media:content url="${xmlEscape(u.url)}" medium="image" type="image/png"/></item>`,
  );
  return rss('Hostile URLs', 'javascript:alert(1)', items, ' xmlns:media="http://search.yahoo.com/mrss/"');
}

/** Atom entries whose alternate and enclosure links carry the hostile URLs; the feed link too. */
export function atomUrlFeed(): string {
  const entries = URL_VECTORS.map(
    (u, i) =>
      `<entry><id>urn:duofeed-test:url:${u.id}</id><title>URL ${u.id}</title><updated>${dateOf(i).toISOString()}</updated>` +
      `<link rel="alternate" href="${xmlEscape(u.url)}"/><link rel="enclosure" href="${xmlEscape(u.url)}" type="image/png" length="1"/>` +
      `<content type="html">url vector ${u.id}</content></entry>`,
  );
  return (
    `<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><id>urn:duofeed-test:urls</id>` +
    `<title>Hostile URLs in Atom</title><updated>${dateOf(0).toISOString()}</updated><link rel="alternate" href="vbscript:msgbox(1)"/>\n` +
    `${entries.join('\n')}\n</feed>\n`
  );
}

/** JSON Feed items whose url, external_url, image, banner_image and attachments carry the hostile URLs. */
export function jsonUrlFeed(): string {
  return JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title: 'Hostile URLs in JSON',
    home_page_url: 'data:text/html,<script>alert(1)</script>',
    items: URL_VECTORS.map((u, i) => ({
      id: `jurl-${u.id}`,
      url: u.url,
      external_url: u.url,
      image: u.url,
      banner_image: u.url,
      title: `URL ${u.id}`,
      content_html: `url vector ${u.id}`,
      date_published: dateOf(i).toISOString(),
      attachments: [{ url: u.url, mime_type: 'image/png' }],
    })),
  });
}

function rss(title: string, link: string, items: string[], ns = ''): string {
  return (
    `<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"${ns}><channel>` +
    `<title>${xmlEscape(title)}</title><link>${xmlEscape(link)}</link><description>built by the hostile test</description>\n` +
    `${items.join('\n')}\n</channel></rss>\n`
  );
}
