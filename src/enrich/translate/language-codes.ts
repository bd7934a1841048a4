/**
 * BCP 47 tags (as stored on items and sources) to each provider's language codes. A config's
 * `translation.languageCodes` (tag → code) wins over these rules.
 */

function parts(tag: string): { lang: string; rest: string[] } {
  const [lang = '', ...rest] = tag.split(/[-_]/);
  return { lang: lang.toLowerCase(), rest: rest.map((r) => r.toLowerCase()) };
}

function isTraditionalChinese(rest: string[]): boolean {
  return rest.includes('hant') || rest.includes('tw') || rest.includes('hk') || rest.includes('mo');
}

function override(tag: string, map: Record<string, string> | undefined): string | null {
  if (!map) return null;
  const hit = Object.entries(map).find(([k]) => k.toLowerCase() === tag.toLowerCase());
  return hit ? hit[1] : null;
}

/**
 * DeepL `source_lang`: the language without region, upper case (`zh-CN` → `ZH`, `en-US` → `EN`);
 * DeepL source languages carry no variants (developers.deepl.com, "Languages supported").
 */
export function deeplSourceLang(tag: string, map?: Record<string, string>): string {
  return override(tag, map) ?? parts(tag).lang.toUpperCase();
}

/**
 * DeepL `target_lang`: English and Portuguese need a variant (`EN-US`/`EN-GB`, `PT-BR`/`PT-PT`;
 * bare `EN`/`PT` are deprecated as targets), Chinese names its script (`ZH-HANS`, `ZH-HANT` for
 * zh-TW/zh-HK/zh-Hant); other languages are upper-cased without region.
 */
export function deeplTargetLang(tag: string, map?: Record<string, string>): string {
  const o = override(tag, map);
  if (o) return o;
  const { lang, rest } = parts(tag);
  if (lang === 'en') return rest.some((r) => ['gb', 'uk', 'ie', 'au', 'nz', 'in'].includes(r)) ? 'EN-GB' : 'EN-US';
  if (lang === 'pt') return rest.includes('br') ? 'PT-BR' : 'PT-PT';
  if (lang === 'zh') return isTraditionalChinese(rest) ? 'ZH-HANT' : 'ZH-HANS';
  return lang.toUpperCase();
}

/**
 * LibreTranslate code: the language without region, lower case; Chinese is `zh` (Simplified) or
 * `zt` (Traditional), as Argos Translate's model list names them.
 */
export function libreLang(tag: string, map?: Record<string, string>): string {
  const o = override(tag, map);
  if (o) return o;
  const { lang, rest } = parts(tag);
  if (lang === 'zh') return isTraditionalChinese(rest) ? 'zt' : 'zh';
  return lang;
}

/** English name of a language for an LLM prompt (`zh-CN` → `Chinese (China)`), or the tag itself. */
export function languageName(tag: string): string {
  try {
    const name = new Intl.DisplayNames(['en'], { type: 'language' }).of(tag);
    return name && name !== tag ? `${name} (${tag})` : tag;
  } catch {
    return tag;
  }
}
