import { DuofeedError } from '../../errors.js';
import { expectSegments, type ProviderAdapter } from './batched-translator.js';
import { languageName } from './language-codes.js';
import type { TranslateOptions } from './translator.js';

/**
 * The system prompt: the rules the fidelity guard later checks (tags, numbers, names, URLs, code
 * verbatim; glossary; do-not-translate; one output string per input string).
 */
export function buildSystemPrompt(from: string, to: string, count: number, opts: TranslateOptions, jsonObject: boolean): string {
  const lines = [
    `You are a professional translator. Translate each string of the JSON array the user sends from ${languageName(from)} to ${languageName(to)}.`,
    jsonObject
      ? `Answer with only a JSON object {"segments": [...]} whose array holds exactly ${count} strings: the translations, in the same order, one per input string. Never merge, split, drop or add strings.`
      : `Answer with only a JSON array of exactly ${count} strings: the translations, in the same order, one per input string. Never merge, split, drop or add strings.`,
    'Keep every HTML tag and attribute exactly as it is (including empty <span data-duofeed-keep="N"></span> placeholders); translate only the text between tags.',
    'Copy verbatim: every number with its unit or suffix (8x7B, 70B, 3.5, 46.7%, 2024, $1.2), model and product names (GPT-4o, LLaMA, DeepSeek-V3, MMLU), company names written in Latin letters, URLs, e-mail addresses and code.',
    'Do not add explanations, notes or facts that are not in the source.',
  ];
  const glossary = Object.entries(opts.glossary ?? {});
  if (glossary.length > 0) {
    lines.push('Glossary (always translate the term on the left as given on the right):');
    for (const [term, fixed] of glossary) lines.push(`- ${term} → ${fixed}`);
  }
  if ((opts.doNotTranslate ?? []).length > 0) lines.push(`Never translate these terms: ${(opts.doNotTranslate ?? []).join(', ')}.`);
  if ((opts.hints ?? []).length > 0) {
    lines.push(`A previous translation lost these tokens; each must appear in your translation exactly as written: ${(opts.hints ?? []).join(', ')}.`);
  }
  return lines.join('\n');
}

/**
 * Reads the translated strings out of a chat completion's message content: a JSON array, or an
 * object with a `segments` (or `translations`) array, possibly fenced in ```json … ``` or
 * surrounded by a sentence of chatter.
 * @returns the parsed value (checked by expectSegments), or undefined when no JSON is found
 */
export function parseContent(content: string): unknown {
  let text = content.trim();
  const fence = /```(?:json|JSON)?\s*\n?([\s\S]*?)```/.exec(text);
  if (fence) text = (fence[1] ?? '').trim();
  const tryParse = (s: string): unknown => {
    try {
      return JSON.parse(s) as unknown;
    } catch {
      return undefined;
    }
  };
  let value = tryParse(text);
  if (value === undefined) {
    const a = text.indexOf('[');
    const o = text.indexOf('{');
    const start = a === -1 ? o : o === -1 ? a : Math.min(a, o);
    const close = start !== -1 && text[start] === '[' ? ']' : '}';
    const end = text.lastIndexOf(close);
    if (start !== -1 && end > start) value = tryParse(text.slice(start, end + 1));
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    value = obj['segments'] ?? obj['translations'] ?? value;
  }
  return value;
}

/** Settings of the openai adapter. */
export interface OpenAiAdapterConfig {
  baseUrl: string;
  model: string;
  apiKey: string | null;
  responseFormat: 'json_object' | null;
}

/**
 * Adapter for any OpenAI-compatible chat-completions API (OpenAI, DeepSeek, Qwen/DashScope,
 * Ollama, vLLM, llama.cpp server): `POST {baseUrl}/chat/completions` with
 * `{model, messages, temperature: 0, response_format?}`, `Authorization: Bearer KEY` when a key is
 * configured; the answer is `choices[0].message.content` holding a JSON array.
 */
export function openAiAdapter(c: OpenAiAdapterConfig): ProviderAdapter {
  const endpoint = `${c.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  const jsonObject = c.responseFormat === 'json_object';
  return {
    provider: 'openai',
    model: c.model,
    endpoint,
    headers: c.apiKey ? { authorization: `Bearer ${c.apiKey}` } : {},
    buildBody(segments, from, to, opts) {
      return {
        model: c.model,
        temperature: 0,
        messages: [
          { role: 'system', content: buildSystemPrompt(from, to, segments.length, opts, jsonObject) },
          { role: 'user', content: jsonObject ? JSON.stringify({ segments }) : JSON.stringify(segments) },
        ],
        ...(jsonObject ? { response_format: { type: 'json_object' } } : {}),
      };
    },
    parse(json, sent) {
      const choices = (json as { choices?: Array<{ message?: { content?: unknown }; finish_reason?: unknown }> } | null)?.choices;
      const content = Array.isArray(choices) ? choices[0]?.message?.content : undefined;
      if (typeof content !== 'string') {
        throw new DuofeedError('TRANSLATE_BAD_RESPONSE', `openai at ${endpoint} answered without choices[0].message.content`, {
          stage: 'enrich',
          url: endpoint,
          details: { got: JSON.stringify(json)?.slice(0, 200) ?? null },
        });
      }
      const value = parseContent(content);
      if (value === undefined) {
        throw new DuofeedError('TRANSLATE_BAD_RESPONSE', `openai at ${endpoint} answered with message content that holds no JSON array`, {
          stage: 'enrich',
          url: endpoint,
          details: { content: content.slice(0, 200), finishReason: choices?.[0]?.finish_reason ?? null },
        });
      }
      return expectSegments(value, sent, 'openai', endpoint);
    },
  };
}
