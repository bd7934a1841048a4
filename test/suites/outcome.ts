/** What running one corpus file through decode → parse → normalize gave (structured-clonable). */

/** The fields of one item the comparisons look at. */
export interface ItemView {
  title: string;
  url: string | null;
  guid: string;
  publishedAt: string | null;
  modifiedAt: string | null;
}

/** Outcome of one file. `text` is the decoded text when asked for (encoding checks), else null. */
export type Outcome =
  | {
      kind: 'feed';
      ms: number;
      encoding: string;
      text: string | null;
      format: string;
      title: string | null;
      siteUrl: string | null;
      items: ItemView[];
      warnings: string[];
    }
  | { kind: 'coded'; ms: number; encoding: string; text: string | null; code: string; message: string }
  | { kind: 'crash'; ms: number; encoding: string | null; text: string | null; message: string }
  | { kind: 'hang'; ms: number; encoding: null; text: null; message: string };

/** Request sent to a parse worker. */
export interface WorkRequest {
  id: number;
  abs: string;
  contentType: string | null;
  feedUrl: string;
  /** Send the decoded text back (only files with an encoding check need it). */
  wantText: boolean;
}
