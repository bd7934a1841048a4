import * as cheerio from 'cheerio';
import type { CheerioAPI } from 'cheerio';
import type { Element } from 'domhandler';
import { finishLooseRuns, leafTextBlocks, wrapLooseRuns } from '../../extract/text-blocks.js';

/** Inline elements replaced by placeholders before sending and put back afterwards. */
const KEPT_INLINE = 'img, picture, code, kbd, samp, var, script, style, svg, math, video, audio, iframe, object, noscript, template, source';

/** One translatable block of an article body. */
export interface HtmlBlock {
  el: Element;
  /** Inner HTML sent for translation: inline tags kept, kept elements as placeholders. */
  segment: string;
  /** Outer HTML of each placeholder's element, by placeholder number. */
  keeps: string[];
  /** Whitespace around the inner HTML, put back after translation. */
  lead: string;
  trail: string;
  /** Original inner HTML (what a failed block falls back to). */
  original: string;
}

/** An article body split into blocks. */
export interface SplitHtml {
  $: CheerioAPI;
  blocks: HtmlBlock[];
}

/** The placeholder of kept element `n`. */
export function placeholder(n: number): string {
  return `<span data-duofeed-keep="${n}"></span>`;
}

const PLACEHOLDER_RE = /<span\s+data-duofeed-keep\s*=\s*["']?(\d+)["']?\s*\/?>\s*(?:<\/span>)?/g;

/**
 * Splits article HTML into leaf text blocks (p, h1–h6, li, figcaption, blockquote, td/th, dt/dd,
 * caption; div/section/article only with loose text and no block inside), in document order.
 * Blocks inside pre/code/script/svg… are skipped, as are blocks without a letter. Inside a block,
 * images, code and media become `<span data-duofeed-keep="N"></span>` placeholders, so they are
 * never sent and come back untouched.
 * @param html sanitized article HTML (fragment)
 * @returns the parsed fragment (`$`, to reassemble with `$.html()`) and its blocks
 */
export function splitHtml(html: string): SplitHtml {
  const $ = cheerio.load(html, null, false);
  wrapLooseRuns($);
  const blocks: HtmlBlock[] = [];
  for (const el of leafTextBlocks($)) {
    const $el = $(el);
    const original = $el.html() ?? '';
    const frag = cheerio.load(original, null, false);
    const keeps: string[] = [];
    frag(KEPT_INLINE).each((__, k) => {
      const $k = frag(k);
      if ($k.parents(KEPT_INLINE).length > 0) return;
      keeps.push(frag.html(k));
      $k.replaceWith(placeholder(keeps.length - 1));
    });
    const inner = frag.html();
    if (!/\p{L}/u.test(inner.replace(/<[^>]*>/g, ''))) continue;
    const lead = /^\s*/.exec(inner)?.[0] ?? '';
    const trail = /\s*$/.exec(inner)?.[0] ?? '';
    blocks.push({ el, segment: inner.trim(), keeps, lead, trail, original });
  }
  return { $, blocks };
}

/** Removes the temporary wrappers around loose text, keeping the (translated) contents. */
export function unwrapLooseRuns($: CheerioAPI): void {
  finishLooseRuns($, 'unwrap');
}

/** Outcome of putting kept elements back into a translated segment. */
export interface Restored {
  html: string;
  /** Kept elements whose placeholder was lost or duplicated (their outer HTML). */
  lost: string[];
}

/**
 * Replaces each placeholder in `translated` by its kept element. A placeholder that is missing
 * or appears more than once is reported in `lost` (the block must then not be accepted); an
 * unknown placeholder number is dropped and reported as lost too.
 */
export function restoreKeeps(translated: string, keeps: readonly string[]): Restored {
  const seen = new Map<number, number>();
  const lost: string[] = [];
  const html = translated.replace(PLACEHOLDER_RE, (_m, n: string) => {
    const i = Number(n);
    seen.set(i, (seen.get(i) ?? 0) + 1);
    if (i >= keeps.length) {
      lost.push(`placeholder ${n}`);
      return '';
    }
    return keeps[i] as string;
  });
  keeps.forEach((k, i) => {
    if (seen.get(i) !== 1) lost.push(k);
  });
  return { html, lost };
}

/**
 * Plain text of an HTML fragment (entities decoded). Every tag counts as a word break, so
 * `CEO<strong>Sam Altman</strong>` reads `CEO Sam Altman` on both sides of the fidelity check.
 */
export function fragmentText(html: string): string {
  return cheerio.load(html.replace(/<[^<>]*>/g, ' '), null, false).text();
}

/** Escapes text for use as an HTML segment (titles are plain text). */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Tag names (lower case) of a fragment's elements, as a sorted list (a multiset). */
export function tagNames(html: string): string[] {
  const $ = cheerio.load(html, null, false);
  return $('*')
    .toArray()
    .map((e) => (e as Element).tagName.toLowerCase())
    .sort();
}

/** Link and image targets (`href`, `src`) of a fragment, as a sorted list. */
export function linkTargets(html: string): string[] {
  const $ = cheerio.load(html, null, false);
  const out: string[] = [];
  $('[href], [src]').each((_, e) => {
    const el = e as Element;
    if (el.attribs['href'] !== undefined) out.push(el.attribs['href']);
    if (el.attribs['src'] !== undefined) out.push(el.attribs['src']);
  });
  return out.sort();
}

/** Text of the `<code>`/`<kbd>`/`<samp>` elements in a fragment (each must survive verbatim). */
export function codeTexts(html: string): string[] {
  const $ = cheerio.load(html, null, false);
  return $('code, kbd, samp')
    .toArray()
    .map((e) => $(e).text().trim())
    .filter((t) => t !== '');
}
