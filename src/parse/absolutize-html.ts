import * as cheerio from 'cheerio';

/** Attributes that hold one URL. */
const URL_ATTRS = ['href', 'src', 'poster', 'cite', 'longdesc', 'background', 'action', 'data-src', 'data-original'];
/** Attributes that hold a srcset candidate list. */
const SRCSET_ATTRS = ['srcset', 'data-srcset'];
/** Already absolute: has a scheme (`https:`, `mailto:`, `data:` …). */
const HAS_SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;

/**
 * Makes every URL in an HTML fragment absolute (case 13): `href`, `src`, `poster`, `cite`,
 * `longdesc`, `background`, `action`, lazy-image `data-src`/`data-original`, and each candidate
 * of `srcset`/`data-srcset`. References that already carry a scheme (`mailto:`, `data:`,
 * `https:`) are left as they are; a fragment-only `#x` resolves against the base document.
 *
 * @param html HTML fragment (feed description/content or extracted article body)
 * @param baseUrl absolute base URL (xml:base, item link, `<base href>`, or the page/feed URL)
 * @returns the fragment with absolute URLs; the input unchanged when nothing needed rewriting,
 *   when `html` is empty, or when `baseUrl` is not an absolute URL. Never throws.
 */
export function absolutizeHtml(html: string, baseUrl: string): string {
  if (html === '' || !/(?:href|src|srcset|poster|cite|longdesc|background|action|data-original)\s*=/i.test(html)) {
    return html;
  }
  try {
    new URL(baseUrl);
  } catch {
    return html;
  }
  const $ = cheerio.load(html, null, false);
  let changed = false;
  $('*').each((_, el) => {
    const attribs = (el as { attribs?: Record<string, string> }).attribs;
    if (!attribs) return;
    for (const name of URL_ATTRS) {
      const value = attribs[name];
      if (value === undefined) continue;
      const abs = absolutize(value, baseUrl);
      if (abs !== value) {
        attribs[name] = abs;
        changed = true;
      }
    }
    for (const name of SRCSET_ATTRS) {
      const value = attribs[name];
      if (value === undefined) continue;
      const abs = absolutizeSrcset(value, baseUrl);
      if (abs !== value) {
        attribs[name] = abs;
        changed = true;
      }
    }
  });
  return changed ? $.html() : html;
}

function absolutize(value: string, base: string): string {
  const v = value.trim();
  if (v === '' || HAS_SCHEME.test(v)) return value;
  try {
    return new URL(v, base).href;
  } catch {
    return value;
  }
}

/**
 * Rewrites each `url [descriptor]` candidate, splitting as the HTML srcset algorithm does: a URL
 * runs to the next whitespace (trailing commas end the candidate), a descriptor to the next comma.
 */
function absolutizeSrcset(value: string, base: string): string {
  const out: string[] = [];
  let i = 0;
  while (i < value.length) {
    while (i < value.length && /[\s,]/.test(value[i] ?? '')) i++;
    if (i >= value.length) break;
    let j = i;
    while (j < value.length && !/\s/.test(value[j] ?? '')) j++;
    let url = value.slice(i, j);
    let descriptor = '';
    if (/,+$/.test(url)) {
      url = url.replace(/,+$/, '');
    } else {
      let k = j;
      let depth = 0;
      while (k < value.length) {
        const ch = value[k];
        if (ch === '(') depth++;
        else if (ch === ')') depth = Math.max(0, depth - 1);
        else if (ch === ',' && depth === 0) break;
        k++;
      }
      descriptor = value.slice(j, k).trim();
      j = k;
    }
    out.push(descriptor ? `${absolutize(url, base)} ${descriptor}` : absolutize(url, base));
    i = j;
  }
  const joined = out.join(', ');
  return joined === value ? value : joined;
}
