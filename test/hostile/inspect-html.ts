import * as cheerio from 'cheerio';

/** Elements that must never appear in republished HTML (executable, page-level, embedding, foreign content). */
export const BANNED_ELEMENTS = [
  'script', 'style', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'param', 'portal',
  'form', 'input', 'button', 'select', 'textarea', 'option', 'keygen', 'isindex',
  'base', 'meta', 'link', 'svg', 'math', 'template', 'noscript', 'noembed', 'noframes', 'xmp', 'plaintext',
  'area', 'map', 'video', 'audio', 'details', 'marquee', 'title', 'body', 'head', 'html',
];

/** Elements every parsed document has; banned only when they appear in a fragment. */
const DOCUMENT_SHELL = ['html', 'head', 'body'];

/** Attributes dropped outright: besides `on*`, these run code, navigate or restyle the page. */
const BANNED_ATTRIBUTES = ['style', 'srcdoc', 'formaction', 'action', 'xlink:href', 'background', 'lowsrc', 'dynsrc', 'poster', 'ping', 'autofocus', 'form', 'usemap'];

/** Attributes holding one URL, and the ones holding a srcset list. */
const URL_ATTRIBUTES = ['href', 'src', 'cite', 'action', 'formaction', 'xlink:href', 'poster', 'background', 'data', 'longdesc'];
const SRCSET_ATTRIBUTES = ['srcset'];
const SAFE_SCHEMES = new Set(['http:', 'https:', 'mailto:']);

/**
 * Scheme of a URL attribute value as a browser reads it (WHATWG URL parser: leading/trailing C0
 * and space trimmed, tabs and newlines removed anywhere), resolved against an http base so a
 * relative reference reads as `https:`.
 */
export function effectiveScheme(value: string): string {
  try {
    return new URL(value, 'https://base.example/dir/').protocol;
  } catch {
    // Unparseable: a browser would not navigate, but report it so nothing odd slips through.
    return 'unparseable:';
  }
}

/** Candidate URLs of a srcset value (split like the HTML srcset algorithm, roughly). */
function srcsetUrls(value: string): string[] {
  return value
    .split(/,(?=\s|$)|,(?=[^\s])/)
    .map((c) => c.trim().split(/\s+/)[0] ?? '')
    .filter((u) => u !== '');
}

/**
 * Everything in an HTML fragment that should not have survived sanitization, as readable
 * findings (`<script>`, `@onerror on img`, `href=javascript: on a` …). The fragment is parsed
 * as a browser would (parse5 through cheerio), then re-serialized and parsed again so a
 * mutation on the second parse (mXSS) is seen too.
 * @param html an HTML fragment taken from an output feed (already XML/JSON-decoded)
 * @returns findings; empty when clean
 */
export function findSurvivors(html: string): string[] {
  // Readers put item HTML inside their page (fragment) or into a document of its own (iframe
  // srcdoc, a web view): both parses count, since `<body onload>` only lives in the second.
  const fragment = cheerio.load(html, null, false);
  const document = cheerio.load(html);
  const reparsed = cheerio.load(fragment.html(), null, false);
  const found = new Set<string>();
  for (const $ of [fragment, document, reparsed]) {
    $('*').each((_, el) => {
      const node = el as { tagName?: string; name?: string; attribs?: Record<string, string>; namespace?: string };
      const tag = (node.tagName ?? node.name ?? '').toLowerCase();
      if (($ === document && DOCUMENT_SHELL.includes(tag) ? false : BANNED_ELEMENTS.includes(tag)) || tag.includes(':')) found.add(`<${tag}>`);
      if (node.namespace && node.namespace !== 'http://www.w3.org/1999/xhtml') found.add(`<${tag}> in ${node.namespace}`);
      for (const [rawName, value] of Object.entries(node.attribs ?? {})) {
        const name = rawName.toLowerCase();
        if (name.startsWith('on')) found.add(`@${name} on ${tag}`);
        if (BANNED_ATTRIBUTES.includes(name)) found.add(`@${name} on ${tag}`);
        if (URL_ATTRIBUTES.includes(name)) {
          const scheme = effectiveScheme(value);
          if (!SAFE_SCHEMES.has(scheme)) found.add(`${name}=${scheme} on ${tag}`);
        }
        if (SRCSET_ATTRIBUTES.includes(name)) {
          for (const u of srcsetUrls(value)) {
            const scheme = effectiveScheme(u);
            if (!SAFE_SCHEMES.has(scheme)) found.add(`${name}=${scheme} on ${tag}`);
          }
        }
        if (/expression\s*\(|url\s*\(\s*['"]?\s*javascript/i.test(value)) found.add(`css code in @${name} on ${tag}`);
      }
    });
  }
  return [...found];
}

/**
 * Problems with a URL published in a feed field (item link, enclosure, image): it must be an
 * absolute http(s) URL with nothing that could break out of an attribute or CDATA section.
 * @param url the published value
 * @returns findings; empty when clean
 */
export function findUrlProblems(url: string): string[] {
  const out: string[] = [];
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return [`not an absolute URL: ${JSON.stringify(url)}`];
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') out.push(`scheme ${u.protocol} in ${JSON.stringify(url)}`);
  // A single quote is a legal URL character (WHATWG leaves it unencoded in paths); the feeds
  // write attributes double-quoted, so only these would break out.
  if (/["<>\s`]/.test(url)) out.push(`breakout character in ${JSON.stringify(url)}`);
  return out;
}
