import { escapeHtml } from './html-escape.js';
import { interleaveBlocks } from './interleave-blocks.js';
import type { ItemVersion } from './item-versions.js';

/** The label of every keywords line (both languages, like the attribution line). */
export const KEYWORDS_LABEL = '关键词 / Keywords:';

/**
 * The headline of a version: `<h2>title</h2>`.
 * @param v version
 * @param lang when given, written as the element's `lang`
 */
export function headlineHtml(v: ItemVersion, lang?: string): string {
  return `<h2${langAttr(lang)}>${escapeHtml(v.title)}</h2>`;
}

/**
 * The keywords line of a version: `<p class="duofeed-keywords">关键词 / Keywords: a, b</p>`,
 * the keywords in the version's own language (joined by `、` for Chinese and Japanese, `, `
 * otherwise); `''` when the version has no keywords.
 * @param v version
 * @param lang when given, written as the element's `lang`
 */
export function keywordsLineHtml(v: ItemVersion, lang?: string): string {
  if (v.keywords.length === 0) return '';
  const sep = v.key === 'zh' || v.key === 'ja' ? '、' : ', ';
  return `<p class="duofeed-keywords"${langAttr(lang)}>${KEYWORDS_LABEL} ${v.keywords.map(escapeHtml).join(sep)}</p>`;
}

/**
 * Stacked layout (DESIGN.md "Output of one bilingual item", the seed's layout): each version in
 * display order as `<div class="duofeed-version" lang="..">` holding its headline, keywords line
 * and body, versions separated by `<hr>`. The attribution line is appended by the caller.
 * @param versions two or more versions, primary first
 * @param note optional HTML comment text put first (why interleaving fell back); must not hold `--`
 * @returns HTML fragment
 */
export function stackedHtml(versions: readonly ItemVersion[], note?: string): string {
  const sections = versions.map((v) => `<div class="duofeed-version" lang="${escapeHtml(v.lang)}">${headlineHtml(v)}${keywordsLineHtml(v)}${v.bodyHtml}</div>`);
  return `${note === undefined ? '' : `<!-- ${note} -->`}${sections.join('<hr>')}`;
}

/**
 * Interleaved layout: one `<div class="duofeed-interleaved" lang="primary">` with the headlines
 * of every version (primary first), their keywords lines, then the primary body with each text
 * block followed by the corresponding block of the other versions (see interleaveBlocks; other
 * versions' elements carry their own `lang`). When the bodies cannot be paired block by block,
 * falls back to {@link stackedHtml} and says why in an HTML comment.
 * @param versions two or more versions, primary first
 * @returns HTML fragment
 */
export function interleavedHtml(versions: readonly ItemVersion[]): string {
  const [primary, ...others] = versions;
  if (primary === undefined) return '';
  const body = interleaveBlocks(
    primary.bodyHtml,
    others.map((v) => ({ lang: v.lang, html: v.bodyHtml })),
  );
  if (!body.ok) return stackedHtml(versions, `duofeed: interleaved layout not possible (${commentSafe(body.reason)}); shown stacked`);
  const heads = [headlineHtml(primary), ...others.map((v) => headlineHtml(v, v.lang))].join('');
  const keywords = [keywordsLineHtml(primary), ...others.map((v) => keywordsLineHtml(v, v.lang))].join('');
  return `<div class="duofeed-interleaved" lang="${escapeHtml(primary.lang)}">${heads}${keywords}${body.html}</div>`;
}

function langAttr(lang: string | undefined): string {
  return lang === undefined ? '' : ` lang="${escapeHtml(lang)}"`;
}

// An HTML comment ends at `-->` and may not contain `--` (HTML §13.1.6).
function commentSafe(text: string): string {
  return text.replace(/-{2,}/g, '-').replace(/[<>]/g, (c) => (c === '<' ? '‹' : '›'));
}
