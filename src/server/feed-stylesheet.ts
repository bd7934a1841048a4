import { createHash } from 'node:crypto';

/** Path the server answers the feed stylesheet on. */
export const FEED_STYLESHEET_PATH = '/feed.xsl';

/**
 * Media type of the stylesheet. Chromium and Firefox apply an `<?xml-stylesheet type="text/xsl"?>`
 * whose response is `text/xsl` (checked in headless Chromium 156, also with `nosniff`).
 */
export const FEED_STYLESHEET_CONTENT_TYPE = 'text/xsl; charset=utf-8';

/**
 * The href the feeds announce in `<?xml-stylesheet?>`: root-relative, `/feed.xsl`, or under the
 * path of `output.baseUrl` (`https://example.com/news/` → `/news/feed.xsl`).
 *
 * Why not absolute: browsers apply only same-origin XSLT, and a reader may open the feed on
 * another origin than the configured public one (`http://localhost:8080` behind the proxy);
 * a root-relative href resolves against whatever origin served the feed. Why the base's path:
 * behind a reverse proxy that publishes the service under a sub-path, `/feed.xsl` would miss it.
 * Every feed path (`/feed.xml`, `/sources/{id}/feed.xml`, `/tags/{kw}/feed.xml`) shares the one href.
 * @param baseUrl `output.baseUrl` (absolute URL) or null
 * @returns e.g. `/feed.xsl`; an unparsable base counts as none
 */
export function feedStylesheetHref(baseUrl: string | null): string {
  if (baseUrl === null || baseUrl.trim() === '') return FEED_STYLESHEET_PATH;
  let path: string;
  try {
    path = new URL(baseUrl).pathname;
  } catch {
    return FEED_STYLESHEET_PATH;
  }
  return `${path.replace(/\/+$/, '')}${FEED_STYLESHEET_PATH}`;
}

/**
 * The Content-Type to send a feed with, given the request's Accept header.
 *
 * Chromium shows `application/rss+xml` and `application/atom+xml` documents as plain text and
 * never runs their stylesheet (checked in Chromium 156); it applies XSLT only to a generic XML
 * type. So a browser navigation (its Accept names `text/html` and neither feed type) gets the
 * same bytes as `application/xml`; feed readers (which name the feed types, or send `*\/*` or
 * nothing) keep the registered type. Responses then need `Vary: Accept`.
 * @param accept the request's Accept header, if any
 * @param feedContentType the feed's registered type with charset, e.g. `application/rss+xml; charset=utf-8`
 * @returns `feedContentType`, or `application/xml; charset=utf-8` for a browser
 */
export function feedContentTypeFor(accept: string | undefined, feedContentType: string): string {
  if (accept === undefined) return feedContentType;
  const listed = new Map<string, number>();
  for (const part of accept.toLowerCase().split(',')) {
    const [type, ...params] = part.split(';').map((s) => s.trim());
    if (type === undefined || type === '') continue;
    const q = params.map((p) => /^q=([0-9.]+)$/.exec(p)).find((m) => m !== null);
    listed.set(type, q ? Number(q[1]) : 1);
  }
  const wants = (t: string): boolean => (listed.get(t) ?? 0) > 0;
  if (!wants('text/html') || wants('application/rss+xml') || wants('application/atom+xml')) return feedContentType;
  return 'application/xml; charset=utf-8';
}

/**
 * XSLT 1.0 stylesheet that turns duofeed's RSS 2.0 and Atom 1.0 documents into a readable HTML
 * page: what a feed is and how to subscribe (中文 and English), the feed's own URL (its
 * `rel=self` link), and the items with title, link, date, source and keywords.
 *
 * Every value is copied as text (`xsl:value-of`, attribute value templates), never as markup,
 * so hostile titles stay text; item bodies are not shown (they are HTML inside the feed, and
 * `disable-output-escaping` would let them run). Links are emitted only for http(s) URLs.
 * The output holds no script and loads nothing (inline CSS, a `data:` icon so the browser does
 * not ask for /favicon.ico).
 */
export const FEED_STYLESHEET_XSL = `<?xml version="1.0" encoding="utf-8"?>
<!-- duofeed: renders this service's RSS 2.0 and Atom 1.0 feeds as a page for people who open them in a browser. Feed readers ignore it. -->
<xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:atom="http://www.w3.org/2005/Atom"
  exclude-result-prefixes="atom">
<xsl:output method="html" encoding="utf-8" doctype-system="about:legacy-compat" indent="no"/>

<xsl:variable name="isAtom" select="boolean(/atom:feed)"/>
<xsl:variable name="title" select="normalize-space(/rss/channel/title | /atom:feed/atom:title)"/>
<xsl:variable name="description" select="normalize-space(/rss/channel/description | /atom:feed/atom:subtitle)"/>
<xsl:variable name="self" select="(/rss/channel/atom:link[@rel='self']/@href | /atom:feed/atom:link[@rel='self']/@href)[1]"/>
<xsl:variable name="home" select="(/rss/channel/link | /atom:feed/atom:link[@rel='alternate']/@href)[1]"/>
<xsl:variable name="count" select="count(/rss/channel/item | /atom:feed/atom:entry)"/>

<xsl:template name="is-web-url">
  <xsl:param name="url"/>
  <xsl:variable name="u" select="translate(normalize-space($url), 'HTPS', 'htps')"/>
  <xsl:if test="starts-with($u, 'http://') or starts-with($u, 'https://')">yes</xsl:if>
</xsl:template>

<xsl:template match="/">
<html lang="zh">
<head>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<meta name="robots" content="noindex"/>
<title><xsl:value-of select="$title"/> · 订阅源 / Feed</title>
<link rel="icon" href="data:,"/>
<style>
:root { color-scheme: light dark; --fg: #1d232b; --muted: #5d6773; --line: #e3e7ec; --bg: #f6f7f9; --card: #fff; --accent: #c2410c; --accent-bg: #fff4ec; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6e9ed; --muted: #9aa4af; --line: #2c333b; --bg: #14181d; --card: #1b2026; --accent: #fb923c; --accent-bg: #2a1d14; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 16px/1.6 system-ui, -apple-system, "Segoe UI", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif; }
main { max-width: 52rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
a { color: inherit; }
.kind { margin: 0; color: var(--accent); font-weight: 600; font-size: .85rem; letter-spacing: .04em; text-transform: uppercase; }
h1 { margin: .25rem 0 .25rem; font-size: 1.9rem; line-height: 1.25; }
.description { margin: 0 0 1.5rem; color: var(--muted); }
.explain { background: var(--accent-bg); border: 1px solid var(--accent); border-radius: 10px; padding: 1rem 1.25rem; margin-bottom: 2rem; }
.explain p { margin: .2rem 0; }
.explain .url { display: block; margin: .75rem 0 .5rem; padding: .55rem .75rem; background: var(--card); border: 1px solid var(--line); border-radius: 6px; font: .95rem/1.4 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; word-break: break-all; user-select: all; }
.explain .more { font-size: .92rem; color: var(--muted); }
h2 { font-size: 1.15rem; margin: 0 0 .75rem; }
ol.items { list-style: none; margin: 0; padding: 0; }
ol.items li { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: .85rem 1.1rem; margin-bottom: .65rem; }
.item-title { display: block; font-size: 1.05rem; font-weight: 600; line-height: 1.4; text-decoration: none; }
a.item-title:hover { text-decoration: underline; }
.meta { margin-top: .3rem; font-size: .85rem; color: var(--muted); }
.meta span + span::before { content: " · "; }
.tags { margin-top: .45rem; display: flex; flex-wrap: wrap; gap: .3rem; }
.tag { font-size: .78rem; padding: .05rem .5rem; border-radius: 999px; border: 1px solid var(--line); color: var(--muted); }
footer { margin-top: 2rem; font-size: .85rem; color: var(--muted); }
</style>
</head>
<body>
<main>
<p class="kind">
  <xsl:choose>
    <xsl:when test="$isAtom">Atom 1.0</xsl:when>
    <xsl:otherwise>RSS 2.0</xsl:otherwise>
  </xsl:choose>
  · 订阅源 / Feed
</p>
<h1 id="feed-title"><xsl:value-of select="$title"/></h1>
<xsl:if test="$description != ''"><p class="description"><xsl:value-of select="$description"/></p></xsl:if>
<section class="explain" id="how-to-subscribe">
  <p lang="zh"><strong>这是一个订阅源（RSS/Atom feed）。</strong>把下面的网址复制到你的 RSS 阅读器（如 Feedly、Inoreader、NetNewsWire、newsboat）即可订阅，有新文章时阅读器会自动更新。</p>
  <p lang="en"><strong>This is a feed.</strong> Copy this URL into your feed reader (Feedly, Inoreader, NetNewsWire, newsboat, …) to subscribe; the reader picks up new articles by itself.</p>
  <code class="url" id="feed-url"><xsl:value-of select="$self"/></code>
  <p class="more">
    <xsl:variable name="homeOk"><xsl:call-template name="is-web-url"><xsl:with-param name="url" select="$home"/></xsl:call-template></xsl:variable>
    <a>
      <xsl:attribute name="href"><xsl:choose><xsl:when test="$homeOk = 'yes'"><xsl:value-of select="$home"/></xsl:when><xsl:otherwise>/</xsl:otherwise></xsl:choose></xsl:attribute>
      ← 首页：其他格式与语言 / Home: other formats and languages
    </a>
  </p>
</section>
<h2>最新条目 / Latest items (<xsl:value-of select="$count"/>)</h2>
<ol class="items">
  <xsl:apply-templates select="/rss/channel/item | /atom:feed/atom:entry"/>
</ol>
<footer>duofeed · 浏览器看到的是排版后的订阅源，阅读器读到的是原始 XML / Browsers see this styled view; feed readers read the XML itself.</footer>
</main>
</body>
</html>
</xsl:template>

<xsl:template name="render-item">
  <xsl:param name="title"/>
  <xsl:param name="link"/>
  <xsl:param name="date"/>
  <xsl:param name="source"/>
  <xsl:param name="lang"/>
  <xsl:param name="tags"/>
  <li class="item">
    <xsl:if test="$lang != ''"><xsl:attribute name="lang"><xsl:value-of select="$lang"/></xsl:attribute></xsl:if>
    <xsl:variable name="linkOk"><xsl:call-template name="is-web-url"><xsl:with-param name="url" select="$link"/></xsl:call-template></xsl:variable>
    <xsl:choose>
      <xsl:when test="$linkOk = 'yes'"><a class="item-title" href="{normalize-space($link)}"><xsl:value-of select="$title"/></a></xsl:when>
      <xsl:otherwise><span class="item-title"><xsl:value-of select="$title"/></span></xsl:otherwise>
    </xsl:choose>
    <div class="meta">
      <xsl:if test="$source != ''"><span class="source"><xsl:value-of select="$source"/></span></xsl:if>
      <xsl:if test="$date != ''"><span class="date"><xsl:value-of select="$date"/></span></xsl:if>
    </div>
    <xsl:if test="count($tags) &gt; 0">
      <div class="tags"><xsl:for-each select="$tags"><span class="tag"><xsl:value-of select="."/></span></xsl:for-each></div>
    </xsl:if>
  </li>
</xsl:template>

<xsl:template match="item">
  <xsl:variable name="d" select="normalize-space(pubDate)"/>
  <xsl:call-template name="render-item">
    <xsl:with-param name="title" select="normalize-space(title)"/>
    <xsl:with-param name="link" select="link"/>
    <!-- duofeed writes RFC 822 dates as "Wed, 01 Nov 2023 23:49:16 GMT": shown as "2023-11-01 23:49 UTC", like Atom's. -->
    <xsl:with-param name="date">
      <xsl:choose>
        <xsl:when test="string-length($d) = 29 and substring($d, 27) = 'GMT'">
          <xsl:variable name="month" select="substring(substring-after('Jan01Feb02Mar03Apr04May05Jun06Jul07Aug08Sep09Oct10Nov11Dec12', substring($d, 9, 3)), 1, 2)"/>
          <xsl:value-of select="concat(substring($d, 13, 4), '-', $month, '-', substring($d, 6, 2), ' ', substring($d, 18, 5), ' UTC')"/>
        </xsl:when>
        <xsl:otherwise><xsl:value-of select="$d"/></xsl:otherwise>
      </xsl:choose>
    </xsl:with-param>
    <xsl:with-param name="source" select="normalize-space(source)"/>
    <xsl:with-param name="lang" select="''"/>
    <xsl:with-param name="tags" select="category"/>
  </xsl:call-template>
</xsl:template>

<xsl:template match="atom:entry">
  <xsl:variable name="d" select="normalize-space((atom:published | atom:updated)[1])"/>
  <xsl:call-template name="render-item">
    <xsl:with-param name="title" select="normalize-space(atom:title)"/>
    <xsl:with-param name="link" select="(atom:link[@rel='alternate' or not(@rel)]/@href)[1]"/>
    <xsl:with-param name="date">
      <xsl:choose>
        <xsl:when test="string-length($d) &gt;= 16 and substring($d, 11, 1) = 'T' and substring($d, string-length($d)) = 'Z'"><xsl:value-of select="concat(substring($d, 1, 10), ' ', substring($d, 12, 5), ' UTC')"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="$d"/></xsl:otherwise>
      </xsl:choose>
    </xsl:with-param>
    <xsl:with-param name="source" select="normalize-space(atom:source/atom:title)"/>
    <xsl:with-param name="lang" select="@xml:lang"/>
    <xsl:with-param name="tags" select="atom:category/@term"/>
  </xsl:call-template>
</xsl:template>

</xsl:stylesheet>
`;

/** Strong ETag (quoted sha256 prefix) of {@link FEED_STYLESHEET_XSL}, for conditional requests. */
export const FEED_STYLESHEET_ETAG = `"${createHash('sha256').update(FEED_STYLESHEET_XSL, 'utf8').digest('base64url').slice(0, 27)}"`;
