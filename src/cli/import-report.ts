import type { ImportReport } from '../opml/import-opml.js';

/** How many sources the "language guessed" note names; `--json` lists them all. */
const GUESSED_SHOWN = 10;

/**
 * Formats an import-opml report for people: `added <id> <url>` per new source,
 * `skipped <url>: <reason>` or `skipped outline <n>: no xmlUrl` per left-out outline, a note
 * naming (the first 10) sources whose language was guessed, decoder and write warnings, then one summary line saying
 * what was written (config and backup paths) or that nothing was.
 * @param r the report from importOpml
 * @returns lines joined with `\n` (no trailing newline)
 */
export function formatImportReport(r: ImportReport): string {
  const lines: string[] = [];
  for (const a of r.added) lines.push(`added ${a.id} ${a.url}`);
  for (const s of r.skipped) lines.push(s.url === null ? `skipped outline ${s.outline}: ${s.reason}` : `skipped ${s.url}: ${s.reason}`);
  const guessed = r.added.filter((a) => a.languageFrom === 'guessed');
  if (guessed.length > 0) {
    // Capped: a 160k-outline file would print one 2 MB line; --json keeps every languageFrom.
    const shown = guessed.slice(0, GUESSED_SHOWN).map((a) => `${a.id} (${a.language})`).join(', ');
    const more = guessed.length > GUESSED_SHOWN ? ` and ${guessed.length - GUESSED_SHOWN} more` : '';
    lines.push(`note: no usable language attribute, language guessed from the name for ${shown}${more}; correct sources[].language if wrong`);
  }
  for (const w of [...r.opml.warnings, ...r.warnings]) lines.push(`warning: ${w}`);
  const counts = `${r.added.length} added, ${r.skipped.length} skipped`;
  if (r.dryRun) lines.push(`dry run: ${r.added.length} would be added, ${r.skipped.length} skipped; nothing written`);
  else if (r.backup === null) lines.push(`${counts}; nothing to add, ${r.config} unchanged`);
  else lines.push(`${counts}; wrote ${r.config} (backup ${r.backup})`);
  return lines.join('\n');
}

/**
 * The report as JSON for scripts: `{added: [{id, url, name, language, languageFrom, categories,
 * outline}], skipped: [{url, reason, outline}], backup, config, dryRun, opml: {version, title,
 * encoding, warnings}, warnings}` (top-level `warnings`: about the write, e.g. owner not kept) (`url` null for an outline without `xmlUrl`; `backup` null when nothing
 * was written).
 * @param r the report from importOpml
 * @returns pretty-printed JSON
 */
export function importReportJson(r: ImportReport): string {
  return JSON.stringify(r, null, 2);
}
