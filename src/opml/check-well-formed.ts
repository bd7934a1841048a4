/** Where a text stops being well-formed XML, and why. */
export interface Malformation {
  /** Offset (UTF-16 code units) in the text. */
  at: number;
  /** What is wrong there, in plain words. */
  what: string;
}

/** 1-based line and column (in characters) of an offset. */
export function lineColumn(text: string, at: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: [...text.slice(start, at)].length + 1 };
}

const NAME = /[A-Za-z_:\u00C0-\uFFFF][\w.:\u00B7\u00C0-\uFFFF-]*/y;
const SPACE = /[ \t\r\n]*/y;

function matchAt(re: RegExp, text: string, at: number): string | null {
  re.lastIndex = at;
  const m = re.exec(text);
  return m ? m[0] : null;
}

/**
 * Checks the markup structure of an XML document (XML 1.0 §2.1, §3.1): every start tag is closed
 * by an end tag of the same name in the right order, attributes are `name="value"` or
 * `name='value'` without `<` in the value, comments, CDATA sections, processing instructions and
 * the DOCTYPE are terminated, and no `<` starts anything else. cheerio's XML mode repairs all of
 * these silently (an unclosed `<outline>` swallows the outlines after it into a folder), so the
 * import checks first. Not checked: entity references and text outside the root (the caller
 * handles the root); names are read leniently (any non-ASCII letter).
 * @param text the decoded document
 * @returns the first problem, or null when the structure is sound
 */
export function findMalformation(text: string): Malformation | null {
  const open: Array<{ name: string; at: number }> = [];
  let i = text.indexOf('<');
  while (i !== -1) {
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end === -1) return { at: i, what: 'a comment <!-- is never closed with -->' };
      i = text.indexOf('<', end + 3);
      continue;
    }
    if (text.startsWith('<![CDATA[', i)) {
      const end = text.indexOf(']]>', i + 9);
      if (end === -1) return { at: i, what: 'a CDATA section is never closed with ]]>' };
      i = text.indexOf('<', end + 3);
      continue;
    }
    if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i + 2);
      if (end === -1) return { at: i, what: 'a processing instruction <? is never closed with ?>' };
      i = text.indexOf('<', end + 2);
      continue;
    }
    if (text.startsWith('<!', i)) {
      const bracket = text.indexOf('[', i);
      const gt = text.indexOf('>', i);
      const subsetEnd = bracket !== -1 && (gt === -1 || bracket < gt) ? text.indexOf(']', bracket) : i;
      const end = subsetEnd === -1 ? -1 : text.indexOf('>', subsetEnd);
      if (end === -1) return { at: i, what: 'a <! declaration is never closed with >' };
      i = text.indexOf('<', end + 1);
      continue;
    }
    if (text[i + 1] === '/') {
      const name = matchAt(NAME, text, i + 2);
      if (name === null) return { at: i, what: 'an end tag </ without an element name' };
      const gt = i + 2 + name.length + (matchAt(SPACE, text, i + 2 + name.length) ?? '').length;
      if (text[gt] !== '>') return { at: gt, what: `the end tag </${name} is not closed with >` };
      const top = open.pop();
      if (top === undefined) return { at: i, what: `</${name}> closes nothing (no element is open)` };
      if (top.name !== name) {
        const o = lineColumn(text, top.at);
        return { at: i, what: `</${name}> closes <${top.name}> opened at line ${o.line}, column ${o.column}` };
      }
      i = text.indexOf('<', gt + 1);
      continue;
    }
    const name = matchAt(NAME, text, i + 1);
    if (name === null) return { at: i, what: 'a "<" that starts no tag (write &lt; in text)' };
    let p = i + 1 + name.length;
    let selfClosing = false;
    for (;;) {
      const space = matchAt(SPACE, text, p) ?? '';
      p += space.length;
      if (text.startsWith('/>', p)) {
        selfClosing = true;
        p += 2;
        break;
      }
      if (text[p] === '>') {
        p += 1;
        break;
      }
      if (p >= text.length) return { at: i, what: `the start tag <${name} is never closed with >` };
      const attr = matchAt(NAME, text, p);
      if (attr === null) return { at: p, what: `unexpected "${text[p]}" in the start tag <${name}>` };
      if (space.length === 0) return { at: p, what: `attribute ${attr} of <${name}> is not separated from what precedes it by a space` };
      p += attr.length;
      p += (matchAt(SPACE, text, p) ?? '').length;
      if (text[p] !== '=') return { at: p, what: `attribute ${attr} of <${name}> has no value (="...")` };
      p += 1;
      p += (matchAt(SPACE, text, p) ?? '').length;
      const quote = text[p];
      if (quote !== '"' && quote !== "'") return { at: p, what: `the value of attribute ${attr} of <${name}> is not quoted` };
      const close = text.indexOf(quote, p + 1);
      if (close === -1) return { at: p, what: `the value of attribute ${attr} of <${name}> is never closed with ${quote}` };
      const lt = text.indexOf('<', p + 1);
      if (lt !== -1 && lt < close) return { at: lt, what: `a "<" inside the value of attribute ${attr} of <${name}> (write &lt;)` };
      p = close + 1;
    }
    if (!selfClosing) open.push({ name, at: i });
    i = text.indexOf('<', p);
  }
  const top = open.pop();
  if (top !== undefined) {
    const o = lineColumn(text, top.at);
    return { at: text.length, what: `<${top.name}> opened at line ${o.line}, column ${o.column} is never closed` };
  }
  return null;
}
