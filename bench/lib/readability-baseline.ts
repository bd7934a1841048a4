/**
 * The comparison baseline: Mozilla Readability.js 0.6 on a jsdom 29 document, run in this
 * process (dev dependencies only; never used by src/).
 */
import { Readability } from '@mozilla/readability';
import { JSDOM, VirtualConsole } from 'jsdom';

/** What Readability returned for one page; empty strings when it found no article or threw. */
export interface ReadabilityResult {
  /** `article.textContent`: what the benchmark's readability_js run scored. */
  text: string;
  /** `article.content` (serialized article HTML). */
  html: string;
  /** Message of what jsdom/Readability threw, else null. */
  error: string | null;
}

/**
 * Parses `html` with jsdom (scripts off, console silenced, `url` as the document URL) and runs
 * `new Readability(document).parse()`.
 * @param html decoded page HTML
 * @param url document URL (base of relative links)
 * @returns text and HTML of the article; empty strings when parse() returns null or throws
 *   (some inline styles make jsdom's CSS parser throw), with the message in `error`. Never throws.
 */
export function readabilityExtract(html: string, url: string): ReadabilityResult {
  let dom: JSDOM | null = null;
  try {
    // A silent console: jsdom reports CSS it cannot parse, which would flood the bench output.
    dom = new JSDOM(html, { url, virtualConsole: new VirtualConsole() });
    // @types/jsdom 30 describes a newer Document than Readability's typing expects.
    const article = new Readability(dom.window.document as unknown as Document).parse();
    return { text: article?.textContent ?? '', html: article?.content ?? '', error: null };
  } catch (err) {
    return { text: '', html: '', error: String((err as Error).message ?? err).split('\n')[0] ?? 'error' };
  } finally {
    dom?.window.close();
  }
}
