import { MAX_INPUT_NESTING, maxNestingDepth } from './sanitize.js';
import * as cheerio from 'cheerio';
import type { CheerioAPI } from 'cheerio';
import type { Element } from 'domhandler';
import type { ExtractRules, Extraction } from '../types.js';
import { pageMeta, removeArticleFurniture, type PageMeta } from './article-furniture.js';
import { absolutizeUrls } from './absolutize.js';
import { htmlToText } from './html-to-text.js';
import { jsonLdArticleBody } from './json-ld.js';
import { promoteLazyImages } from './lazy-images.js';
import { removeBoilerplate } from './remove-boilerplate.js';
import { sanitizeHtml } from './sanitize.js';
import { scoreCandidates, type ScoreOptions } from './score-candidates.js';
import { textLength } from './text-stats.js';

/** Options of {@link extractArticle}. */
export interface ExtractOptions {
  /** Final URL of the page (after redirects): base of relative URLs. */
  url: string;
  rules: ExtractRules;
  /** Least weighted text length of a usable body (see textLength); default 200. */
  minTextChars?: number;
}

/** Generic attempts, strictest first (Readability's flag retries). */
const ATTEMPTS: Array<Omit<ScoreOptions, 'hintText'>> = [
  { stripUnlikely: true, weightClasses: true, cleanConditionally: true },
  { stripUnlikely: false, weightClasses: true, cleanConditionally: true },
  { stripUnlikely: false, weightClasses: false, cleanConditionally: true },
  { stripUnlikely: false, weightClasses: false, cleanConditionally: false },
];
/** A strict attempt shorter than this is retried more leniently (weighted chars). */
const RETRY_BELOW = 500;

/**
 * True when `html` looks like an HTML document or fragment: not binary, not JSON, not a PDF,
 * not an XML feed, and holding at least one HTML tag.
 */
function looksLikeHtml(html: string): boolean {
  const head = html.slice(0, 4096).replace(/^\uFEFF/, '').trimStart();
  if (head === '') return false;
  if (/[\x00-\x08\x0E-\x1A]/.test(head.slice(0, 1024))) return false;
  if (/^(?:%PDF|\{|\[|GIF8|\x89PNG)/.test(head)) return false;
  if (/^<\?xml/i.test(head) && !/<html[\s>]/i.test(head) && /<(?:rss|feed|rdf:RDF)[\s>]/i.test(head)) return false;
  return /<(?:!doctype\s+html|html|head|body|div|p|article|main|section|span|a|table|h[1-6]|meta|title|br|img|ul|ol)[\s>/]/i.test(html);
}

/** Parses the page and applies the steps every route shares. */
function prepare(html: string, opts: ExtractOptions): { $: CheerioAPI; hint: string | null; meta: PageMeta } {
  const $ = cheerio.load(html);
  const hint = jsonLdArticleBody($);
  const meta = pageMeta($);
  promoteLazyImages($);
  absolutizeUrls($, opts.url);
  removeBoilerplate($, opts.rules.remove);
  return { $, hint, meta };
}

/** Sanitized HTML and text of a container; null text when it is empty. */
function finish($: CheerioAPI, container: Element): { html: string; text: string; length: number } {
  const html = sanitizeHtml($(container).html() ?? '').trim();
  const text = htmlToText(html);
  return { html, text, length: textLength(text) };
}

/** The site rule's selector route; null when the selector is invalid, matches nothing or too little. */
function bySelector(html: string, opts: ExtractOptions, min: number): ReturnType<typeof finish> | null {
  const selector = opts.rules.selector;
  if (!selector) return null;
  const { $ } = prepare(html, opts);
  let matches: Element[];
  try {
    matches = $(selector).toArray().filter((n): n is Element => 'attribs' in n);
  } catch {
    return null;
  }
  // Nested matches would repeat text: keep only outermost ones.
  const outer = matches.filter((el) => !matches.some((other) => other !== el && $(other).find(el as never).length > 0));
  if (outer.length === 0) return null;
  const container = $('<div></div>')[0] as Element;
  for (const el of outer) $(container).append(el);
  const result = finish($, container);
  return result.length >= min ? result : null;
}

const failed = (reason: string): Extraction => ({ status: 'failed', method: null, contentHtml: null, text: null, reason });

/**
 * Extracts the article body from one page (pure: no fetching).
 * Steps: remove `rules.remove` selectors and boilerplate (scripts, nav, asides, forms, hidden
 * elements, header/footer outside the article, comment sections in several languages, share bars,
 * related links, cookie banners); try `rules.selector` (method `selector`) when it matches at least
 * `minTextChars`; else the generic scorer (method `generic`, Readability-style, strict then
 * lenient attempts, longest wins if none reaches 500 chars), whose result then loses its article
 * furniture (article-furniture.ts: title headline, byline, dates, captions by class, UI labels,
 * link-only lines, teaser cards, repeated captions). Lazy images are promoted (case 26),
 * URLs made absolute against `<base href>` or `url` (case 13), and the result sanitized last
 * (sanitize.ts); non-ASCII stays as characters (case 29); `text` excludes script/style (case 30).
 * @param html page HTML, already decoded to a string
 * @param opts page URL, the source's extract rules, least text (weighted chars, default 200)
 * @returns status `ok` with method, contentHtml and text; or status `failed` with reason
 *   EXTRACT_NOT_HTML, EXTRACT_TOO_LITTLE_TEXT, or INTERNAL (a bug). Never throws.
 */
export function extractArticle(html: string, opts: ExtractOptions): Extraction {
  const min = opts.minTextChars ?? 200;
  try {
    if (typeof html !== 'string' || !looksLikeHtml(html)) return failed('EXTRACT_NOT_HTML');
    // A page nested absurdly deep would cost the HTML parser seconds on the shared event loop.
    if (maxNestingDepth(html) > MAX_INPUT_NESTING) return failed('EXTRACT_TOO_DEEP');
    const selected = bySelector(html, opts, min);
    if (selected) return { status: 'ok', method: 'selector', contentHtml: selected.html, text: selected.text, reason: null };
    let best: ReturnType<typeof finish> | null = null;
    for (const attempt of ATTEMPTS) {
      const { $, hint, meta } = prepare(html, opts);
      const container = scoreCandidates($, { ...attempt, hintText: hint });
      if (!container) continue;
      removeArticleFurniture($, container, meta);
      const result = finish($, container);
      if (!best || result.length > best.length) best = result;
      if (result.length >= Math.max(min, RETRY_BELOW)) break;
    }
    if (!best || best.length < min) return failed('EXTRACT_TOO_LITTLE_TEXT');
    return { status: 'ok', method: 'generic', contentHtml: best.html, text: best.text, reason: null };
  } catch {
    return failed('INTERNAL');
  }
}
