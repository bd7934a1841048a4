import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, lstatSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, realpathSync, renameSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { loadConfig } from '../../src/config/load-config.js';
import { validateConfig } from '../../src/config/validate-config.js';
import { DuofeedError } from '../../src/errors.js';
import { feedUrlKey } from '../../src/opml/feed-url-key.js';
import { importOpml } from '../../src/opml/import-opml.js';
import { MAX_OPML_BYTES } from '../../src/opml/read-opml-file.js';
import { uniqueSourceId } from '../../src/opml/source-id.js';
import { buildSourceInfos } from '../../src/publish/source-info.js';
import { renderOpml } from '../../src/server/opml.js';
import { FixedClock } from '../helpers/clock.js';
import { REPO_ROOT, corpus } from '../helpers/paths.js';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const SHIPPED_CONFIG = path.join(REPO_ROOT, 'feeds.config.json');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, LOG_LEVEL: 'warn' }, encoding: 'utf8', timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ status: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr });
    });
  });
}

/** A temp dir holding a byte-for-byte copy of the shipped config (or `config` as 2-space JSON). */
function workspace(config?: unknown): { dir: string; config: string; original: Buffer } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'duofeed-opml-'));
  const file = path.join(dir, 'feeds.config.json');
  const bytes = config === undefined ? readFileSync(SHIPPED_CONFIG) : Buffer.from(`${JSON.stringify(config, null, 2)}\n`);
  writeFileSync(file, bytes);
  return { dir, config: file, original: bytes };
}

function writeOpml(dir: string, name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

function backups(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.startsWith('feeds.config.json.bak-'));
}

type Source = Record<string, unknown>;
const sourcesOf = (file: string): Source[] => (JSON.parse(readFileSync(file, 'utf8')) as { sources: Source[] }).sources;

/** Asserts a refused import changed nothing: the config's bytes and the folder's listing are as before. */
function assertUntouched(ws: { dir: string; config: string; original: Buffer }, listing: string[]): void {
  assert.deepEqual(readFileSync(ws.config), ws.original);
  assert.deepEqual(readdirSync(ws.dir).sort(), listing);
}

describe('cli: import-opml', function () {
  this.timeout(60_000);

  it('round-trips our own /sources.opml: every source comes back with its URL, name, language and site', async () => {
    const shipped = loadConfig(SHIPPED_CONFIG);
    const opml = renderOpml(shipped.output.title, [...buildSourceInfos(shipped.sources).values()]);
    const { sources: _dropped, ...rest } = JSON.parse(readFileSync(SHIPPED_CONFIG, 'utf8')) as Record<string, unknown>;
    const ws = workspace({ ...rest, sources: [] });
    const file = writeOpml(ws.dir, 'exported.opml', opml);
    const r = await cli(['import-opml', file, '--config', ws.config]);
    assert.equal(r.status, 0, r.stderr);
    const merged = sourcesOf(ws.config);
    assert.deepEqual(
      merged.map((s) => [s.url, s.name, s.language, s.siteUrl ?? null]),
      shipped.sources.map((s) => [s.url, s.name, s.language, s.siteUrl]),
    );
    for (const s of merged) assert.ok(r.stdout.split('\n').includes(`added ${String(s.id)} ${String(s.url)}`), String(s.url));
    assert.match(r.stdout, new RegExp(`^${shipped.sources.length} added, 0 skipped; wrote `, 'm'));
    assert.equal(validateConfig(JSON.parse(readFileSync(ws.config, 'utf8'))).length, 0);
    const check = await cli(['validate-config', '--config', ws.config]);
    assert.equal(check.stdout.trim(), 'ok');
    // Importing the export into the config it came from adds nothing and writes nothing.
    const same = workspace();
    const again = await cli(['import-opml', file, '--config', same.config]);
    assert.equal(again.status, 0, again.stderr);
    for (const s of shipped.sources) assert.match(again.stdout, new RegExp(`^skipped \\S+: already configured as ${s.id}$`, 'm'));
    assert.match(again.stdout, new RegExp(`^0 added, ${shipped.sources.length} skipped; nothing to add`, 'm'));
    assert.deepEqual(readFileSync(same.config), same.original);
    assert.deepEqual(backups(same.dir), []);
  });

  it('merges an OPML 2.0 file with nested folders: appended sources, skipped duplicates, backup of the original bytes', async () => {
    const ws = workspace();
    const before = JSON.parse(ws.original.toString('utf8')) as Record<string, unknown> & { sources: Source[] };
    const opml = `<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>My reader</title></head>
  <body>
    <outline text="AI">
      <outline text="Research">
        <outline type="rss" text="The Decoder" title="The Decoder" xmlUrl="https://example.org/decoder-mirror.xml" htmlUrl="https://example.org/" language="en-US"/>
        <outline type="rss" text="Decoder again" xmlUrl="HTTPS://THE-DECODER.COM:443/feed"/>
      </outline>
      <outline type="rss" text="Synced Review" xmlUrl="https://syncedreview.com/feed/" htmlUrl="javascript:alert(1)"/>
      <outline type="link" text="A web page, not a feed" url="https://example.org/page"/>
    </outline>
    <outline type="rss" text="机器之心" xmlUrl="https://www.jiqizhixin.com/rss"/>
    <outline type="rss" text="Synced twice" xmlUrl="https://SyncedReview.com/feed"/>
    <outline type="rss" text="Heise &amp; Co" xmlUrl="https://www.heise.de/rss/heise-atom.xml" language="de_DE"/>
  </body>
</opml>`;
    const file = writeOpml(ws.dir, 'reader.opml', opml);
    const r = await cli(['import-opml', file, '--config', ws.config]);
    assert.equal(r.status, 0, r.stderr);
    const added: Source[] = [
      {
        id: 'the-decoder-2',
        url: 'https://example.org/decoder-mirror.xml',
        name: 'The Decoder',
        language: 'en-US',
        siteUrl: 'https://example.org/',
        categories: ['AI', 'Research'],
      },
      { id: 'synced-review', url: 'https://syncedreview.com/feed/', name: 'Synced Review', language: 'en', categories: ['AI'] },
      { id: 'jiqizhixin-com', url: 'https://www.jiqizhixin.com/rss', name: '机器之心', language: 'zh' },
      { id: 'heise-co', url: 'https://www.heise.de/rss/heise-atom.xml', name: 'Heise & Co', language: 'de-DE' },
    ];
    const expected = { ...before, sources: [...before.sources, ...added] };
    assert.equal(readFileSync(ws.config, 'utf8'), `${JSON.stringify(expected, null, 2)}\n`);
    assert.deepEqual(Object.keys(JSON.parse(readFileSync(ws.config, 'utf8')) as object), Object.keys(before));
    const [backup, ...more] = backups(ws.dir);
    assert.deepEqual(more, []);
    assert.match(backup!, /^feeds\.config\.json\.bak-\d{8}T\d{6}Z$/);
    assert.deepEqual(readFileSync(path.join(ws.dir, backup!)), ws.original);
    assert.deepEqual(readdirSync(ws.dir).sort(), [backup!, 'feeds.config.json', 'reader.opml'].sort());
    const lines = r.stdout.trim().split('\n');
    assert.deepEqual(lines.slice(0, 8), [
      'added the-decoder-2 https://example.org/decoder-mirror.xml',
      'added synced-review https://syncedreview.com/feed/',
      'added jiqizhixin-com https://www.jiqizhixin.com/rss',
      'added heise-co https://www.heise.de/rss/heise-atom.xml',
      'skipped https://the-decoder.com/feed: already configured as the-decoder',
      'skipped outline 6: no xmlUrl',
      'skipped https://syncedreview.com/feed: same feed as outline 5 of this file (added as synced-review)',
      'note: no usable language attribute, language guessed from the name for synced-review (en), jiqizhixin-com (zh); correct sources[].language if wrong',
    ]);
    assert.equal(lines[8], `4 added, 3 skipped; wrote ${ws.config} (backup ${path.join(ws.dir, backup!)})`);
    const check = await cli(['validate-config', '--config', ws.config]);
    assert.equal(check.stdout.trim(), 'ok');
    assert.equal(loadConfig(ws.config).sources.length, before.sources.length + 4);
  });

  it('--json prints the report; --dry-run reports the same additions and writes nothing', async () => {
    const ws = workspace();
    const file = writeOpml(
      ws.dir,
      'two.opml',
      `<opml version="2.0"><head/><body><outline text="One" type="rss" xmlUrl="https://one.example/feed"/><outline text="folder without feeds"/></body></opml>`,
    );
    const listing = readdirSync(ws.dir).sort();
    const dry = await cli(['import-opml', file, '--config', ws.config, '--dry-run', '--json']);
    assert.equal(dry.status, 0, dry.stderr);
    const report = JSON.parse(dry.stdout) as {
      added: Array<{ id: string; url: string; name: string }>;
      skipped: Array<{ url: string | null; reason: string }>;
      backup: string | null;
      config: string;
      dryRun: boolean;
    };
    assert.deepEqual(
      report.added.map((a) => [a.id, a.url, a.name]),
      [['one', 'https://one.example/feed', 'One']],
    );
    assert.deepEqual(
      report.skipped.map((s) => [s.url, s.reason]),
      [[null, 'no xmlUrl']],
    );
    assert.equal(report.backup, null);
    assert.equal(report.config, ws.config);
    assert.equal(report.dryRun, true);
    assertUntouched(ws, listing);
    const human = await cli(['import-opml', file, '--config', ws.config, '--dry-run']);
    assert.match(human.stdout, /^added one https:\/\/one\.example\/feed$/m);
    assert.match(human.stdout, /^dry run: 1 would be added, 1 skipped; nothing written$/m);
    assertUntouched(ws, listing);
    const real = await cli(['import-opml', file, '--config', ws.config, '--json']);
    const written = JSON.parse(real.stdout) as { backup: string; added: unknown[] };
    assert.equal(written.added.length, 1);
    assert.deepEqual(readFileSync(written.backup), ws.original);
    assert.equal(sourcesOf(ws.config).at(-1)!.id, 'one');
  });

  it('reads real OPML 1.0 / 2.0 exports from the corpus: folders, no type attribute, ISO-8859-1, language="unknown"', async () => {
    const ws = workspace({ sources: [] });
    const ttrss = await cli(['import-opml', corpus('parser-suites', 'picofeed', 'tests', 'fixtures', 'tinytinyrss.opml'), '--config', ws.config]);
    assert.equal(ttrss.status, 0, ttrss.stderr);
    assert.deepEqual(sourcesOf(ws.config), [
      { id: 'la-ferme-du-web', url: 'http://feeds.lafermeduweb.net/LaFermeDuWeb', name: 'La Ferme du web', language: 'en', siteUrl: 'http://www.lafermeduweb.net/', categories: ['coding'] },
      { id: 'planete-jquery', url: 'http://feeds.feedburner.com/PlaneteJqueryFr', name: 'Planète jQuery', language: 'en', siteUrl: 'http://planete-jquery.fr/', categories: ['coding'] },
    ]);
    const winer = corpus('parser-suites', 'picofeed', 'tests', 'fixtures', 'subscriptionList.opml');
    const raw = readFileSync(winer);
    const r = await cli(['import-opml', winer, '--config', ws.config, '--json']);
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { added: Array<{ url: string; name: string; language: string; languageFrom: string }>; opml: { version: string; encoding: string } };
    // Expected values read from the file itself (every rss outline's xmlUrl and text), not copied.
    const outlines = [...raw.toString('latin1').matchAll(/<outline text="([^"]*)"[^>]*xmlUrl="([^"]*)"/g)];
    assert.equal(report.added.length, outlines.length);
    assert.ok(report.added.length > 10);
    assert.deepEqual(
      report.added.map((a) => a.url),
      outlines.map((m) => m[2]!.replace(/&amp;/g, '&')),
    );
    assert.ok(report.added.some((a) => a.name === 'NYT > Business'));
    assert.ok(report.added.every((a) => a.language === 'en' && a.languageFrom === 'guessed'), 'language="unknown" is not a language');
    assert.deepEqual([report.opml.version, report.opml.encoding], ['2.0', 'windows-1252']);
    assert.equal(validateConfig(JSON.parse(readFileSync(ws.config, 'utf8'))).length, 0);
  });

  it('honours the XML declaration: a GB2312 file is read as GB18030', async () => {
    const ws = workspace({ sources: [] });
    const text = `<?xml version="1.0" encoding="GB2312"?>
<opml version="1.0"><head><title>订阅</title></head><body>
  <outline text="人工智能">
    <outline text="量子位" type="rss" xmlUrl="https://www.qbitai.com/feed" htmlUrl="https://www.qbitai.com/"/>
    <outline text="雷锋网" type="rss" xmlUrl="https://www.leiphone.com/feed" language="zh-CN"/>
  </outline>
</body></opml>`;
    const bytes = iconv.encode(text, 'gb2312');
    assert.ok(!bytes.toString('utf8').includes('量子位'), 'the file is not UTF-8');
    const file = writeOpml(ws.dir, 'gb.opml', bytes);
    const r = await cli(['import-opml', file, '--config', ws.config]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(sourcesOf(ws.config), [
      { id: 'qbitai-com', url: 'https://www.qbitai.com/feed', name: '量子位', language: 'zh', siteUrl: 'https://www.qbitai.com/', categories: ['人工智能'] },
      { id: 'leiphone-com', url: 'https://www.leiphone.com/feed', name: '雷锋网', language: 'zh-CN', categories: ['人工智能'] },
    ]);
  });

  it('refuses entity declarations, external DTDs, non-OPML and oversized files with OPML_INVALID (exit 65), changing nothing', async () => {
    const ws = workspace();
    const cases: Array<[string, string | Buffer, RegExp]> = [
      [
        'laughs.opml',
        `<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
<opml version="2.0"><body><outline text="&c;" type="rss" xmlUrl="https://laughs.example/feed"/></body></opml>`,
        /DTD internal subset/,
      ],
      [
        'xxe.opml',
        `<?xml version="1.0"?><!DOCTYPE opml SYSTEM "file:///etc/passwd"><opml version="2.0"><body><outline text="x" xmlUrl="https://xxe.example/feed"/></body></opml>`,
        /external DTD/,
      ],
      ['rss.opml', readFileSync(corpus('feeds', 'generated', 'google-ai-blog.olshansk.rss2.xml')), /not OPML: its root element is <rss>/],
      ['nobody.opml', '<opml version="2.0"><head><title>t</title></head></opml>', /no <body>/],
      ['empty.opml', '\n\n', /is empty/],
      ['text.opml', 'just some words', /not XML/],
      ['huge.opml', Buffer.alloc(MAX_OPML_BYTES + 1, 0x20), new RegExp(`larger than the ${MAX_OPML_BYTES}-byte cap`)],
    ];
    for (const [name, content, reason] of cases) writeOpml(ws.dir, name, content);
    const listing = readdirSync(ws.dir).sort();
    for (const [name, , reason] of cases) {
      const r = await cli(['import-opml', path.join(ws.dir, name), '--config', ws.config]);
      assert.equal(r.status, 65, `${name}: ${r.stderr}`);
      assert.match(r.stderr, /^duofeed: OPML_INVALID: /, name);
      assert.match(r.stderr, reason, name);
      assert.equal(r.stdout, '', name);
      assertUntouched(ws, listing);
    }
    const missing = await cli(['import-opml', path.join(ws.dir, 'absent.opml'), '--config', ws.config]);
    assert.equal(missing.status, 65);
    assert.match(missing.stderr, /OPML_INVALID: cannot read OPML file .*absent\.opml/);
  });

  it('a merge the schema rejects (an http URL that is not an RFC 3986 URI) exits 78 naming each problem and its outline; the config stays byte-identical', async () => {
    const ws = workspace();
    const n = (JSON.parse(ws.original.toString('utf8')) as { sources: unknown[] }).sources.length;
    const file = writeOpml(
      ws.dir,
      'bad.opml',
      `<opml version="2.0"><body>
        <outline text="Fine" type="rss" xmlUrl="https://fine.example/feed"/>
        <outline text="Pipe" type="rss" xmlUrl="https://pipe.example/a|b"/>
        <outline text="Caret" type="rss" xmlUrl="https://caret.example/a^b"/>
      </body></opml>`,
    );
    const listing = readdirSync(ws.dir).sort();
    for (const extra of [[], ['--dry-run']]) {
      const r = await cli(['import-opml', file, '--config', ws.config, ...extra]);
      assert.equal(r.status, 78, r.stderr);
      assert.match(r.stderr, /CONFIG_INVALID: importing .*bad\.opml would make .* invalid; nothing was written: /);
      assert.match(r.stderr, new RegExp(`/sources/${n + 1}/url: .*\\(from outline 2, xmlUrl "https://pipe\\.example/a\\|b"\\)`));
      assert.match(r.stderr, new RegExp(`/sources/${n + 2}/url: .*\\(from outline 3, xmlUrl "https://caret\\.example/a\\^b"\\)`));
      assert.doesNotMatch(r.stderr, new RegExp(`/sources/${n}/`));
      assert.equal(r.stdout, '');
      assertUntouched(ws, listing);
    }
  });

  it('a config invalid before the import is refused (exit 78) and left alone', async () => {
    const ws = workspace({ sources: [{ id: 'x', url: 'https://x.example/feed', name: 'X', language: 'en', colour: 'red' }] });
    const file = writeOpml(ws.dir, 'one.opml', '<opml version="2.0"><body><outline text="One" xmlUrl="https://one.example/feed"/></body></opml>');
    const listing = readdirSync(ws.dir).sort();
    const r = await cli(['import-opml', file, '--config', ws.config]);
    assert.equal(r.status, 78);
    assert.match(r.stderr, /invalid before the import/);
    assert.match(r.stderr, /\/sources\/0\/colour: unknown key "colour"/);
    assertUntouched(ws, listing);
  });

  it('a failure midway (the rename) leaves the original byte-identical and no temporary file or backup behind', () => {
    const ws = workspace();
    const file = writeOpml(ws.dir, 'one.opml', '<opml version="2.0"><body><outline text="One" xmlUrl="https://one.example/feed"/></body></opml>');
    const listing = readdirSync(ws.dir).sort();
    const renamed: string[] = [];
    assert.throws(
      () =>
        importOpml({
          opmlFile: file,
          configFile: ws.config,
          dryRun: false,
          clock: new FixedClock('2026-11-30T12:00:00.000Z'),
          ops: {
            rename: (from) => {
              renamed.push(from);
              // By now the new text is on disk in the temporary file and the backup exists.
              assert.match(readFileSync(from, 'utf8'), /"id": "one"/);
              assert.deepEqual(readFileSync(`${ws.config}.bak-20261130T120000Z`), ws.original);
              throw Object.assign(new Error('EIO: i/o error, rename'), { code: 'EIO' });
            },
          },
        }),
      (e: DuofeedError) => e.code === 'CONFIG_WRITE_FAILED' && /could not replace the config .*EIO.*unchanged/.test(e.message),
    );
    assert.equal(renamed.length, 1);
    assert.equal(path.dirname(renamed[0]!), realpathSync(ws.dir), 'the temporary file was in the config folder');
    assertUntouched(ws, listing);
  });

  it('keeps a symlinked config a symlink and numbers backups made in the same second', () => {
    const ws = workspace();
    writeFileSync(path.join(ws.dir, 'real.json'), ws.original);
    const real = realpathSync(path.join(ws.dir, 'real.json'));
    const link = path.join(ws.dir, 'link.json');
    symlinkSync('real.json', link);
    const clock = new FixedClock('2026-11-30T12:00:00.000Z');
    const one = writeOpml(ws.dir, 'one.opml', '<opml version="2.0"><body><outline text="One" xmlUrl="https://one.example/feed"/></body></opml>');
    const two = writeOpml(ws.dir, 'two.opml', '<opml version="2.0"><body><outline text="Two" xmlUrl="https://two.example/feed"/></body></opml>');
    const first = importOpml({ opmlFile: one, configFile: link, dryRun: false, clock });
    const afterFirst = readFileSync(real);
    const second = importOpml({ opmlFile: two, configFile: link, dryRun: false, clock });
    assert.ok(lstatSync(link).isSymbolicLink());
    assert.equal(readlinkSync(link), 'real.json');
    assert.deepEqual([first.backup, second.backup], [`${real}.bak-20261130T120000Z`, `${real}.bak-20261130T120000Z-2`]);
    assert.deepEqual(readFileSync(first.backup!), ws.original);
    assert.deepEqual(readFileSync(second.backup!), afterFirst);
    assert.deepEqual(sourcesOf(real).slice(-2).map((s) => s.id), ['one', 'two']);
  });

  it('usage: import-opml needs exactly one FILE (exit 64)', async () => {
    for (const argv of [['import-opml'], ['import-opml', 'a.opml', 'b.opml'], ['validate-config', 'a.opml']]) {
      const r = await cli(argv);
      assert.equal(r.status, 64, argv.join(' '));
      assert.match(r.stderr, /Usage: /);
    }
  });
});

/** An OPML body of `n` feed outlines `prefix-0` … with English names (their language is guessed). */
function manyOutlines(prefix: string, n: number): string {
  const rows = Array.from({ length: n }, (_, i) => `<outline text="${prefix} ${i}" type="rss" xmlUrl="https://${prefix}.example/feed/${i}"/>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0"><head><title>${prefix}</title></head><body>\n${rows.join('\n')}\n</body></opml>\n`;
}

describe('cli: import-opml under concurrency, ownership and broken input', function () {
  this.timeout(120_000);

  it('a second import while the first holds the config lock does not lose the first one\'s update: it waits, then fails with CONFIG_CONFLICT', () => {
    const ws = workspace();
    const a = writeOpml(ws.dir, 'a.opml', '<opml version="2.0"><body><outline text="Aaa" xmlUrl="https://a.example/feed"/></body></opml>');
    const b = writeOpml(ws.dir, 'b.opml', '<opml version="2.0"><body><outline text="Bbb" xmlUrl="https://b.example/feed"/></body></opml>');
    const clock = new FixedClock();
    let inner: unknown = 'not run';
    // Options built in a variable: lockWaitMs is read by the locking import, ignored by older code.
    const nested = { opmlFile: b, configFile: ws.config, dryRun: false, clock, lockWaitMs: 0 };
    importOpml({
      opmlFile: a,
      configFile: ws.config,
      dryRun: false,
      clock,
      ops: {
        rename: (from, to) => {
          // Run b's import at the worst moment: a has read the config and is about to replace it.
          try {
            importOpml(nested);
            inner = 'succeeded';
          } catch (e) {
            inner = e;
          }
          renameSync(from, to);
        },
      },
    });
    assert.ok(inner instanceof DuofeedError, `the second import ${String(inner)} while the first held the lock`);
    assert.equal(inner.code, 'CONFIG_CONFLICT');
    assert.match(inner.message, new RegExp(`${path.basename(ws.config)}\\.lock.*pid ${process.pid}`));
    assert.deepEqual(sourcesOf(ws.config).slice(-1).map((s) => s.id), ['aaa']);
    assert.equal(existsSync(`${ws.config}.lock`), false, 'the lock is released');
    importOpml(nested);
    assert.deepEqual(sourcesOf(ws.config).slice(-2).map((s) => s.id), ['aaa', 'bbb']);
  });

  it('two import-opml processes started together both land: the second merges into the first\'s result', async () => {
    const ws = workspace();
    const a = writeOpml(ws.dir, 'a.opml', manyOutlines('alpha', 1500));
    const b = writeOpml(ws.dir, 'b.opml', manyOutlines('beta', 1500));
    const [ra, rb] = await Promise.all([cli(['import-opml', a, '--config', ws.config]), cli(['import-opml', b, '--config', ws.config])]);
    assert.equal(ra.status, 0, ra.stderr);
    assert.equal(rb.status, 0, rb.stderr);
    const urls = new Set(sourcesOf(ws.config).map((s) => String(s.url)));
    for (const prefix of ['alpha', 'beta']) for (const i of [0, 749, 1499]) assert.ok(urls.has(`https://${prefix}.example/feed/${i}`), `${prefix} ${i}`);
    const baks = backups(ws.dir).map((f) => readFileSync(path.join(ws.dir, f)));
    assert.equal(baks.length, 2);
    // One backup is the original; the other is the first import's result (one of the two lists, not the original).
    const original = baks.filter((bytes) => bytes.equals(ws.original));
    assert.equal(original.length, 1, 'exactly one backup is of the original');
    const middle = baks.find((bytes) => !bytes.equals(ws.original))!.toString('utf8');
    assert.notEqual(middle.includes('alpha.example'), middle.includes('beta.example'));
    assert.equal(existsSync(`${ws.config}.lock`), false);
  });

  it('takes over a stale lock (its pid is not alive) and fails with CONFIG_CONFLICT on a live one after the wait, leaving it alone', () => {
    const ws = workspace();
    const one = writeOpml(ws.dir, 'one.opml', '<opml version="2.0"><body><outline text="One" xmlUrl="https://one.example/feed"/></body></opml>');
    const lock = `${ws.config}.lock`;
    const live = `${JSON.stringify({ pid: process.pid, since: '2026-11-30T11:59:00.000Z' })}\n`;
    writeFileSync(lock, live);
    const listing = readdirSync(ws.dir).sort();
    const waiting = { opmlFile: one, configFile: ws.config, dryRun: false, clock: new FixedClock(), lockWaitMs: 200 };
    assert.throws(
      () => importOpml(waiting),
      (e: DuofeedError) => e.code === 'CONFIG_CONFLICT' && e.message.includes(`pid ${process.pid}`) && e.message.includes(lock),
    );
    assertUntouched(ws, listing);
    assert.equal(readFileSync(lock, 'utf8'), live);
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(lock, `${JSON.stringify({ pid: dead, since: '2026-11-30T11:00:00.000Z' })}\n`);
    const report = importOpml(waiting);
    assert.deepEqual(report.added.map((x) => x.id), ['one']);
    assert.equal(existsSync(lock), false, 'the taken-over lock is released');
  });

  it('refuses to overwrite an edit another program made between the read and the rename (CONFIG_CONFLICT; the edit is kept)', () => {
    const ws = workspace();
    const one = writeOpml(ws.dir, 'one.opml', '<opml version="2.0"><body><outline text="One" xmlUrl="https://one.example/feed"/></body></opml>');
    // The import reads the clock (for the backup's name) after it has read the config: an editor
    // saves then. Each reading saves a different edit, so the last one always follows the read.
    let edits = 0;
    let edited = ws.original;
    const clock = {
      now: () => {
        edits++;
        edited = Buffer.concat([ws.original, Buffer.from('\n'.repeat(edits))]);
        writeFileSync(ws.config, edited);
        return new Date('2026-11-30T12:00:00.000Z');
      },
    };
    assert.throws(
      () => importOpml({ opmlFile: one, configFile: ws.config, dryRun: false, clock }),
      (e: DuofeedError) => e.code === 'CONFIG_CONFLICT' && /changed by another program/.test(e.message),
    );
    assert.ok(edits > 0);
    assert.deepEqual(readFileSync(ws.config), edited, 'the other program\'s edit is kept');
    assert.deepEqual(backups(ws.dir), []);
    assert.equal(existsSync(`${ws.config}.lock`), false);
  });

  it('keeps the config\'s owner and mode when run as root (real chown to uid/gid 1000, mode 640)', function () {
    if (process.getuid?.() !== 0) this.skip();
    const ws = workspace();
    chownSync(ws.config, 1000, 1000);
    chmodSync(ws.config, 0o640);
    const one = writeOpml(ws.dir, 'one.opml', '<opml version="2.0"><body><outline text="One" xmlUrl="https://one.example/feed"/></body></opml>');
    const report = importOpml({ opmlFile: one, configFile: ws.config, dryRun: false, clock: new FixedClock() });
    for (const f of [ws.config, report.backup!]) {
      const st = statSync(f);
      assert.deepEqual([st.uid, st.gid, st.mode & 0o7777], [1000, 1000, 0o640], f);
    }
    assert.deepEqual(report.warnings, []);
  });

  it('says so in the report when the owner cannot be kept (fchown not permitted)', () => {
    const ws = workspace();
    const st = statSync(ws.config);
    const one = writeOpml(ws.dir, 'one.opml', '<opml version="2.0"><body><outline text="One" xmlUrl="https://one.example/feed"/></body></opml>');
    const calls: Array<[number, number]> = [];
    // Pretend the config belongs to someone else and the OS refuses the chown (not root).
    const ops = {
      rename: renameSync,
      owner: () => ({ uid: st.uid + 1, gid: st.gid + 1 }),
      fchown: (_fd: number, uid: number, gid: number) => {
        calls.push([uid, gid]);
        throw Object.assign(new Error('EPERM: operation not permitted, fchown'), { code: 'EPERM' });
      },
    };
    const report = importOpml({ opmlFile: one, configFile: ws.config, dryRun: false, clock: new FixedClock(), ops });
    assert.deepEqual(calls.at(-1), [st.uid + 1, st.gid + 1]);
    assert.equal(report.warnings.length, 1, 'one warning about the owner');
    assert.match(report.warnings[0]!, new RegExp(`owned by uid ${st.uid + 1} gid ${st.gid + 1}.*EPERM`));
    assert.deepEqual(sourcesOf(ws.config).slice(-1).map((s) => s.id), ['one'], 'the import itself went through');
  });

  it('refuses bytes that are not valid in the declared encoding, naming line, column and outlines (OPML_INVALID, exit 65)', async () => {
    const ws = workspace();
    const text = `<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><body>
<outline text="Fine" xmlUrl="https://fine.example/feed"/>
<outline text="量子位" xmlUrl="https://www.qbitai.com/feed"/>
</body></opml>`;
    const file = writeOpml(ws.dir, 'mislabelled.opml', iconv.encode(text, 'gb2312'));
    const listing = readdirSync(ws.dir).sort();
    const r = await cli(['import-opml', file, '--config', ws.config]);
    assert.equal(r.status, 65, r.stderr);
    assert.match(r.stderr, /OPML_INVALID: .*mislabelled\.opml .*not valid utf-8.* line 4, column 16/);
    assert.match(r.stderr, /outline 2\b/);
    assert.doesNotMatch(r.stderr, /outline 1\b/);
    assertUntouched(ws, listing);
  });

  it('refuses XML that is not well-formed (unclosed or mismatched tags, unquoted attributes), naming line and column', async () => {
    const ws = workspace();
    const cases: Array<[string, string, RegExp]> = [
      ['unclosed.opml', '<opml version="2.0"><body>\n<outline text="A" xmlUrl="https://a.example/feed">\n</body></opml>', /line 3, column 1: <\/body> closes <outline> opened at line 2, column 1/],
      ['eof.opml', '<opml version="2.0"><body>\n  <outline text="A" xmlUrl="https://a.example/feed">\n', /<outline> opened at line 2, column 3 is never closed/],
      ['unquoted.opml', '<opml version="2.0"><body>\n<outline text=A xmlUrl="https://a.example/feed"/></body></opml>', /line 2, column 15: /],
      ['stray.opml', '<opml version="2.0"><body></body></opml>\n</opml>', /line 2, column 1: <\/opml> closes nothing/],
    ];
    for (const [name, content] of cases) writeOpml(ws.dir, name, content);
    const listing = readdirSync(ws.dir).sort();
    for (const [name, , reason] of cases) {
      const r = await cli(['import-opml', path.join(ws.dir, name), '--config', ws.config]);
      assert.equal(r.status, 65, `${name}: ${r.stderr}`);
      assert.match(r.stderr, /OPML_INVALID: .*not well-formed XML/, name);
      assert.match(r.stderr, reason, name);
      assertUntouched(ws, listing);
    }
  });

  it('skips javascript:, ftp: and relative xmlUrls like duplicates and imports the rest', async () => {
    const ws = workspace({ sources: [] });
    const file = writeOpml(
      ws.dir,
      'mixed.opml',
      `<opml version="2.0"><body>
        <outline text="Js" xmlUrl="javascript:alert(1)"/>
        <outline text="Fine" xmlUrl="https://fine.example/feed"/>
        <outline text="Ftp" xmlUrl="ftp://old.example/feed.xml"/>
        <outline text="Relative" xmlUrl="/feed.xml"/>
      </body></opml>`,
    );
    const r = await cli(['import-opml', file, '--config', ws.config]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(sourcesOf(ws.config).map((s) => s.url), ['https://fine.example/feed']);
    for (const url of ['javascript:alert(1)', 'ftp://old.example/feed.xml', '/feed.xml']) {
      assert.ok(r.stdout.split('\n').includes(`skipped ${url}: not an http(s) feed URL`), `${url}\n${r.stdout}`);
    }
    assert.match(r.stdout, /^1 added, 3 skipped; wrote /m);
  });

  it('caps the "language guessed" note at 10 names; the JSON report keeps every languageFrom', async () => {
    const ws = workspace({ sources: [] });
    const file = writeOpml(ws.dir, 'many.opml', manyOutlines('gamma', 25));
    const dry = await cli(['import-opml', file, '--config', ws.config, '--dry-run']);
    const note = dry.stdout.split('\n').find((l) => l.startsWith('note: '))!;
    assert.ok(note, dry.stdout);
    assert.match(note, /gamma-0 \(en\), .*gamma-9 \(en\) and 15 more;/);
    assert.doesNotMatch(note, /gamma-10\b/);
    const json = await cli(['import-opml', file, '--config', ws.config, '--dry-run', '--json']);
    const report = JSON.parse(json.stdout) as { added: Array<{ languageFrom: string }> };
    assert.equal(report.added.filter((a) => a.languageFrom === 'guessed').length, 25);
  });
});

describe('opml: ids and URL keys', () => {
  it('feed URLs compare without scheme/host case, default port, fragment or trailing slash; query and scheme still count', () => {
    assert.equal(feedUrlKey('HTTPS://Example.COM:443/feed/#top'), feedUrlKey('https://example.com/feed'));
    assert.equal(feedUrlKey('http://example.com:80/'), feedUrlKey('http://example.com'));
    assert.notEqual(feedUrlKey('https://example.com/feed?lang=en'), feedUrlKey('https://example.com/feed?lang=zh'));
    assert.notEqual(feedUrlKey('http://example.com/feed'), feedUrlKey('https://example.com/feed'));
    assert.notEqual(feedUrlKey('https://example.com:8443/feed'), feedUrlKey('https://example.com/feed'));
  });

  it('ids follow the schema pattern, fold accents, fall back to the host, and stay unique within 64 characters', () => {
    const taken = new Set(['the-decoder']);
    const long = 'A'.repeat(80);
    const ids = [
      uniqueSourceId('The Decoder', 'https://the-decoder.com/feed/', taken),
      uniqueSourceId('The Decoder', 'https://the-decoder.com/feed/', taken),
      uniqueSourceId('Ça marche — über', 'https://x.example/', taken),
      uniqueSourceId('36氪', 'https://36kr.com/feed', taken),
      uniqueSourceId('量子位', 'https://www.qbitai.com/feed', taken),
      uniqueSourceId(null, 'not a url', taken),
      uniqueSourceId(long, 'https://x.example/', taken),
      uniqueSourceId(long, 'https://x.example/', taken),
    ];
    assert.deepEqual(ids.slice(0, 6), ['the-decoder-2', 'the-decoder-3', 'ca-marche-uber', '36kr-com', 'qbitai-com', 'source']);
    assert.deepEqual([ids[6]!.length, ids[7]!.length, ids[7]!.endsWith('-2')], [64, 64, true]);
    for (const id of ids) assert.match(id, /^[a-z0-9][a-z0-9_-]{0,63}$/);
    assert.equal(new Set(ids).size, ids.length);
  });
});
