/**
 * The one error type of duofeed and its closed set of stable codes.
 *
 * Every code here is listed in README.md ("Error codes"); test/errors.test.ts fails when the two
 * drift. Codes are public: logs, `/healthz` and `poll-once` print them, operators grep for them.
 */

/** Stage that raised an error. */
export type Stage =
  | 'config'
  | 'fetch'
  | 'parse'
  | 'extract'
  | 'enrich'
  | 'store'
  | 'publish'
  | 'server'
  | 'scheduler'
  | 'cli';

/** Every error code with a one-line meaning (README repeats these with what to do). */
export const ERROR_CODES = {
  CONFIG_NOT_FOUND: 'the config file does not exist or cannot be read',
  CONFIG_SYNTAX: 'the config file is not valid JSON',
  CLI_USAGE: 'the command line names an unknown command or option, or a bad value',
  CONFIG_INVALID: 'the config does not match feeds.config.schema.json',
  CONFIG_WRITE_FAILED: 'import-opml could not write the merged config (or its backup); the original file is unchanged',
  CONFIG_CONFLICT: 'import-opml found the config locked by another import past the wait, or changed by another program during the import; nothing was written',
  OPML_INVALID: 'the OPML file cannot be read, is too large, holds bytes invalid in its encoding, is not well-formed XML, declares a DTD with entities, or is not OPML',
  FETCH_BAD_URL: 'the URL is not an absolute http(s) URL',
  FETCH_PRIVATE_ADDRESS: 'the host resolves to a loopback, private, link-local or metadata address',
  FETCH_DNS: 'the host name could not be resolved',
  FETCH_NETWORK: 'the connection failed or was reset',
  FETCH_TIMEOUT: 'the request took longer than http.timeoutMs',
  FETCH_TOO_LARGE: 'the body exceeds the byte cap (maxFeedBytes / maxPageBytes)',
  FETCH_DECOMPRESS: 'the compressed body is corrupt',
  FETCH_TOO_MANY_REDIRECTS: 'more redirects than http.maxRedirects',
  FETCH_REDIRECT_LOOP: 'a redirect leads back to a URL already visited',
  FETCH_REDIRECT_NO_LOCATION: 'a redirect response has no Location header',
  FETCH_HTTP_STATUS: 'the server answered with an HTTP error status',
  FETCH_RATE_LIMITED: 'the server answered 429 or 503 (Retry-After honoured)',
  FETCH_GONE: 'the server answered 410 Gone; the source is disabled',
  PARSE_EMPTY: 'the document is empty',
  PARSE_NOT_A_FEED: 'the document is neither RSS, Atom, RDF nor JSON Feed',
  PARSE_XML: 'the XML is not well-formed beyond repair',
  PARSE_JSON: 'the JSON is not valid',
  PARSE_DTD_FORBIDDEN: 'the document declares entities or an external DTD (refused: XXE / entity expansion)',
  PARSE_OUT_OF_MEMORY: 'parsing the document needed more than the parse worker heap cap (256 MB)',
  EXTRACT_NOT_HTML: 'the article link does not return an HTML page',
  EXTRACT_TOO_LITTLE_TEXT: 'the article page yields too little text; the feed content is kept',
  EXTRACT_TOO_DEEP: 'the article page nests elements deeper than 2000 levels (hostile or broken); the feed content is kept',
  EXTRACT_NO_LINK: 'the item has no link to fetch',
  STORE_FAILED: 'the database rejected a write; the transaction was rolled back',
  STORE_OPEN_FAILED: 'the database file cannot be created, opened or migrated',
  STORE_SCHEMA_TOO_NEW: 'the database was written by a newer duofeed (schema version above what this build knows)',
  POLL_ABORTED: 'the service stopped during the poll; nothing of it was saved',
  SOURCE_DISABLED: 'the source is disabled (by config or after 410 Gone)',
  TRANSLATE_NO_API_KEY: 'the environment variable named by translation.apiKeyEnv is unset or empty',
  TRANSLATE_AUTH: 'the translation service refused the API key (401/403)',
  TRANSLATE_QUOTA: 'the translation service says the account quota is used up (DeepL 456)',
  TRANSLATE_RATE_LIMITED: 'the translation service kept answering 429 after the retries (Retry-After honoured)',
  TRANSLATE_HTTP_STATUS: 'the translation service answered another HTTP error status (5xx after the retries)',
  TRANSLATE_TIMEOUT: 'a translation request took longer than translation.timeoutMs',
  TRANSLATE_NETWORK: 'the translation service could not be reached (connection refused, reset, DNS)',
  TRANSLATE_BAD_RESPONSE: 'the translation service answered with malformed JSON or an unexpected shape',
  TRANSLATE_SEGMENT_MISMATCH: 'the translation came back with a different number of segments than were sent (never accepted in part)',
  TRANSLATE_SPEND_CAP: 'translation.maxCharactersPerDay is reached; translation pauses until the next UTC day',
  WEBSUB_NOTIFY_FAILED: 'the WebSub hub did not accept a publish notification after the retries (or refused it with a 4xx)',
  SERVER_NOT_FOUND: 'no such path or id',
  SERVER_METHOD_NOT_ALLOWED: 'the HTTP method is not GET or HEAD',
  SERVER_BAD_REQUEST: 'a query parameter is invalid',
  SERVER_LISTEN: 'the server cannot listen on the configured host and port (in use or not permitted)',
  INTERNAL: 'an unexpected failure (a bug): please report it with the log line',
} as const;

/** A stable error code. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** Context attached to an error. */
export interface ErrorContext {
  stage: Stage;
  /** URL involved (feed, page or request). */
  url?: string | null;
  sourceId?: string | null;
  cause?: unknown;
  /** Extra facts (limits, byte counts, statuses) for logs. */
  details?: Record<string, unknown>;
}

/**
 * The one error class. `message` names the source/URL and the reason in plain words;
 * `code` is stable; `cause` keeps the underlying error.
 */
export class DuofeedError extends Error {
  readonly code: ErrorCode;
  readonly stage: Stage;
  readonly url: string | null;
  readonly sourceId: string | null;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, ctx: ErrorContext) {
    super(message, ctx.cause === undefined ? undefined : { cause: ctx.cause });
    this.name = 'DuofeedError';
    this.code = code;
    this.stage = ctx.stage;
    this.url = ctx.url ?? null;
    this.sourceId = ctx.sourceId ?? null;
    this.details = ctx.details ?? {};
  }

  /** Plain object for pino's `err` field and JSON output. */
  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      stage: this.stage,
      message: this.message,
      url: this.url,
      sourceId: this.sourceId,
      details: this.details,
    };
  }
}

/**
 * Wraps anything thrown into a DuofeedError, keeping a DuofeedError as it is.
 * @param err any thrown value
 * @param ctx stage/url/source to attach when `err` is not already a DuofeedError
 * @returns a DuofeedError; unknown failures get code INTERNAL
 */
export function toDuofeedError(err: unknown, ctx: ErrorContext): DuofeedError {
  if (err instanceof DuofeedError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new DuofeedError('INTERNAL', message, { ...ctx, cause: err });
}

/** True when `value` is one of the codes in ERROR_CODES. */
export function isErrorCode(value: string): value is ErrorCode {
  return Object.prototype.hasOwnProperty.call(ERROR_CODES, value);
}
