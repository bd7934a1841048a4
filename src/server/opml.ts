import type { SourceInfo } from '../publish/source-info.js';
import { escapeXmlAttr, escapeXmlText } from '../publish/xml-chars.js';

/**
 * The configured sources as an OPML 2.0 subscription list (http://opml.org/spec2.opml): one
 * `<outline type="rss">` per source with `text`/`title` (its name), `xmlUrl` (its feed),
 * `htmlUrl` (its site, when known) and `language`, so a reader can subscribe to them directly.
 * Deterministic: sources in the given order, no "now" date.
 * @param title the document title (output.title)
 * @param sources attribution records, in config order
 * @returns the OPML document (UTF-8 text)
 */
export function renderOpml(title: string, sources: readonly SourceInfo[]): string {
  const outlines = sources
    .filter((s) => s.feedUrl !== '')
    .map((s) => {
      const attrs = [
        ['type', 'rss'],
        ['text', s.name],
        ['title', s.name],
        ['xmlUrl', s.feedUrl],
        ...(s.siteUrl ? [['htmlUrl', s.siteUrl]] : []),
        ...(s.language ? [['language', s.language]] : []),
      ];
      return `    <outline ${attrs.map(([k, v]) => `${k}="${escapeXmlAttr(v as string)}"`).join(' ')}/>`;
    });
  return `<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head>
    <title>${escapeXmlText(title)}</title>
  </head>
  <body>
${outlines.join('\n')}
  </body>
</opml>
`;
}
