import { DuofeedError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { charCount, planBatches } from './batches.js';
import { postJson, type HttpCallSettings } from './http-call.js';
import type { SpendCap } from './spend-cap.js';
import type { TranslateOptions, TranslateResult, Translator } from './translator.js';

/** What a provider adds to the shared batching, limiting, retry and spend machinery. */
export interface ProviderAdapter {
  provider: string;
  model: string | null;
  /** Full endpoint URL. */
  endpoint: string;
  /** Authorization and other headers (never logged). */
  headers: Record<string, string>;
  /** Request body for one batch. */
  buildBody(segments: string[], from: string, to: string, opts: TranslateOptions): unknown;
  /**
   * Output segments of one batch from the parsed 2xx JSON.
   * @throws DuofeedError TRANSLATE_BAD_RESPONSE (shape), TRANSLATE_SEGMENT_MISMATCH (count)
   */
  parse(json: unknown, sent: string[]): string[];
}

/** Limits of the batching translator. */
export interface BatchLimits {
  maxSegmentsPerRequest: number;
  maxCharactersPerRequest: number;
}

/**
 * A Translator over one provider adapter: splits the segments into batches, reserves each
 * call's characters against the daily cap before anything is sent, posts the batches through
 * the shared limiter with timeouts and retries (http-call.ts), retries a batch once when the
 * answer is malformed or has the wrong segment count (LLMs sometimes do), and never returns a
 * partial result.
 */
export class BatchedTranslator implements Translator {
  readonly provider: string;
  readonly model: string | null;

  constructor(
    private readonly adapter: ProviderAdapter,
    private readonly http: HttpCallSettings,
    private readonly limits: BatchLimits,
    private readonly spend: SpendCap,
    private readonly log: Logger,
  ) {
    this.provider = adapter.provider;
    this.model = adapter.model;
  }

  /** See Translator.translate. */
  async translate(segments: string[], from: string, to: string, opts: TranslateOptions = {}): Promise<TranslateResult> {
    const cost = { characters: 0, requests: 0 };
    if (segments.length === 0) return { segments: [], cost, provider: this.provider, model: this.model };
    const batches = planBatches(segments, this.limits.maxSegmentsPerRequest, this.limits.maxCharactersPerRequest);
    // The whole call is reserved up front so the cap never lets half an article through; the
    // ledger is then corrected to what may really have been billed.
    const total = segments.reduce((n, s) => n + charCount(s), 0);
    const reservation = this.spend.reserve(total, this.adapter.endpoint);
    const tally = { billable: 0 };
    const out: string[] = new Array<string>(segments.length);
    try {
      await Promise.all(
        batches.map(async (idx) => {
          const sent = idx.map((i) => segments[i] as string);
          const got = await this.batch(sent, from, to, opts, cost, tally);
          idx.forEach((i, k) => (out[i] = got[k] as string));
        }),
      );
    } catch (err) {
      if (err instanceof DuofeedError) err.details['cost'] = { ...cost };
      throw err;
    } finally {
      this.spend.adjust(reservation, tally.billable);
    }
    this.log.debug({ provider: this.provider, model: this.model, from, to, segments: segments.length, ...cost }, 'translated');
    return { segments: out, cost, provider: this.provider, model: this.model };
  }

  private async batch(
    sent: string[],
    from: string,
    to: string,
    opts: TranslateOptions,
    cost: { characters: number; requests: number },
    tally: { billable: number },
  ): Promise<string[]> {
    const chars = sent.reduce((n, s) => n + charCount(s), 0);
    const count = (requests: number, refused: number): void => {
      cost.requests += requests;
      cost.characters += chars * requests;
      // Answers refused with a status are not billed; timeouts and 2xx may be.
      tally.billable += chars * (requests - refused);
    };
    for (let attempt = 0; ; attempt++) {
      let json: unknown;
      try {
        const res = await postJson(this.http, this.adapter.endpoint, this.adapter.headers, this.adapter.buildBody(sent, from, to, opts));
        count(res.requests, res.refused);
        json = res.json;
      } catch (err) {
        if (err instanceof DuofeedError) count(Number(err.details['requests'] ?? 0), Number(err.details['refused'] ?? 0));
        if (!(err instanceof DuofeedError) || err.code !== 'TRANSLATE_BAD_RESPONSE' || attempt >= 1) throw err;
        this.log.warn({ provider: this.provider, err }, 'translation answer unusable; asking once more');
        continue;
      }
      try {
        return this.adapter.parse(json, sent);
      } catch (err) {
        const badAnswer = err instanceof DuofeedError && (err.code === 'TRANSLATE_BAD_RESPONSE' || err.code === 'TRANSLATE_SEGMENT_MISMATCH');
        if (!badAnswer || attempt >= 1) throw err;
        this.log.warn({ provider: this.provider, err }, 'translation answer unusable; asking once more');
      }
    }
  }
}

/**
 * Checks a provider's list of translated strings against what was sent.
 * @throws DuofeedError TRANSLATE_BAD_RESPONSE when `list` is not an array of strings;
 *   TRANSLATE_SEGMENT_MISMATCH when its length differs from `sent.length`
 */
export function expectSegments(list: unknown, sent: string[], provider: string, endpoint: string): string[] {
  if (!Array.isArray(list) || !list.every((s) => typeof s === 'string')) {
    throw new DuofeedError('TRANSLATE_BAD_RESPONSE', `${provider} at ${endpoint} answered without a list of translated strings`, {
      stage: 'enrich',
      url: endpoint,
      details: { got: JSON.stringify(list)?.slice(0, 200) ?? null },
    });
  }
  if (list.length !== sent.length) {
    throw new DuofeedError(
      'TRANSLATE_SEGMENT_MISMATCH',
      `${provider} at ${endpoint} returned ${list.length} segments for ${sent.length} sent; the answer is refused as a whole`,
      { stage: 'enrich', url: endpoint, details: { sent: sent.length, received: list.length } },
    );
  }
  return list as string[];
}
