import assert from 'node:assert/strict';
import { createTranslator } from '../../../src/enrich/translate/create-translator.js';
import { glossaryFor, glossaryVersion } from '../../../src/enrich/translate/glossary.js';
import type { TranslationConfig as AppTranslationConfig } from '../../../src/types.js';
import { startFakeLibre } from '../../helpers/fake-translators.js';
import { deps } from './setup.js';

describe('enrich/translate: the config shape of feeds.config.json', () => {
  it('AppConfig.translation goes straight into createTranslator (concurrency, requestsPerMinute, cap honoured)', async () => {
    const fake = await startFakeLibre(null);
    try {
      const app: AppTranslationConfig = {
        provider: 'libretranslate',
        baseUrl: fake.origin,
        model: null,
        apiKeyEnv: null,
        timeoutMs: 5000,
        maxRetries: 0,
        requestsPerMinute: 30,
        concurrency: 1,
        maxCharactersPerDay: 5,
        glossary: { zh: { agent: '智能体' } },
        doNotTranslate: ['Claude'],
      };
      const t = createTranslator(app, deps())!;
      assert.equal(t.provider, 'libretranslate');
      assert.deepEqual((await t.translate(['Hi'], 'en', 'zh')).segments, ['[zh] Hi']);
      await assert.rejects(t.translate(['Hello'], 'en', 'zh'), { code: 'TRANSLATE_SPEND_CAP' });
      assert.throws(() => createTranslator({ ...app, baseUrl: null }, deps()), { code: 'CONFIG_INVALID' });
    } finally {
      await fake.close();
    }
  });

  it('glossaryFor picks the target language (base language merged under the exact tag); versions differ when terms do', () => {
    const cfg = { glossary: { zh: { agent: '智能体', attention: '注意力' }, 'zh-TW': { agent: '代理' } }, doNotTranslate: ['Claude'] };
    assert.deepEqual(glossaryFor(cfg, 'zh-CN'), { terms: { agent: '智能体', attention: '注意力' }, doNotTranslate: ['Claude'] });
    assert.deepEqual(glossaryFor(cfg, 'zh-tw').terms, { agent: '代理', attention: '注意力' });
    assert.deepEqual(glossaryFor(cfg, 'en').terms, {});
    assert.notEqual(glossaryVersion(glossaryFor(cfg, 'zh')), glossaryVersion(glossaryFor(cfg, 'zh-TW')));
    assert.equal(glossaryVersion({ terms: { b: '1', a: '2' }, doNotTranslate: [] }), glossaryVersion({ terms: { a: '2', b: '1' }, doNotTranslate: [] }));
  });
});
