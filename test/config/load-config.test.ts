import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/paths.js';
import { buildConfig, loadConfig } from '../../src/config/load-config.js';
import { DuofeedError } from '../../src/errors.js';

function problemsOf(raw: unknown): Array<{ path: string; message: string }> {
  try {
    buildConfig(raw, 'test.json');
  } catch (e) {
    assert.ok(e instanceof DuofeedError);
    assert.equal(e.code, 'CONFIG_INVALID');
    return e.details.problems as Array<{ path: string; message: string }>;
  }
  assert.fail('config was accepted');
}

const good = { sources: [{ id: 'a', url: 'https://example.com/feed', name: 'A', language: 'en' }] };

describe('config', () => {
  it('the shipped feeds.config.json is valid, references the schema and lists the required sources', () => {
    const file = path.join(REPO_ROOT, 'feeds.config.json');
    const raw = JSON.parse(readFileSync(file, 'utf8')) as { $schema: string };
    assert.equal(raw.$schema, './feeds.config.schema.json');
    const cfg = loadConfig(file);
    const urls = cfg.sources.map((s) => s.url);
    assert.ok(urls.includes('https://the-decoder.com/feed/'));
    for (const host of ['technologyreview.com', 'venturebeat.com', 'huggingface.co']) assert.ok(urls.some((u) => u.includes(host)), host);
    assert.ok(cfg.sources.filter((s) => s.language.startsWith('zh')).length >= 2);
    assert.equal(cfg.output.maxItems, 50);
    assert.equal(cfg.http.allowPrivateNetworks, false);
  });

  it('applies defaults and freezes the result', () => {
    const cfg = buildConfig(good, 'x');
    assert.equal(cfg.http.maxRedirects, 5);
    assert.match(cfg.http.userAgent, /^duofeed\//);
    assert.equal(cfg.sources[0]!.enabled, true);
    assert.deepEqual(cfg.sources[0]!.extract, { selector: null, remove: [], fetchPages: true });
    assert.ok(Object.isFrozen(cfg) && Object.isFrozen(cfg.sources[0]!.extract.remove));
    assert.throws(() => {
      (cfg.output as { maxItems: number }).maxItems = 3;
    }, TypeError);
  });

  it('canonicalizes BCP 47 tags (zh-cn → zh-CN)', () => {
    const cfg = buildConfig({ sources: [{ ...good.sources[0], language: 'zh-cn' }] }, 'x');
    assert.equal(cfg.sources[0]!.language, 'zh-CN');
  });

  it('reports every problem with its JSON path, unknown keys included', () => {
    const problems = problemsOf({
      colour: 'blue',
      http: { timeoutMs: 'slow', retries: 3 },
      output: { maxItems: 0 },
      sources: [
        { id: 'Bad Id', url: 'ftp://example.com/f', name: 'x', language: 'en', extract: { selector: 'article', junk: 1 } },
        { id: 'b', url: 'https://example.com/f', name: 'b', language: 'no such tag!', timezone: 'Mars/Olympus', schedule: '61 * * * *' },
        { id: 'b', url: 'https://example.com/f', name: 'b2', language: 'en' },
        { url: 'https://example.com/h', name: 'c', language: 'en' },
      ],
    });
    const paths = problems.map((p) => p.path).sort();
    assert.deepEqual(paths, [
      '/colour',
      '/http/retries',
      '/http/timeoutMs',
      '/output/maxItems',
      '/sources/0/extract/junk',
      '/sources/0/id',
      '/sources/0/url',
      '/sources/1/language',
      '/sources/1/schedule',
      '/sources/1/timezone',
      '/sources/2/id',
      '/sources/2/url',
      '/sources/3/id',
    ]);
    assert.match(problems.find((p) => p.path === '/colour')!.message, /unknown key "colour"/);
    assert.match(problems.find((p) => p.path === '/sources/2/id')!.message, /duplicate source id "b"/);
    assert.match(problems.find((p) => p.path === '/sources/3/id')!.message, /missing required key "id"/);
  });

  it('names the file for unreadable and non-JSON configs', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'duofeed-config-'));
    const missing = path.join(dir, 'nope.json');
    assert.throws(() => loadConfig(missing), (e: DuofeedError) => e.code === 'CONFIG_NOT_FOUND' && e.message.includes(missing));
    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, '{ "sources": [ }');
    assert.throws(() => loadConfig(broken), (e: DuofeedError) => e.code === 'CONFIG_SYNTAX' && e.message.includes(broken));
    const bom = path.join(dir, 'bom.json');
    writeFileSync(bom, `\uFEFF${JSON.stringify(good)}`);
    assert.equal(loadConfig(bom).sources.length, 1);
  });

  it('every schema property has a description (editors show them)', () => {
    const schema = JSON.parse(readFileSync(path.join(REPO_ROOT, 'feeds.config.schema.json'), 'utf8')) as Record<string, unknown>;
    const missing: string[] = [];
    const walk = (node: unknown, at: string): void => {
      if (!node || typeof node !== 'object') return;
      const props = (node as { properties?: Record<string, unknown> }).properties;
      if (props) {
        for (const [k, v] of Object.entries(props)) {
          if (!(v as { description?: string }).description) missing.push(`${at}/${k}`);
          walk(v, `${at}/${k}`);
        }
      }
      const items = (node as { items?: unknown }).items;
      if (items) walk(items, `${at}[]`);
      const defs = (node as { $defs?: Record<string, unknown> }).$defs;
      if (defs) for (const [k, v] of Object.entries(defs)) walk(v, `#${k}`);
    };
    walk(schema, '');
    assert.deepEqual(missing, []);
  });
});

describe('config: bilingual output, keywords and translation', () => {
  it('defaults: zh+en stacked, primary titles, 3–8 keywords, no translation provider', () => {
    const cfg = buildConfig(good, 'x');
    assert.deepEqual(cfg.output.languages, ['zh', 'en']);
    assert.equal(cfg.output.layout, 'stacked');
    assert.equal(cfg.output.titleMode, 'primary');
    assert.deepEqual(cfg.keywords, { min: 3, max: 8 });
    assert.equal(cfg.translation.provider, 'none');
    assert.equal(cfg.translation.baseUrl, null);
  });
  it('fills provider base URLs and checks provider needs', () => {
    const cfg = buildConfig({ ...good, translation: { provider: 'openai', model: 'gpt-4o-mini', apiKeyEnv: 'OPENAI_API_KEY' } }, 'x');
    assert.equal(cfg.translation.baseUrl, 'https://api.openai.com/v1');
    assert.equal(buildConfig({ ...good, translation: { provider: 'deepl', apiKeyEnv: 'DEEPL_KEY' } }, 'x').translation.baseUrl, 'https://api-free.deepl.com');
    const problems = problemsOf({ ...good, keywords: { min: 9, max: 4 }, translation: { provider: 'openai', apiKey: 'sk-secret' } });
    assert.deepEqual(problems.map((p) => p.path).sort(), ['/keywords/min', '/translation/apiKey', '/translation/model']);
    assert.deepEqual(problemsOf({ ...good, translation: { provider: 'libretranslate' } }).map((p) => p.path), ['/translation/baseUrl']);
    assert.deepEqual(problemsOf({ ...good, output: { languages: ['zh', 'zh'], layout: 'side-by-side' } }).map((p) => p.path).sort(), ['/output/languages', '/output/layout']);
  });
});
