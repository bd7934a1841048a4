import * as cheerio from 'cheerio';
import type { AnyNode } from 'domhandler';
import { collapseWhitespace } from './text-stats.js';

/** Elements whose contents are never rendered as text (case 30: script/JSON-LD/style/template). */
const NON_TEXT = new Set(['script', 'style', 'noscript', 'template', 'head', 'title', 'iframe', 'object', 'svg', 'math', 'select', 'textarea', 'button']);

/** Elements that start a new line of text. */
const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'dd', 'details', 'dialog', 'div', 'dl', 'dt',
  'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header',
  'hgroup', 'hr', 'html', 'li', 'main', 'nav', 'ol', 'p', 'picture', 'pre', 'section', 'summary', 'table',
  'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'ul', 'caption', 'video', 'audio',
]);

/** Options of {@link htmlToText}. */
export interface HtmlToTextOptions {
  /** Join blocks with one space instead of a newline (snippets, summaries). Default false. */
  oneLine?: boolean;
}

/**
 * Plain text of an HTML fragment or document, as a reader would see it (close to `innerText`,
 * not `textContent`): script, style, JSON-LD, noscript, template and head contents are left out
 * (case 30), each block element and `<br>` starts a new line, whitespace inside a line is
 * collapsed to single spaces, empty lines are dropped; entities are decoded.
 * @param html HTML text (fragment or document)
 * @param opts `oneLine: true` joins the lines with single spaces
 * @returns text, lines separated by `\n` (no trailing newline); `''` for empty input. Never throws.
 */
export function htmlToText(html: string, opts: HtmlToTextOptions = {}): string {
  const $ = cheerio.load(html);
  const lines: string[] = [];
  let current = '';
  const breakLine = (): void => {
    const line = collapseWhitespace(current);
    if (line) lines.push(line);
    current = '';
  };
  const walk = (node: AnyNode): void => {
    if (node.type === 'text') {
      current += node.data;
      return;
    }
    if (node.type !== 'tag' && node.type !== 'root') return;
    if (node.type === 'tag') {
      if (NON_TEXT.has(node.name)) return;
      if (node.name === 'br') return breakLine();
    }
    const block = node.type === 'tag' && BLOCK.has(node.name);
    if (block) breakLine();
    for (const child of node.children) walk(child);
    if (block) breakLine();
  };
  for (const node of $.root().toArray()) walk(node);
  breakLine();
  return lines.join(opts.oneLine ? ' ' : '\n');
}
