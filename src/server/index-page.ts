import { FEED_PATHS } from '../publish/feed-meta.js';
import type { SourceInfo } from '../publish/source-info.js';
import type { OutputConfig } from '../types.js';

/**
 * A minimal HTML index: the feed title, subscribe links for the three formats (also as
 * `<link rel="alternate">` for feed autodiscovery), links to each per-language view
 * (`?lang=`) and the list of sources.
 * @param output feed title and description; `languages` lists the views (none when absent)
 * @param selfBaseUrl base URL, no trailing slash
 * @param sources sources in display order
 * @returns an HTML5 document, every value escaped
 */
export function renderIndexPage(
  output: Pick<OutputConfig, 'title' | 'description'> & Partial<Pick<OutputConfig, 'languages'>>,
  selfBaseUrl: string,
  sources: readonly SourceInfo[],
): string {
  const rss = `${selfBaseUrl}${FEED_PATHS.rss}`;
  const atom = `${selfBaseUrl}${FEED_PATHS.atom}`;
  const json = `${selfBaseUrl}${FEED_PATHS.json}`;
  const title = esc(output.title);
  const sourceItems = sources
    .map((s) => `<li>${s.siteUrl ? `<a href="${esc(s.siteUrl)}">${esc(s.name)}</a>` : esc(s.name)} (<a href="${esc(s.feedUrl)}">feed</a>)</li>`)
    .join('\n');
  const views = (output.languages ?? [])
    .map((l) => {
      const q = `?lang=${encodeURIComponent(l)}`;
      return `<li>${esc(l)}: <a href="${esc(rss + q)}">RSS 2.0</a> · <a href="${esc(atom + q)}">Atom 1.0</a> · <a href="${esc(json + q)}">JSON Feed 1.1</a></li>`;
    })
    .join('\n');
  const viewSection = views === '' ? '' : `<h2>单一语言 / One language</h2>\n<ul>\n${views}\n</ul>\n`;
  return `<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<title>${title}</title>
<link rel="alternate" type="application/rss+xml" title="${title} (RSS)" href="${esc(rss)}">
<link rel="alternate" type="application/atom+xml" title="${title} (Atom)" href="${esc(atom)}">
<link rel="alternate" type="application/feed+json" title="${title} (JSON Feed)" href="${esc(json)}">
</head>
<body>
<h1>${title}</h1>
<p>${esc(output.description)}</p>
<h2>订阅 / Subscribe</h2>
<ul>
<li><a href="${esc(rss)}">RSS 2.0</a></li>
<li><a href="${esc(atom)}">Atom 1.0</a></li>
<li><a href="${esc(json)}">JSON Feed 1.1</a></li>
</ul>
${viewSection}<h2>来源 / Sources</h2>
<ul>
${sourceItems}
</ul>
</body>
</html>
`;
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
