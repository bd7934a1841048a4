import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { validate as validateCron } from 'node-cron';
import { loadSchema } from './config-schema.js';

/** One problem found in a config, with the JSON path (RFC 6901 pointer, `/sources/2/url`). */
export interface ConfigProblem {
  path: string;
  message: string;
}

// ajv-formats ships CommonJS with `exports.default`; under NodeNext the default import is the module.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (
  ajv: InstanceType<typeof Ajv2020>,
) => void;

let compiled: ValidateFunction | null = null;

function validator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv2020({ allErrors: true, strict: true, useDefaults: false });
    addFormats(ajv);
    compiled = ajv.compile(loadSchema());
  }
  return compiled;
}

function describe(e: ErrorObject): ConfigProblem {
  const at = e.instancePath === '' ? '/' : e.instancePath;
  if (e.keyword === 'additionalProperties') {
    const key = (e.params as { additionalProperty: string }).additionalProperty;
    return { path: `${e.instancePath}/${key}`, message: `unknown key "${key}"` };
  }
  if (e.keyword === 'required') {
    const key = (e.params as { missingProperty: string }).missingProperty;
    return { path: `${e.instancePath}/${key}`, message: `missing required key "${key}"` };
  }
  return { path: at, message: e.message ?? e.keyword };
}

function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function isValidLanguageTag(tag: string): boolean {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}

/**
 * Checks a parsed config object against feeds.config.schema.json (JSON Schema 2020-12, ajv with
 * all errors) and then the rules a schema cannot say: unique source ids, valid cron expressions
 * (node-cron syntax), IANA time zones, BCP 47 language tags, `output.websubHub` only with
 * `output.baseUrl`; CSS selectors are left to extraction.
 * @param raw the parsed JSON value of feeds.config.json
 * @returns every problem found (empty when valid); never throws
 */
export function validateConfig(raw: unknown): ConfigProblem[] {
  const validate = validator();
  const problems: ConfigProblem[] = [];
  const seen = new Set<string>();
  if (!validate(raw)) {
    for (const e of validate.errors ?? []) {
      const p = describe(e);
      const key = `${p.path}\n${p.message}`;
      if (!seen.has(key)) {
        seen.add(key);
        problems.push(p);
      }
    }
  }
  if (typeof raw !== 'object' || raw === null) return problems;
  // The rules below run even when the schema failed, so one run reports every problem;
  // each guards the type of what it reads because the schema may not have held.
  const cfg = raw as {
    schedule?: unknown;
    scheduleTimezone?: unknown;
    sources?: unknown;
    keywords?: unknown;
    output?: unknown;
    translation?: unknown;
  };
  const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
  if (str(cfg.schedule) && !validateCron(cfg.schedule)) {
    problems.push({ path: '/schedule', message: `invalid cron expression "${cfg.schedule}"` });
  }
  if (str(cfg.scheduleTimezone) && !isValidTimeZone(cfg.scheduleTimezone)) {
    problems.push({ path: '/scheduleTimezone', message: `unknown IANA time zone "${cfg.scheduleTimezone}"` });
  }
  const kw = cfg.keywords as { min?: unknown; max?: unknown } | undefined;
  if (kw && typeof kw.min === 'number' && typeof kw.max === 'number' && kw.min > kw.max) {
    problems.push({ path: '/keywords/min', message: `min (${kw.min}) is greater than max (${kw.max})` });
  }
  const out = cfg.output as { baseUrl?: unknown; websubHub?: unknown } | undefined;
  if (out && str(out.websubHub) && !str(out.baseUrl)) {
    // Topic URLs sent to the hub must be the feeds' public self links; without a configured base
    // they would be whatever Host a reader happened to use.
    problems.push({ path: '/output/websubHub', message: 'a WebSub hub needs output.baseUrl: the hub fetches the feeds by their public URLs' });
  }
  const tr = cfg.translation as { provider?: unknown; model?: unknown; baseUrl?: unknown } | undefined;
  if (tr && tr.provider === 'openai' && !str(tr.model)) {
    problems.push({ path: '/translation/model', message: 'provider "openai" needs a model name' });
  }
  if (tr && tr.provider === 'libretranslate' && !str(tr.baseUrl)) {
    problems.push({ path: '/translation/baseUrl', message: 'provider "libretranslate" needs the server\'s baseUrl' });
  }
  const urls = new Map<string, number>();
  const ids = new Map<string, number>();
  const sources = Array.isArray(cfg.sources) ? (cfg.sources as Array<Record<string, unknown>>) : [];
  sources.forEach((s, i) => {
    if (typeof s !== 'object' || s === null) return;
    const prev = str(s.id) ? ids.get(s.id) : undefined;
    if (str(s.id) && prev !== undefined) {
      problems.push({ path: `/sources/${i}/id`, message: `duplicate source id "${s.id}" (also /sources/${prev}/id)` });
    } else if (str(s.id)) {
      ids.set(s.id, i);
    }
    if (str(s.url)) {
      // The same feed twice would store every item twice and publish duplicates.
      const seenAt = urls.get(s.url);
      if (seenAt !== undefined) problems.push({ path: `/sources/${i}/url`, message: `the same feed URL as /sources/${seenAt}/url` });
      else urls.set(s.url, i);
    }
    if (str(s.language) && !isValidLanguageTag(s.language)) {
      problems.push({ path: `/sources/${i}/language`, message: `"${s.language}" is not a BCP 47 language tag` });
    }
    if (str(s.schedule) && !validateCron(s.schedule)) {
      problems.push({ path: `/sources/${i}/schedule`, message: `invalid cron expression "${s.schedule}"` });
    }
    if (str(s.timezone) && !isValidTimeZone(s.timezone)) {
      problems.push({ path: `/sources/${i}/timezone`, message: `unknown IANA time zone "${s.timezone}"` });
    }
  });
  return problems;
}
