import type { CheerioAPI } from 'cheerio';
import type { Element } from 'domhandler';
import { nodeText } from './node-text.js';
import { classAndId } from './remove-boilerplate.js';
import { collapseWhitespace, textLength } from './text-stats.js';

/**
 * Article "furniture": the parts of an article page that sit inside the article's own container
 * but are not its body text — the headline repeated from the page title, bylines, dates,
 * photo captions and credits, reading-time notes, "Related"/"Advertisement" labels. Feed readers
 * show the item's title, author and date from the feed itself, so repeating them in the body is
 * noise; and readers' extraction benchmarks score them as not-body.
 */

/** Letters and digits only, lower-cased. */
const squash = (s: string): string => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

/** Word-character tokens, lower-cased (letters, digits; any script). */
const words = (s: string): string[] => s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

/** Separators sites put between the headline and the site name in `<title>`. */
const TITLE_SEPARATORS = /\s+[|\-–—:·•»]\s+/;

/** What the page says about itself in `<head>`, used to recognise its furniture in the body. */
export interface PageMeta {
  /** Candidate titles as lower-cased word lists (see {@link pageMeta}). */
  titles: string[][];
}

/**
 * Reads the page's titles from `<head>`; call before boilerplate removal drops `<meta>`.
 * Titles: `<title>` (whole, and its longest part around ` | `, ` - `, ` — ` …), `og:title`,
 * `twitter:title`, as distinct non-empty word lists. (A meta-description "standfirst" rule was
 * measured and dropped: the description is as often the article's first paragraph.)
 * @param $ loaded cheerio document
 * @returns titles (never throws)
 */
export function pageMeta($: CheerioAPI): PageMeta {
  return { titles: pageTitles($) };
}

function pageTitles($: CheerioAPI): string[][] {
  const raw: string[] = [];
  const title = collapseWhitespace($('head title').first().text() || $('title').first().text());
  if (title) {
    raw.push(title);
    const parts = title.split(TITLE_SEPARATORS).sort((a, b) => b.length - a.length);
    if (parts.length > 1 && parts[0]) raw.push(parts[0]);
  }
  for (const name of ['og:title', 'twitter:title']) {
    const v = $(`meta[property="${name}"], meta[name="${name}"]`).first().attr('content');
    if (v) raw.push(collapseWhitespace(v));
  }
  const seen = new Set<string>();
  const out: string[][] = [];
  for (const t of raw) {
    const w = words(t);
    const key = w.join(' ');
    if (w.length > 0 && !seen.has(key)) {
      seen.add(key);
      out.push(w);
    }
  }
  return out;
}

/**
 * True when a heading repeats one of the page titles: at least 80 % of its words are in the
 * title and it covers at least 60 % of the title's words (a site-name suffix in `<title>` is
 * then tolerated, a section heading that shares a few words is not).
 */
function duplicatesTitle(heading: string, titles: string[][]): boolean {
  const h = words(heading);
  if (h.length === 0) return false;
  return titles.some((t) => {
    const set = new Set(t);
    const inTitle = h.filter((w) => set.has(w)).length;
    const hs = new Set(h);
    const covered = t.filter((w) => hs.has(w)).length;
    return inTitle / h.length >= 0.8 && covered / t.length >= 0.6;
  });
}

/** Class/id words of bylines, datelines, captions and credits (whole words of the split name). */
const FURNITURE_NAME = /(?:^|[^a-z])(?:by-?line|bylines|author|authors|author-?(?:name|info|details|bio|box)|dateline|date|dates|timestamp|time-?stamp|pub-?date|publish(?:ed)?-?(?:date|on|at)?|posted-?on|updated|caption|captions|credit|credits|photo-?credit|image-?credit|wp-caption-text|reading-?time|read-?time)(?:[^a-z]|$)/;

/** Short UI labels that are never prose when they stand alone on a line. */
const UI_LABEL = /^(?:advertisement|advertising|advert|ad|sponsored|caption|close|back to gallery|previous post|next post|previous|next|share|share this|share this article|sharing is caring!?|subscribe|comments?|\d+ comments?|leave a comment|read more|related|related articles|related posts|related stories|see more|see also|don't miss|you may also like\.*|you might also like\.*|more stories|recommended|most popular|trending|image \d+ of \d+|\d+ of \d+|tags?:?|topics?:?|filed under:?|about the author|print|email|tweet|pin it)$/i;

/** Line-start words of photo credits: `Photo: …`, `Image copyright Getty Images`, `(Image credit: …)`. */
const CREDIT_LINE = /^\(?(?:photo|image|picture|foto|credit|source|getty|ap photo|image copyright|image caption|photograph)s?\b[^.!?]{0,80}\)?$/i;

/** A line that only states when (and by whom) the piece was published or updated. */
const DATE_LINE = /^(?:(?:first |last )?(?:published|updated|posted|modified|publicado|atualizado|publié|mis à jour|veröffentlicht|aktualisiert|pubblicato|aggiornato)(?: on| at| em| le| am| il)?:? .{0,100}|(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2})(?:,? \d{1,2}:\d{2}(?: ?[ap]\.?m\.?)?)?(?: [-|–—] .{0,80})?)$/i;

/** Elements whose own text forms one line of the rendered body. */
const LINE_BLOCKS = 'p, div, span, li, h2, h3, h4, h5, h6, figcaption, small, em, strong';

const MAX_FURNITURE_CHARS = 200;

function shortText(el: Element): string {
  return collapseWhitespace(nodeText(el));
}

/**
 * Removes article furniture from the chosen container (generic route only; a site's selector rule
 * is taken as the site's word). Removed:
 * - `h1`–`h3` headings that repeat the page title (Readability's "header duplicates title"),
 *   unless written beside the post's own paragraphs (a blog post's title inside its body, case 30);
 * - `<time>` elements;
 * - elements named (class/id) byline, author, date, dateline, timestamp, caption, credit,
 *   reading time, when their text is short (≤ 200 chars) and they hold no image — a long block
 *   so named is content; a plain `<figure><figcaption>` stays with its image;
 * - lines that are only a UI label ("Advertisement", "Related", "Image 2 of 5", "Previous post"),
 *   a photo credit ("Photo: AP", "Image copyright Getty Images") or a published/updated date line;
 * - lines of 4+ words that are wholly a link ("READ MORE: …", in-body related headlines);
 * - teaser cards of other articles (two or more short nested `<article>`s with a linked headline);
 * - `div`/`figcaption` blocks repeating an earlier block word for word (gallery captions).
 * Mutates the container in place.
 * @param $ the document the container belongs to
 * @param container the extracted content root
 * @param meta page titles from {@link pageMeta}
 */
export function removeArticleFurniture($: CheerioAPI, container: Element, meta: PageMeta): void {
  const titles = meta.titles;
  if (titles.length > 0) {
    $(container)
      .find('h1, h2, h3')
      .each((_, el) => {
        const parent = el.parent;
        const besideProse = parent?.type === 'tag' && parent.children.some((c) => c.type === 'tag' && c.name === 'p');
        if (!besideProse && duplicatesTitle(nodeText(el), titles)) $(el).remove();
      });
  }
  $(container).find('time').remove();
  $(container)
    .find('*')
    .each((_, el) => {
      if (el.type !== 'tag' || el.name === 'img' || el.name === 'figure' || el.name === 'picture') return;
      const names = classAndId(el);
      if (names.trim() === '' || !FURNITURE_NAME.test(names)) return;
      const text = shortText(el);
      if (text.length > MAX_FURNITURE_CHARS) return;
      if ($(el).find('img, picture, video').length > 0 && el.name !== 'figcaption') {
        // A captioned image wrapper: keep the image, drop only its text parts.
        return;
      }
      $(el).remove();
    });
  $(container)
    .find(LINE_BLOCKS)
    .each((_, el) => {
      if ($(el).children().filter((__, c) => ['p', 'div', 'li', 'ul', 'ol', 'table', 'figure'].includes((c as Element).name)).length > 0) return;
      const text = shortText(el);
      if (text.length === 0 || text.length > 120) return;
      if (UI_LABEL.test(text) || CREDIT_LINE.test(text) || DATE_LINE.test(text)) $(el).remove();
    });
  dropLinkLines($, container);
  dropTeaserCards($, container);
  dropRepeatedLines($, container);
}

/** Blocks that can be a whole line of links ("READ MORE: …", a related headline in capitals). */
const LINK_LINE_BLOCKS = 'p, h2, h3, h4, h5, h6, div';

/**
 * Drops lines that are nothing but a link (≥ 90 % of their letters inside `<a>`), of 4 words or
 * more and under 200 letters: in-body "related story" headlines and "READ MORE: …" pointers. List items stay
 * (link lists inside an article are often its content: sources, products).
 */
function dropLinkLines($: CheerioAPI, container: Element): void {
  $(container)
    .find(LINK_LINE_BLOCKS)
    .each((_, el) => {
      if ($(el).closest('li, td, blockquote').length > 0) return;
      if ($(el).find('p, div, li, ul, ol, table, figure, blockquote, h2, h3, h4, h5, h6, img').length > 0) return;
      const raw = nodeText(el);
      const text = squash(raw);
      // A bare one- to three-word link ("search", a source name) is a reference, not a teaser.
      if (text.length === 0 || text.length > 200 || words(raw).length < 4) return;
      let linked = 0;
      $(el)
        .find('a')
        .each((__, a) => {
          linked += squash(nodeText(a)).length;
        });
      if (linked / text.length >= 0.9) $(el).remove();
    });
}

/**
 * Drops teaser cards of other articles ("Related", "Deals", "More from …") that the scorer took in
 * as siblings: `<article>` elements nested in the result whose headline is a link to elsewhere and
 * whose text is short (≤ 600 chars), when at least two such cards are present. A nested
 * `<article>` is by HTML's definition a self-contained item of its own, not part of this one.
 */
function dropTeaserCards($: CheerioAPI, container: Element): void {
  const cards = $(container)
    .find('article')
    .toArray()
    .filter((el) => {
      if (textLength(nodeText(el)) > 600) return false;
      return $(el).find('a h1, a h2, a h3, a h4, a h5, a h6, h1 a, h2 a, h3 a, h4 a, h5 a, h6 a').length > 0;
    });
  if (cards.length >= 2) for (const el of cards) $(el).remove();
}


/**
 * Drops a `div`/`figcaption` text block that repeats, word for word, one met earlier in the
 * container: gallery captions rendered twice (thumbnail and lightbox), teaser + body copies.
 * Only blocks without block children and repeats of at least 30 letters; paragraphs, list items
 * and headings are left alone, because real articles repeat those on purpose (a meal plan's
 * "Pre-workout meal" under each day).
 */
function dropRepeatedLines($: CheerioAPI, container: Element): void {
  const seen = new Set<string>();
  $(container)
    .find('div, figcaption')
    .each((_, el) => {
      if ($(el).find('p, div, li, ul, ol, table, figure, blockquote, h2, h3, h4, h5, h6, figcaption').length > 0) return;
      const key = squash(nodeText(el));
      if (key.length < 30) return;
      if (seen.has(key)) $(el).remove();
      else seen.add(key);
    });
}
