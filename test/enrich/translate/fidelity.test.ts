import assert from 'node:assert/strict';
import { checkFidelity, normalizeDigits } from '../../../src/enrich/translate/fidelity.js';

const opts = { glossary: {}, doNotTranslate: [], to: 'zh' };

describe('enrich/translate: fidelity guard', () => {
  it('catches the seed failure: "8 experts of 7B parameters" → "8 attention layers, 7 billion parameters"', () => {
    const r = checkFidelity('8 experts of 7B parameters', '8 attention layers, 7 billion parameters', { ...opts, to: 'en' });
    assert.deepEqual(r, { ok: false, missing: ['7B'] });
    const zh = checkFidelity('Mixtral 8x7B has 8 experts of 7B parameters', 'Mixtral 8x7B 有8个注意力层，70亿参数', opts);
    assert.deepEqual(zh, { ok: false, missing: ['7B'] });
  });

  it('accepts a faithful Chinese translation with full-width digits, ％ and dropped thousands separators', () => {
    const src = 'GPT-3.5 scored 46.7% on MMLU in 2024 and costs $1.2 per 1,000 tokens; LLaMA and DeepSeek-V3 use 70B. See https://example.com/a?b=1.';
    const zh = 'GPT-3.5 在2024年的 MMLU 上得分４６.７％，每1000个 token 花费1.2美元；LLaMA 和 DeepSeek-V3 使用 70B。见 https://example.com/a?b=1。';
    assert.deepEqual(checkFidelity(src, zh, opts), { ok: true, missing: [] });
  });

  it('names every lost token kind: number with suffix, percentage, identifier, URL, inline code', () => {
    const src = 'Mixtral-8x7B beats GPT-4 by 46.7% (https://mistral.ai/news) with `temperature=0`.';
    const bad = 'Mixtral 以46％击败 GPT-4o（mistral 网站），使用 temperature。';
    const r = checkFidelity(src, bad, opts);
    assert.equal(r.ok, false);
    assert.deepEqual(r.missing, ['temperature=0', 'https://mistral.ai/news', 'Mixtral-8x7B', 'GPT-4', '46.7%']);
  });

  it('identifiers need a digit or an inner capital; common acronyms may be translated', () => {
    assert.equal(checkFidelity('The AI lab in the US and its CEO', '美国的人工智能实验室及其首席执行官', opts).ok, true);
    assert.deepEqual(checkFidelity('OpenAI and iPhone and Mistral', 'Open人工智能 与 苹果手机 与 米斯特拉尔', opts).missing, ['OpenAI', 'iPhone']);
  });

  it('a glossary term may appear as its fixed rendering; do-not-translate terms must stay', () => {
    const g = { glossary: { 'large language model': '大语言模型' }, doNotTranslate: ['Transformer'], to: 'zh' };
    assert.equal(checkFidelity('A large language model built on the Transformer', '一个基于 Transformer 的大语言模型', g).ok, true);
    assert.deepEqual(checkFidelity('A large language model built on the Transformer', '一个基于变换器的大型语言模型', g).missing, [
      'Transformer',
      'large language model',
    ]);
  });

  it('grammar suffixes and leading zeros need only the number; unit suffixes are case-insensitive', () => {
    assert.equal(checkFidelity('In the 1990s, on 2024-01-02, the 3rd model had 70B', '在1990年代，2024年1月2日，第3个模型有70b', opts).ok, true);
  });

  it('a changed number is caught even when the same digits appear elsewhere', () => {
    assert.deepEqual(checkFidelity('It has 8 experts and 12 layers', '它有9个专家和12层', opts).missing, ['8']);
  });

  it('normalizeDigits folds full-width forms and thousands separators', () => {
    assert.equal(normalizeDigits('１２,３４５ ４６．７％'), '12345 46.7%');
  });
});

describe('enrich/translate/fidelity: a URL runs into Chinese text', () => {
  it('the URL ends at the first CJK character, so a correct translation passes', async () => {
    const { checkFidelity } = await import('../../../src/enrich/translate/fidelity.js');
    const r = checkFidelity('访问https://openai.com/index/new-model了解更多信息。', 'Visit https://openai.com/index/new-model for more information.', { glossary: {}, doNotTranslate: [], to: 'en' });
    assert.deepEqual(r, { ok: true, missing: [] });
  });
});
