import { spawnSync } from 'node:child_process';

/**
 * Mocha timeout for suites that run {@link strictParse}: each call starts python3 (~0.3 s, more
 * on a busy machine), while mocha's default of 2 s is meant for in-process tests.
 */
export const STRICT_PARSE_TIMEOUT_MS = 60_000;

/** An element as Python's expat-based xml.dom.minidom read it. */
export interface StrictElement {
  name: string;
  attrs: Record<string, string>;
  /** Concatenated text and CDATA children (exact characters after XML parsing). */
  text: string;
  children: StrictElement[];
}

// minidom (expat) is a conforming, non-validating XML 1.0 parser: it rejects forbidden characters,
// a `]]>` in character data, bare `&` and `<`, and it normalizes CR to LF as XML 1.0 §2.11 says.
const SCRIPT = `
import sys, json, xml.dom.minidom
doc = xml.dom.minidom.parseString(sys.stdin.buffer.read())
def conv(el):
    return {
        'name': el.tagName,
        'attrs': {k: v for k, v in el.attributes.items()},
        'text': ''.join(n.data for n in el.childNodes if n.nodeType in (n.TEXT_NODE, n.CDATA_SECTION_NODE)),
        'children': [conv(c) for c in el.childNodes if c.nodeType == c.ELEMENT_NODE],
    }
sys.stdout.write(json.dumps(conv(doc.documentElement), ensure_ascii=True))
`;

/**
 * Parses a document with Python's xml.dom.minidom, a strict XML parser (unlike sax/xml2js in
 * rss-parser or htmlparser2 in cheerio, which tolerate some ill-formed input).
 * Throws when python3 cannot run (tests skip nothing silently) or the document is rejected.
 * @param doc the XML text (sent as UTF-8)
 * @returns the root element as a plain tree
 */
export function strictParse(doc: string): StrictElement {
  const run = spawnSync('python3', ['-c', SCRIPT], { input: Buffer.from(doc, 'utf8'), maxBuffer: 64 * 1024 * 1024 });
  if (run.error) throw new Error(`python3 is required for the strict XML check and could not run: ${run.error.message}`);
  if (run.status !== 0) throw new Error(`strict XML parser rejected the document: ${run.stderr.toString('utf8').trim().split('\n').at(-1)}`);
  return JSON.parse(run.stdout.toString('utf8')) as StrictElement;
}

/**
 * Child elements of `el` along a path of names, e.g. `kids(root, 'channel', 'item')`.
 * @returns every element at the end of the path, in document order
 */
export function kids(el: StrictElement, ...path: string[]): StrictElement[] {
  let level = [el];
  for (const name of path) level = level.flatMap((e) => e.children.filter((c) => c.name === name));
  return level;
}

/** The one element at the end of the path; throws when there is not exactly one. */
export function only(el: StrictElement, ...path: string[]): StrictElement {
  const found = kids(el, ...path);
  if (found.length !== 1) throw new Error(`expected one <${path.join('> <')}>, found ${found.length}`);
  return found[0]!;
}
