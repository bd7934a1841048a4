import * as cheerio from 'cheerio';
import type { CheerioAPI } from 'cheerio';
import type { Element } from 'domhandler';

/** Attributes lazy-loading scripts read the real `src` from, in order of preference. */
const LAZY_SRC = ['data-src', 'data-lazy-src', 'data-original', 'data-lazy', 'data-url', 'data-hi-res-src', 'data-actualsrc', 'data-orig-src', 'data-echo', 'data-lazyload'];
/** Attributes lazy-loading scripts read the real `srcset` from. */
const LAZY_SRCSET = ['data-srcset', 'data-lazy-srcset', 'data-original-set', 'data-lazyload-srcset'];

/** File names sites use for the stand-in picture shown before the real one loads. */
const PLACEHOLDER_NAME = /(?:placeholder|blank|spacer|pixel|transparent|lazy|loading|loader|grey|gray|empty|1x1|dummy)[^/]*\.(?:gif|png|svg|jpe?g|webp)(?:[?#]|$)/i;

/** True when `src` is no real picture: missing, a `data:` URI, or a known placeholder file. */
function isPlaceholder(src: string | undefined): boolean {
  if (src === undefined) return true;
  const value = src.trim();
  return value === '' || value === '#' || /^data:/i.test(value) || /^about:blank/i.test(value) || PLACEHOLDER_NAME.test(value);
}

/** A lazy attribute value that looks like a URL (not a JSON blob or a boolean flag). */
function lazyValue(el: Element, names: string[]): string | undefined {
  for (const name of names) {
    const value = el.attribs[name]?.trim();
    if (value && !/^data:/i.test(value) && !/^(?:true|false|\d+)$/i.test(value) && !/^[{[]/.test(value)) return value;
  }
  return undefined;
}

/** Sets `name` as the element's first attribute, so promoted URLs read like hand-written markup. */
function setFirst(el: Element, name: string, value: string): void {
  const rest = { ...el.attribs };
  delete rest[name];
  el.attribs = { [name]: value, ...rest };
}

/** First URL of a srcset value. */
function firstSrcsetUrl(srcset: string): string | undefined {
  return srcset.trim().split(/\s+/)[0]?.replace(/,+$/, '') || undefined;
}

/**
 * Replaces a placeholder image by the `<img>` inside a following `<noscript>` (the markup sites
 * serve to non-JS readers), and drops every `<noscript>` afterwards. parse5 keeps noscript
 * contents as raw text, so they are parsed on their own here.
 */
function unwrapNoscriptImages($: CheerioAPI): void {
  $('noscript').each((_, noscript) => {
    const inner = $(noscript).text();
    if (!/<img\b/i.test(inner)) return;
    const imgs = cheerio.load(inner, null, false)('img').toArray();
    if (imgs.length !== 1) return;
    const real = imgs[0] as Element;
    if (isPlaceholder(real.attribs.src) && !lazyValue(real, LAZY_SRC)) return;
    const prev = $(noscript).prev();
    const prevImg = prev.is('img') ? prev : prev.children().length === 1 && prev.find('img').length === 1 && prev.text().trim() === '' ? prev.find('img') : null;
    const replacement = $('<img>');
    for (const [k, v] of Object.entries(real.attribs)) replacement.attr(k, v);
    if (prevImg) {
      // Keep the placeholder's alt/dimensions when the noscript copy lacks them.
      for (const k of ['alt', 'title', 'width', 'height']) {
        const v = prevImg.attr(k);
        if (v !== undefined && replacement.attr(k) === undefined) replacement.attr(k, v);
      }
      prevImg.replaceWith(replacement);
      $(noscript).remove();
    } else if ($(noscript).parent().find('img').length === 0) {
      $(noscript).replaceWith(replacement);
    }
  });
}

/**
 * Promotes lazy-loaded images (case 26) so the stored body shows real pictures: first unwraps
 * `<noscript>` images over their placeholders, then for every `img`/`source` whose `src`/`srcset`
 * is missing, a `data:` URI or a known placeholder file, copies the real URL from `data-src`,
 * `data-lazy-src`, `data-original` … and `data-srcset`, `data-lazy-srcset` …; an `img` left with a
 * placeholder `src` but a real `srcset` gets the first srcset URL as `src`. Mutates `$` in place;
 * run before absolutizing and sanitizing (the sanitizer drops `data-*` attributes).
 * @param $ loaded cheerio document
 * @returns nothing; never throws
 */
export function promoteLazyImages($: CheerioAPI): void {
  unwrapNoscriptImages($);
  $('img, source').each((_, el) => {
    const isImg = el.name === 'img';
    const lazySrcset = lazyValue(el, LAZY_SRCSET);
    if (lazySrcset && isPlaceholder(el.attribs.srcset)) setFirst(el, 'srcset', lazySrcset);
    else if (el.attribs.srcset !== undefined && isPlaceholder(firstSrcsetUrl(el.attribs.srcset))) delete el.attribs.srcset;
    if (!isImg) return;
    const lazySrc = lazyValue(el, LAZY_SRC);
    if (lazySrc && (isPlaceholder(el.attribs.src) || /\blazy/i.test(el.attribs.class ?? ''))) {
      setFirst(el, 'src', lazySrc);
    } else if (isPlaceholder(el.attribs.src) && el.attribs.srcset) {
      const first = firstSrcsetUrl(el.attribs.srcset);
      if (first) setFirst(el, 'src', first);
    }
  });
}
