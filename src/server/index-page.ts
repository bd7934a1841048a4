import { FEED_PATHS } from '../publish/feed-meta.js';
import { languageVersions, type ItemVersion } from '../publish/item-versions.js';
import { unknownSourceInfo, type SourceInfo } from '../publish/source-info.js';
import { toXmlChars } from '../publish/xml-chars.js';
import type { Article, OutputConfig } from '../types.js';
import type { SourceHealth } from './health.js';

/** Items the index page lists (newest first). */
export const INDEX_PAGE_ITEMS = 30;

/**
 * Content-Security-Policy of the index page: nothing but its own inline CSS and `data:` images
 * (the icon). No script may run even if some stored text slipped through as markup.
 */
export const INDEX_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** What {@link renderIndexPage} shows. */
export interface IndexPageInput {
  /** Feed title and description; `languages` (primary first) lists the per-language views. */
  output: Pick<OutputConfig, 'title' | 'description'> & Partial<Pick<OutputConfig, 'languages'>>;
  /** Base of the subscribe links, no trailing slash (e.g. `https://news.example.com`). */
  selfBaseUrl: string;
  /** Attribution per source id (names, home pages, declared languages). */
  sources: ReadonlyMap<string, SourceInfo>;
  /** Latest articles, newest first (the caller limits them, see {@link INDEX_PAGE_ITEMS}). */
  articles: readonly Article[];
  /** One health line per configured source (`buildHealthReport`), in display order. */
  health: readonly SourceHealth[];
  /** When the page was made (UTC ISO), shown in the footer. */
  generatedAt: string;
}

// Name of a language as a Chinese and as an English reader call it.
const LANGUAGE_NAMES: Record<string, [zh: string, en: string]> = {
  zh: ['中文', 'Chinese'],
  en: ['英文', 'English'],
  ja: ['日文', 'Japanese'],
  ko: ['韩文', 'Korean'],
  fr: ['法文', 'French'],
  de: ['德文', 'German'],
  es: ['西班牙文', 'Spanish'],
};

/**
 * The HTML index (`GET /`): subscribe links for RSS 2.0, Atom 1.0 and JSON Feed 1.1, for the
 * merged feed and each per-language view (`?lang=`), the OPML list of sources, the latest items
 * (each language version's title with its `lang`, source, `<time datetime>`, keywords per
 * language) and every source's health (last success, consecutive errors with the last error
 * code and message, next poll). Headings are bilingual (中文 / English).
 *
 * The data is hostile (feed titles, error messages): every value is escaped as text, control
 * characters are dropped, and only http(s) URLs become links. The page has no script and loads
 * nothing: inline CSS, a `data:` icon; serve it with {@link INDEX_PAGE_CSP}.
 * Feed autodiscovery: `<link rel="alternate">` for the three formats of the merged feed.
 * @param input output config, base URL, attribution, latest articles, health lines, time
 * @returns an HTML5 document (UTF-8 text); never throws for any data
 */
export function renderIndexPage(input: IndexPageInput): string {
  const { output, selfBaseUrl } = input;
  const languages = output.languages ?? [];
  const title = esc(output.title);
  const url = (format: keyof typeof FEED_PATHS, lang: string | null): string =>
    `${selfBaseUrl}${FEED_PATHS[format]}${lang === null ? '' : `?lang=${encodeURIComponent(lang)}`}`;
  return `<!DOCTYPE html>
<html lang="${esc(languages[0] ?? 'zh')}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<meta name="description" content="${esc(output.description)}">
<link rel="icon" href="${ICON}">
<link rel="alternate" type="application/rss+xml" title="${title} (RSS 2.0)" href="${esc(url('rss', null))}">
<link rel="alternate" type="application/atom+xml" title="${title} (Atom 1.0)" href="${esc(url('atom', null))}">
<link rel="alternate" type="application/feed+json" title="${title} (JSON Feed 1.1)" href="${esc(url('json', null))}">
<style>${CSS}</style>
</head>
<body>
<header class="top">
<div class="wrap">
<h1>${title}</h1>
<p class="lede">${esc(output.description)}</p>
</div>
</header>
<main class="wrap">
${subscribeSection(url, languages, selfBaseUrl)}
${itemsSection(input, languages)}
${sourcesSection(input)}
</main>
<footer class="wrap">duofeed · 生成于 / generated <time datetime="${esc(input.generatedAt)}">${esc(displayTime(input.generatedAt))}</time> · <a href="${esc(`${selfBaseUrl}/healthz`)}">healthz</a></footer>
</body>
</html>
`;
}

function subscribeSection(url: (f: keyof typeof FEED_PATHS, l: string | null) => string, languages: readonly string[], selfBaseUrl: string): string {
  const views: Array<{ label: string; lang: string | null }> = [{ label: '双语合并 / Bilingual', lang: null }];
  for (const l of languages) {
    const [zh, en] = LANGUAGE_NAMES[l] ?? [l, l];
    views.push({ label: `仅${zh} / ${en} only`, lang: l });
  }
  const rows = views
    .map(
      (v) => `<tr${v.lang === null ? '' : ` data-lang="${esc(v.lang)}"`}><th scope="row">${esc(v.label)}</th>${(['rss', 'atom', 'json'] as const)
        .map((f) => `<td><a class="feed" href="${esc(url(f, v.lang))}">${FORMAT_LABELS[f]}</a></td>`)
        .join('')}</tr>`,
    )
    .join('\n');
  return `<section id="subscribe" class="card">
<h2>订阅 / Subscribe</h2>
<p>把链接复制到 RSS 阅读器即可订阅。 <span lang="en">Copy a link into your feed reader to subscribe.</span></p>
<p class="main-url"><code>${esc(url('rss', null))}</code></p>
<div class="scroll-x">
<table class="feeds">
<thead><tr><th scope="col">视图 / View</th><th scope="col">RSS</th><th scope="col">Atom</th><th scope="col">JSON</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</div>
<p class="opml"><a href="${esc(`${selfBaseUrl}/sources.opml`)}">OPML</a> — 全部来源的 OPML 列表，可导入阅读器 / all sources as OPML, to import into a reader</p>
</section>`;
}

function itemsSection(input: IndexPageInput, languages: readonly string[]): string {
  if (input.articles.length === 0) {
    return `<section id="latest"><h2>最新 / Latest</h2><p class="empty">还没有条目 / No items yet.</p></section>`;
  }
  const items = input.articles
    .map((a) => {
      const source = input.sources.get(a.sourceId) ?? unknownSourceInfo(a.sourceId);
      const versions = languageVersions(a, source, languages);
      const href = webUrl(a.url);
      const titles = versions.map((v, i) => versionTitle(v, i === 0, i === 0 ? href : null)).join('\n');
      const keywords = versions
        .filter((v) => v.keywords.length > 0)
        .map((v) => `<li lang="${esc(v.lang)}"><span class="kw-lang">${esc(languageName(v.key))}</span>${v.keywords.map((k) => `<span class="kw">${esc(k)}</span>`).join('')}</li>`)
        .join('');
      const when = a.publishedAt ?? a.firstSeenAt;
      return `<li class="item" id="item-${esc(a.id)}">
${titles}
<p class="meta"><span class="source">${esc(source.name)}</span><time datetime="${esc(when)}">${esc(displayTime(when))}</time>${href === null ? '' : `<a class="original" href="${esc(href)}" rel="noopener noreferrer">原文 / Original</a>`}</p>
${keywords === '' ? '' : `<ul class="keywords">${keywords}</ul>`}
</li>`;
    })
    .join('\n');
  return `<section id="latest">
<h2>最新 / Latest <span class="count">${input.articles.length}</span></h2>
<ol class="items">
${items}
</ol>
</section>`;
}

// The first version is the headline (linked); the others follow it, each in its own language.
function versionTitle(v: ItemVersion, headline: boolean, href: string | null): string {
  const badge = `<span class="badge">${esc(languageName(v.key))}${v.translation === null ? '' : ' · 译 / translated'}</span>`;
  const text = href === null ? esc(v.title) : `<a href="${esc(href)}" rel="noopener noreferrer">${esc(v.title)}</a>`;
  return `<p class="${headline ? 'title' : 'title-alt'}" lang="${esc(v.lang)}">${text} ${badge}</p>`;
}

function sourcesSection(input: IndexPageInput): string {
  if (input.health.length === 0) return `<section id="sources"><h2>来源 / Sources</h2><p class="empty">没有配置来源 / No sources configured.</p></section>`;
  const rows = input.health
    .map((h) => {
      const info = input.sources.get(h.id);
      const site = webUrl(info?.siteUrl ?? null);
      const feed = webUrl(h.feedUrl);
      const status = sourceStatus(h);
      const error =
        h.errorCount > 0
          ? `<div class="error"><strong>${esc(String(h.errorCount))}</strong> 次连续失败 / consecutive errors${h.lastErrorCode === null ? '' : ` · <code>${esc(h.lastErrorCode)}</code>`}${h.lastErrorMessage === null ? '' : `<br><span class="msg">${esc(h.lastErrorMessage)}</span>`}</div>`
          : '';
      return `<tr class="source status-${status.key}" id="source-${esc(h.id)}">
<td><div class="name">${site === null ? esc(h.name) : `<a href="${esc(site)}" rel="noopener noreferrer">${esc(h.name)}</a>`}</div>${feed === null ? '' : `<div class="feed-url"><a href="${esc(feed)}" rel="noopener noreferrer">${esc(h.feedUrl)}</a></div>`}${error}</td>
<td><span class="status">${esc(status.label)}</span>${h.disabledReason === null ? '' : `<div class="msg">${esc(h.disabledReason)}</div>`}</td>
<td class="last-success">${timeOrDash(h.lastSuccessAt)}</td>
<td class="next-poll">${timeOrDash(h.nextPollAt)}</td>
<td class="num">${esc(String(h.items))}</td>
</tr>`;
    })
    .join('\n');
  return `<section id="sources">
<h2>来源 / Sources</h2>
<div class="table-scroll">
<table class="sources">
<thead><tr><th scope="col">来源 / Source</th><th scope="col">状态 / Status</th><th scope="col">上次成功 / Last success</th><th scope="col">下次抓取 / Next poll</th><th scope="col" class="num">条目 / Items</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</div>
</section>`;
}

function sourceStatus(h: SourceHealth): { key: 'ok' | 'failing' | 'disabled' | 'new'; label: string } {
  if (h.disabledReason !== null) return { key: 'disabled', label: '已停用 / Disabled' };
  if (h.errorCount > 0) return { key: 'failing', label: '出错 / Failing' };
  if (h.lastSuccessAt === null) return { key: 'new', label: '尚未抓取 / Not polled yet' };
  return { key: 'ok', label: '正常 / OK' };
}

function timeOrDash(iso: string | null): string {
  return iso === null ? '<span class="none">—</span>' : `<time datetime="${esc(iso)}">${esc(displayTime(iso))}</time>`;
}

// Deterministic and zone-free: the reader's zone is unknown without script.
function displayTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const d = new Date(ms).toISOString();
  return `${d.slice(0, 10)} ${d.slice(11, 16)} UTC`;
}

// Each language in its own name: what a reader of that text recognizes.
function languageName(key: string): string {
  return key === 'zh' ? '中文' : (LANGUAGE_NAMES[key]?.[1] ?? key);
}

// Only web links: a stored `javascript:` or `data:` URL from a hostile feed must not become one.
function webUrl(url: string | null): string | null {
  if (url === null || !/^https?:\/\//i.test(url.trim())) return null;
  try {
    return new URL(url.trim()).href;
  } catch {
    return null;
  }
}

/**
 * Escapes text for HTML content and double-quoted attributes; drops characters that are not
 * XML/HTML text (controls, noncharacters) so hostile bytes cannot garble the page.
 */
function esc(text: string): string {
  return toXmlChars(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const FORMAT_LABELS = { rss: 'RSS 2.0', atom: 'Atom 1.0', json: 'JSON Feed 1.1' } as const;

// Two stacked "speech bubbles" (two languages) as an inline SVG, so the browser asks for no /favicon.ico.
const ICON =
  "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E%3Crect x='2' y='4' width='20' height='15' rx='4' fill='%23c2410c'/%3E%3Crect x='10' y='13' width='20' height='15' rx='4' fill='%230f766e'/%3E%3C/svg%3E";

const CSS = `
:root { color-scheme: light dark; --fg: #1d232b; --muted: #5d6773; --line: #e3e7ec; --bg: #f6f7f9; --card: #fff; --accent: #c2410c; --accent-2: #0f766e; --bad: #b91c1c; --bad-bg: #fef2f2; --ok: #15803d; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6e9ed; --muted: #9aa4af; --line: #2c333b; --bg: #14181d; --card: #1b2026; --accent: #fb923c; --accent-2: #2dd4bf; --bad: #f87171; --bad-bg: #2a1717; --ok: #4ade80; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 16px/1.6 system-ui, -apple-system, "Segoe UI", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif; }
a { color: inherit; text-decoration-color: var(--muted); }
a:hover { color: var(--accent); }
.wrap { max-width: 60rem; margin: 0 auto; padding: 0 1.25rem; }
.top { background: linear-gradient(120deg, var(--accent), var(--accent-2)); color: #fff; padding: 2.25rem 0 2rem; margin-bottom: 1.75rem; }
.top h1 { margin: 0; font-size: 2.2rem; letter-spacing: .01em; }
.top .lede { margin: .35rem 0 0; opacity: .92; }
h2 { font-size: 1.2rem; margin: 2rem 0 .8rem; }
h2 .count { font-size: .8rem; font-weight: 600; color: var(--muted); border: 1px solid var(--line); border-radius: 999px; padding: .05rem .55rem; vertical-align: middle; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 12px; padding: .25rem 1.25rem 1rem; }
.card h2 { margin-top: 1rem; }
.main-url code { display: block; padding: .5rem .75rem; border: 1px dashed var(--line); border-radius: 6px; font: .95rem/1.4 ui-monospace, Menlo, Consolas, monospace; word-break: break-all; user-select: all; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .5rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
thead th { font-size: .8rem; color: var(--muted); font-weight: 600; }
table.feeds td a.feed { display: inline-block; padding: .15rem .6rem; border-radius: 6px; background: var(--bg); border: 1px solid var(--line); text-decoration: none; font-size: .9rem; white-space: nowrap; }
table.feeds td a.feed:hover { border-color: var(--accent); }
.opml { font-size: .92rem; color: var(--muted); margin-bottom: 0; }
.opml a { font-weight: 600; color: var(--fg); }
ol.items { list-style: none; margin: 0; padding: 0; }
li.item { background: var(--card); border: 1px solid var(--line); border-radius: 12px; padding: .9rem 1.2rem; margin-bottom: .7rem; }
.title { margin: 0; font-size: 1.08rem; font-weight: 650; line-height: 1.45; }
.title a { text-decoration: none; }
.title-alt { margin: .2rem 0 0; color: var(--muted); line-height: 1.45; }
.badge { display: inline-block; font-size: .7rem; font-weight: 600; color: var(--accent-2); border: 1px solid currentColor; border-radius: 4px; padding: 0 .35rem; vertical-align: .1em; white-space: nowrap; }
.meta { margin: .45rem 0 0; font-size: .85rem; color: var(--muted); }
.meta > * + *::before { content: "·"; display: inline-block; margin: 0 .45rem; color: var(--muted); }
.keywords { list-style: none; margin: .5rem 0 0; padding: 0; display: grid; gap: .3rem; }
.keywords li { display: flex; flex-wrap: wrap; gap: .3rem; align-items: center; }
.kw-lang { font-size: .72rem; color: var(--muted); min-width: 3.8rem; }
.kw { font-size: .78rem; padding: .02rem .5rem; border-radius: 999px; background: var(--bg); border: 1px solid var(--line); }
.table-scroll { overflow-x: auto; background: var(--card); border: 1px solid var(--line); border-radius: 12px; }
table.sources { font-size: .9rem; min-width: 40rem; }
.scroll-x { overflow-x: auto; }
@media (max-width: 40rem) { .top h1 { font-size: 1.6rem; } th, td { padding: .45rem .35rem; } li.item { padding: .8rem .9rem; } }
table.sources tr:last-child td { border-bottom: 0; }
table.sources .name { font-weight: 600; }
.feed-url, .msg { font-size: .78rem; color: var(--muted); word-break: break-all; }
.num { text-align: right; }
.status { font-weight: 600; white-space: nowrap; }
.status-ok .status { color: var(--ok); }
.status-failing .status, .error strong { color: var(--bad); }
.status-disabled .status, .status-new .status { color: var(--muted); }
.error { margin-top: .4rem; padding: .35rem .55rem; background: var(--bad-bg); border-radius: 6px; font-size: .82rem; }
.error code { font-size: .78rem; }
.none, .empty { color: var(--muted); }
footer.wrap { margin-top: 2.5rem; padding-bottom: 2.5rem; font-size: .82rem; color: var(--muted); }
`;
