import type http from 'node:http';
import { startLoopback } from './loopback.js';

/**
 * Loopback stand-ins for the three translation services, speaking each one's documented request
 * and response format and error bodies, recording every request, and "translating"
 * deterministically: each segment gets a `[<target>] ` prefix (tags, numbers and names kept), or
 * the entry of `table` when the segment is in it.
 *
 * - OpenAI chat completions: `POST /chat/completions` `{model, messages, temperature}` →
 *   `{choices: [{message: {content}}]}`; errors `{error: {message, type, code}}`.
 * - DeepL v2: `POST /v2/translate` `{text, source_lang, target_lang, tag_handling}` with
 *   `Authorization: DeepL-Auth-Key KEY` → `{translations: [{detected_source_language, text}]}`;
 *   errors `{message}` (403 key, 456 quota, 429, 5xx).
 * - LibreTranslate: `POST /translate` `{q, source, target, format, api_key}` →
 *   `{translatedText: [...]}`; errors `{error}` (400, 403, 429, 500).
 */

/** How the fake answers once its script is used up. */
export type FakeMode = 'ok' | 'drop' | 'change-number' | 'malformed' | 'slow';

/** One request as received. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON body (null when not JSON). */
  body: Record<string, unknown> | null;
}

/** A canned reply, served (in order) before the normal behaviour. */
export interface ScriptedReply {
  status: number;
  headers?: Record<string, string>;
  /** Raw body; default the provider's error body for `status`. */
  body?: string;
}

/** A running fake. */
export interface FakeTranslatorServer {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  requests: RecordedRequest[];
  mode: FakeMode;
  /** Delay of the `slow` mode (ms). */
  slowMs: number;
  script: ScriptedReply[];
  /** Source segment → translation, used instead of the prefix transform. */
  table: Map<string, string>;
  /** openai: wrap the content in a ```json fence with a sentence before it. */
  fence: boolean;
  close(): Promise<void>;
}

type Provider = 'openai' | 'deepl' | 'libretranslate';

/** The prefix transform: `[zh] ` + segment. */
export function fakeTranslate(segment: string, target: string): string {
  return `[${target.toLowerCase()}] ${segment}`;
}

function errorBody(provider: Provider, status: number): string {
  const message =
    status === 401 || status === 403
      ? 'Invalid API key'
      : status === 456
        ? 'Quota exceeded'
        : status === 429
          ? 'Too many requests'
          : status >= 500
            ? 'Internal server error'
            : 'Bad request';
  if (provider === 'openai') return JSON.stringify({ error: { message, type: status === 429 ? 'requests' : 'invalid_request_error', code: null } });
  if (provider === 'deepl') return JSON.stringify({ message });
  return JSON.stringify({ error: message });
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: http.ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  if (res.destroyed || res.writableEnded) return;
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(body);
}

async function startFake(provider: Provider, key: string | null): Promise<FakeTranslatorServer> {
  const state = {
    requests: [] as RecordedRequest[],
    mode: 'ok' as FakeMode,
    slowMs: 2000,
    script: [] as ScriptedReply[],
    table: new Map<string, string>(),
    fence: false,
  };
  const translateAll = (segments: string[], target: string): string[] => {
    let out = segments.map((s) => state.table.get(s) ?? fakeTranslate(s, target));
    if (state.mode === 'drop') out = out.slice(0, -1);
    if (state.mode === 'change-number') {
      let changed = false;
      out = out.map((s) =>
        changed
          ? s
          : s.replace(/\d+/, (d) => {
              changed = true;
              return String(Number(d) + 1);
            }),
      );
    }
    return out;
  };

  const lb = await startLoopback((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      let body: Record<string, unknown> | null = null;
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        body = null;
      }
      state.requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      const expectedPath = provider === 'openai' ? '/chat/completions' : provider === 'deepl' ? '/v2/translate' : '/translate';
      if (req.method !== 'POST' || req.url !== expectedPath) return send(res, 404, errorBody(provider, 404));
      const scripted = state.script.shift();
      if (scripted) return send(res, scripted.status, scripted.body ?? errorBody(provider, scripted.status), scripted.headers);
      // Authentication, as each API does it.
      if (key !== null) {
        const auth = req.headers.authorization ?? '';
        const ok =
          provider === 'openai' ? auth === `Bearer ${key}` : provider === 'deepl' ? auth === `DeepL-Auth-Key ${key}` : body?.['api_key'] === key;
        if (!ok) return send(res, provider === 'openai' ? 401 : 403, errorBody(provider, provider === 'openai' ? 401 : 403));
      }
      if (state.mode === 'slow') await new Promise((r) => setTimeout(r, state.slowMs));
      if (state.mode === 'malformed') return send(res, 200, '{"translations": [ {"text": "unterminated');
      if (body === null) return send(res, 400, errorBody(provider, 400));

      if (provider === 'openai') {
        const messages = body['messages'] as Array<{ role: string; content: string }> | undefined;
        if (typeof body['model'] !== 'string' || !Array.isArray(messages)) return send(res, 400, errorBody(provider, 400));
        const user = JSON.parse(messages.find((m) => m.role === 'user')?.content ?? '[]') as unknown;
        const segments = (Array.isArray(user) ? user : (user as { segments: string[] }).segments) as string[];
        const system = messages.find((m) => m.role === 'system')?.content ?? '';
        const target = /to .*\(([A-Za-z-]+)\)\./.exec(system)?.[1] ?? 'xx';
        const out = translateAll(segments, target);
        const json = body['response_format'] ? JSON.stringify({ segments: out }) : JSON.stringify(out);
        const content = state.fence ? `Here is the translation:\n\`\`\`json\n${json}\n\`\`\`` : json;
        return send(
          res,
          200,
          JSON.stringify({
            id: 'chatcmpl-fake',
            object: 'chat.completion',
            created: 0,
            model: body['model'],
            choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
            usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
          }),
        );
      }
      if (provider === 'deepl') {
        const text = body['text'];
        if (!Array.isArray(text) || typeof body['target_lang'] !== 'string') return send(res, 400, JSON.stringify({ message: "Parameter 'text' or 'target_lang' not specified." }));
        if (text.length > 50) return send(res, 413, JSON.stringify({ message: 'Request Entity Too Large' }));
        const out = translateAll(text as string[], String(body['target_lang']));
        const source = typeof body['source_lang'] === 'string' ? body['source_lang'] : 'EN';
        return send(res, 200, JSON.stringify({ translations: out.map((t) => ({ detected_source_language: source, text: t })) }));
      }
      const q = body['q'];
      if (q === undefined || (Array.isArray(q) && q.length === 0)) return send(res, 400, JSON.stringify({ error: 'Invalid request: missing q parameter' }));
      if (typeof body['source'] !== 'string') return send(res, 400, JSON.stringify({ error: 'Invalid request: missing source parameter' }));
      if (typeof body['target'] !== 'string') return send(res, 400, JSON.stringify({ error: 'Invalid request: missing target parameter' }));
      const out = translateAll(Array.isArray(q) ? (q as string[]) : [String(q)], String(body['target']));
      return send(res, 200, JSON.stringify({ translatedText: Array.isArray(q) ? out : out[0] }));
    })().catch(() => send(res, 500, errorBody(provider, 500)));
  });

  const server: FakeTranslatorServer = {
    origin: lb.origin,
    requests: state.requests,
    get mode() {
      return state.mode;
    },
    set mode(m: FakeMode) {
      state.mode = m;
    },
    get slowMs() {
      return state.slowMs;
    },
    set slowMs(ms: number) {
      state.slowMs = ms;
    },
    script: state.script,
    table: state.table,
    get fence() {
      return state.fence;
    },
    set fence(f: boolean) {
      state.fence = f;
    },
    close: () => lb.close(),
  };
  return server;
}

/** A fake OpenAI-compatible chat-completions server; `key` null = no auth (a local server). */
export function startFakeOpenAI(key: string | null = null): Promise<FakeTranslatorServer> {
  return startFake('openai', key);
}

/** A fake DeepL API v2 server (a key is always required, as DeepL does). */
export function startFakeDeepL(key: string): Promise<FakeTranslatorServer> {
  return startFake('deepl', key);
}

/** A fake LibreTranslate server; `key` null = an instance without API keys. */
export function startFakeLibre(key: string | null = null): Promise<FakeTranslatorServer> {
  return startFake('libretranslate', key);
}
