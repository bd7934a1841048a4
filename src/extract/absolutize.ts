import type { CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';

const isElement = (n: AnyNode): n is Element => 'attribs' in n;

/** Attributes holding one URL. */
const URL_ATTRIBUTES = ['href', 'src', 'poster', 'cite', 'longdesc', 'background', 'action', 'data'];
/** Attributes holding a srcset candidate list. */
const SRCSET_ATTRIBUTES = ['srcset', 'imagesrcset'];

/**
 * Resolves one URL reference against `base` (WHATWG URL). References that already carry a scheme
 * (`https:`, `mailto:`, `javascript:` …) are returned exactly as written: re-serializing them would
 * percent-encode non-ASCII characters the source wrote literally (case 29). For resolved relative
 * references, non-ASCII characters the source wrote literally are kept as characters too.
 * @param ref attribute value
 * @param base absolute base URL
 * @returns absolute URL, or `ref` unchanged when it cannot be resolved
 */
export function resolveUrl(ref: string, base: string): string {
  const trimmed = ref.trim();
  if (trimmed === '' || /^[a-z][a-z0-9+.-]*:/i.test(trimmed)) return ref;
  let resolved: string;
  try {
    resolved = new URL(trimmed, base).href;
  } catch {
    return ref;
  }
  if (!/[^\x00-\x7f]/.test(trimmed)) return resolved;
  return resolved.replace(/(?:%[89A-Fa-f][0-9A-Fa-f])+/g, (run) => {
    try {
      const chars = decodeURIComponent(run);
      return trimmed.includes(chars) ? chars : run;
    } catch {
      return run;
    }
  });
}

/**
 * Splits a srcset value into `[url, descriptor]` candidates (HTML "parse a srcset attribute":
 * a URL runs to the next whitespace, trailing commas end it, descriptors run to the next comma).
 */
function parseSrcset(value: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let i = 0;
  while (i < value.length) {
    while (i < value.length && /[\s,]/.test(value[i] as string)) i++;
    if (i >= value.length) break;
    let j = i;
    while (j < value.length && !/\s/.test(value[j] as string)) j++;
    let url = value.slice(i, j);
    let descriptor = '';
    if (url.endsWith(',')) {
      url = url.replace(/,+$/, '');
    } else {
      const comma = value.indexOf(',', j);
      const end = comma === -1 ? value.length : comma;
      descriptor = value.slice(j, end).trim();
      j = end;
    }
    out.push([url, descriptor]);
    i = j;
  }
  return out;
}

/**
 * Rewrites every URL attribute in the document to an absolute URL (case 13): `href`, `src`,
 * `poster`, `cite`, `action`, `longdesc`, `background`, `data`, and every candidate of `srcset`.
 * The base is the document's first `<base href>` (itself resolved against `baseUrl`), else
 * `baseUrl` (the page's final URL after redirects). Fragment-only links become absolute too
 * (`#c` → `<page>#c`) because the HTML is shown away from its page. Mutates `$` in place.
 * @param $ loaded cheerio document or fragment
 * @param baseUrl absolute URL of the page (http/https)
 * @returns nothing; never throws (unresolvable values are left as they are)
 */
export function absolutizeUrls($: CheerioAPI, baseUrl: string): void {
  let base = baseUrl;
  const baseHref = $('base[href]').first().attr('href');
  // A hostile or broken <base> (javascript:, data:, unparseable) must not become the base of
  // every relative link: only an http(s) base is taken, else the page URL stays in force.
  if (baseHref) {
    const candidate = resolveUrl(baseHref, baseUrl);
    if (/^https?:\/\//i.test(candidate)) base = candidate;
  }
  try {
    new URL(base);
  } catch {
    return;
  }
  for (const attr of URL_ATTRIBUTES) {
    $(`[${attr}]`).toArray().filter(isElement).forEach((el) => {
      if (el.name === 'base') return;
      const value = el.attribs[attr];
      if (value !== undefined) el.attribs[attr] = resolveUrl(value, base);
    });
  }
  for (const attr of SRCSET_ATTRIBUTES) {
    $(`[${attr}]`).toArray().filter(isElement).forEach((el) => {
      const value = el.attribs[attr];
      if (value === undefined) return;
      el.attribs[attr] = parseSrcset(value)
        .map(([url, descriptor]) => (descriptor ? `${resolveUrl(url, base)} ${descriptor}` : resolveUrl(url, base)))
        .join(', ');
    });
  }
}
