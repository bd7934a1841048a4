import { readFile } from 'node:fs/promises';
import * as cheerio from 'cheerio';
import Parser from 'rss-parser';
import type { SourceInfo } from '../../src/publish/source-info.js';
import type { Article, Translation } from '../../src/types.js';
import { corpus } from '../helpers/paths.js';
import { makeArticle } from './article-fixtures.js';

/**
 * Bilingual test articles made from real corpus items (read in place): English posts of the
 * Google Cloud blog and Chinese posts of 36氪 as captured by an RSS-GPT aggregator. Bodies are the
 * first text blocks of the real content (so tests stay readable); the translations are written
 * by hand, faithful, keeping every link, in the block structure the translator preserves.
 */

export const GCLOUD: SourceInfo = {
  id: 'gcloud',
  name: 'Google Cloud Blog',
  feedUrl: 'https://cloudblog.withgoogle.com/rss/',
  siteUrl: 'https://cloud.google.com/blog/',
  language: 'en',
};

export const KR36: SourceInfo = {
  id: '36kr',
  name: '36氪 · AI',
  feedUrl: 'https://www.36kr.com/motif/327686782977',
  siteUrl: 'https://www.36kr.com/',
  language: 'zh-CN',
};

/** Attribution map for {@link bilingualArticles}. */
export const BILINGUAL_SOURCES = new Map<string, SourceInfo>([
  [GCLOUD.id, GCLOUD],
  [KR36.id, KR36],
]);

const AT = '2026-08-23T10:00:00.000Z';

function okTranslation(title: string, contentHtml: string, provider: string, model: string | null): Translation {
  return { title, contentHtml, provider, model, at: AT, status: 'ok', missing: [] };
}

/** The articles by role, newest first in `all`. */
export interface BilingualSet {
  /** English original with an accepted zh translation (2 p + ol with 2 li). */
  enOk: Article;
  /** English original whose zh translation was flagged (numbers changed): original only. */
  enFlagged: Article;
  /** English original not translated yet. */
  enPending: Article;
  /** English original whose zh translation lost a block: interleaving must fall back. */
  enMismatch: Article;
  /** Chinese original with an accepted en translation. */
  zhOk: Article;
  /** Chinese original without translation; `language` null (detection found none). */
  zhPending: Article;
  all: Article[];
}

/** zh translation of the first blocks of the Google Cloud "shadow IT" post (hand-made). */
export const SHADOW_IT_ZH = {
  title: '想让员工保持高效？请留意影子 IT 的迹象',
  blocks: [
    '员工会用手头的工具完成工作，但如果这些工具（往往是老旧系统）妨碍协作或不够灵活，他们就会为了方便而转向不太安全的选择。据 <a href="https://www.gartner.com/smarterwithgartner/top-10-security-predictions-2016/">Gartner</a> 预测，到 2020 年，企业遭受的成功攻击中将有三分之一来自影子 IT 的使用。',
    '这个问题并非鲜为人知。百分之八十三的 IT 专业人员<a href="https://www.prnewswire.com/news-releases/shadow-it---cloud-usage-a-growing-challenge-for-cios-575359961.html">报告称</a>，员工把公司数据存放在未经批准的云服务中，这一挑战在文件同步与共享工具上尤为明显。人们绕开老旧系统去使用 Google Drive 等工具，往往是因为觉得现有系统笨重，或者无法方便地与他人协作。在老旧的文件同步与共享系统（如 Microsoft SharePoint）中，他们做不到三件关键的事：',
    '<b>无法在手机上工作。</b>如今，人们希望随时随地都能工作——不只是打开附件，而是真正对工作内容进行编辑和评论。这让他们可以在方便的时候工作，并随时帮助队友。',
    '<b>无法独立、轻松地创建工作空间。</b>这听起来也许有违直觉，但如果员工需要联系 IT 部门才能在云端硬盘上新建项目文件夹，门槛就太高了。由于协作方式不断变化，员工需要能够快速、独立地创建可供共享的文档。工作随时随地发生（正如上文所说），对象既有组织内部的人，也有外部的人。如果有人必须联系 IT 才能新建文件夹，他们更可能放弃这个请求，或者干脆换用别的工具开始工作。',
  ],
};

/** en translation of the first paragraphs of the 36氪 post (hand-made). */
export const TURING_EN = {
  title: 'The fight among the Turing trio keeps escalating: Andrew Ng slams the US AI rules for stifling open source, and even Musk has joined in',
  blocks: [
    'The war of words among AI heavyweights over AI doom, now several days old, keeps escalating. Andrew Ng and LeCun on one side, Hinton and Bengio on the other, are firing at each other face to face: a spectacle never seen before.',
    'The debate among the big names over regulating AI risk keeps escalating. The whole scene has descended into chaos!',
    'And the US government’s newly issued first regulation on artificial intelligence systems is one of the sparks.',
  ],
};

/**
 * Reads the corpus feeds and builds the six bilingual test articles.
 * @returns the articles by role and all of them newest first (as the store lists them)
 */
export async function bilingualArticles(): Promise<BilingualSet> {
  const parser = new Parser();
  const cloud = await parser.parseString(await readFile(corpus('feeds', 'ai-tech', 'google-cloud-blog.rss2.xml'), 'utf8'));
  const kr = await parser.parseString(await readFile(corpus('feeds', 'peer-aggregator-output', 'rss-gpt-36kr-ai-2023-11.zh.rss2.xml'), 'utf8'));
  const byTitle = <T extends { title?: string }>(items: T[], start: string): T => {
    const found = items.find((i) => (i.title ?? '').startsWith(start));
    if (found === undefined) throw new Error(`corpus item "${start}…" not found`);
    return found;
  };

  const base = (item: Parser.Item, id: string, source: SourceInfo, body: string, over: Partial<Article>): Article =>
    makeArticle({
      id,
      sourceId: source.id,
      guid: item.guid ?? item.link ?? id,
      url: item.link ?? null,
      canonicalUrl: item.link ?? null,
      title: item.title ?? '',
      publishedAt: item.isoDate ?? null,
      contentHtml: body,
      extractionStatus: 'ok',
      extractionMethod: 'generic',
      categories: (item.categories ?? []).filter((c): c is string => typeof c === 'string'),
      firstSeenAt: '2026-08-23T00:00:00.000Z',
      updatedAt: '2026-08-23T00:00:00.000Z',
      ...over,
    });

  // Shadow IT: the first two paragraphs and the first two list entries, as published.
  const shadow = byTitle(cloud.items, 'Want to keep your employees productive');
  const $s = cheerio.load(shadow.content ?? '');
  const sp = $s('p').slice(0, 2).toArray().map((e) => $s.html(e));
  const sli = $s('ol > li').slice(0, 2).toArray().map((e) => $s.html(e));
  const shadowBody = `${sp.join('')}<ol>${sli.join('')}</ol>`;
  const zhBlocks = SHADOW_IT_ZH.blocks;
  const shadowZh = `<p>${zhBlocks[0]}</p><p>${zhBlocks[1]}</p><ol><li>${zhBlocks[2]}</li><li>${zhBlocks[3]}</li></ol>`;
  const enOk = base(shadow, 'gc-shadow-it', GCLOUD, shadowBody, {
    language: 'en',
    keywords: { en: ['shadow IT', 'Google Drive', 'file sync and share', 'Gartner'], zh: ['影子 IT', 'Google Drive', '文件同步与共享', 'Gartner'] },
    translations: { zh: okTranslation(SHADOW_IT_ZH.title, shadowZh, 'openai', 'qwen2.5-72b-instruct') },
  });

  // Beyond the Map: the translation turned "45 minutes" into 54 and dropped "5,800": flagged.
  const map = byTitle(cloud.items, 'Beyond the Map');
  const $m = cheerio.load(map.content ?? '');
  const mapBody = $m('p').slice(1, 2).toArray().map((e) => $m.html(e)).join('');
  const enFlagged = base(map, 'gc-beyond-map', GCLOUD, mapBody, {
    language: 'en-US',
    keywords: { en: ['LifeBank', 'Google Maps Platform', 'blood banks'], zh: ['LifeBank', '谷歌地图平台', '血库'] },
    translations: {
      zh: {
        title: '地图之外：用影像解决问题、驱动基于位置的服务',
        contentHtml: '<p>对许多人来说……平均 54 分钟内完成从请求到送达……</p>',
        provider: 'openai',
        model: 'qwen2.5-72b-instruct',
        at: AT,
        status: 'flagged',
        missing: ['45', '5,800'],
      },
    },
  });

  const pixel = byTitle(cloud.items, 'Build a dev workflow with Cloud Code');
  const $p = cheerio.load(pixel.content ?? '');
  const enPending = base(pixel, 'gc-pixelbook', GCLOUD, $p('p').slice(0, 2).toArray().map((e) => $p.html(e)).join(''), {
    language: 'en',
    keywords: { en: ['Pixelbook', 'Cloud Code', 'Kubernetes'] },
  });

  // August on GCP: a paragraph, a bold lead-in and a list entry; the zh version lost the lead-in.
  const august = byTitle(cloud.items, 'Last month today: August on GCP');
  const $a = cheerio.load(august.content ?? '');
  const augustBody = `${$a('p').slice(0, 2).toArray().map((e) => $a.html(e)).join('')}<ul>${$a.html($a('ul > li').first())}</ul>`;
  const enMismatch = base(august, 'gc-august', GCLOUD, augustBody, {
    language: 'en',
    keywords: { en: ['AMD EPYC', 'Google Cloud Platform'], zh: ['AMD EPYC', '谷歌云平台'] },
    translations: {
      zh: okTranslation(
        '上月回顾：GCP 的八月',
        '<p>上个月，<a href="https://cloud.google.com/">Google Cloud Platform</a>（GCP）博客深入探讨了硬件、软件以及让技术运转起来的人。以下是八月最受欢迎的内容。</p><ul><li><p>Google 已在内部工作负载中使用 AMD 的 EPYC 处理器……</p></li></ul>',
        'openai',
        'qwen2.5-72b-instruct',
      ),
    },
  });

  const turing = byTitle(kr.items, '图灵三巨头激战持续升级');
  const $t = cheerio.load((turing as Parser.Item & { 'content:encoded'?: string })['content:encoded'] ?? '');
  const turingBody = $t('p').slice(0, 3).toArray().map((e) => $t.html(e)).join('');
  const zhOk = base(turing, 'kr-turing', KR36, turingBody, {
    language: 'zh-CN',
    keywords: { zh: ['吴恩达', 'AI监管', '开源', 'LeCun'], en: ['Andrew Ng', 'AI regulation', 'open source', 'LeCun'] },
    translations: { en: okTranslation(TURING_EN.title, TURING_EN.blocks.map((b) => `<p>${b}</p>`).join(''), 'deepl', null) },
  });

  const edu = byTitle(kr.items, '人工智能，将颠覆这个领域');
  const $e = cheerio.load((edu as Parser.Item & { 'content:encoded'?: string })['content:encoded'] ?? '');
  const zhPending = base(edu, 'kr-education', KR36, $e('p').slice(0, 2).toArray().map((e) => $e.html(e)).join(''), {
    language: null,
    keywords: { zh: ['人工智能', '教育'] },
  });

  const all = [enOk, enFlagged, enPending, enMismatch, zhOk, zhPending].sort(
    (a, b) => Date.parse(b.publishedAt ?? b.firstSeenAt) - Date.parse(a.publishedAt ?? a.firstSeenAt) || a.id.localeCompare(b.id),
  );
  return { enOk, enFlagged, enPending, enMismatch, zhOk, zhPending, all };
}

/** True when the text holds a CJK ideograph (Han), e.g. from a Chinese version. */
export function hasHan(text: string): boolean {
  return /\p{Script=Han}/u.test(text);
}
