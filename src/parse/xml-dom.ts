import * as cheerio from 'cheerio';
import type { CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';

/** Namespace URIs the readers look for, with the prefix feeds conventionally bind them to. */
export const NS = {
  atom: { uris: ['http://www.w3.org/2005/Atom', 'http://purl.org/atom/ns#'], prefix: 'atom' },
  media: { uris: ['http://search.yahoo.com/mrss/', 'http://search.yahoo.com/mrss'], prefix: 'media' },
  dc: { uris: ['http://purl.org/dc/elements/1.1/', 'http://purl.org/dc/elements/1.0/'], prefix: 'dc' },
  dcterms: { uris: ['http://purl.org/dc/terms/'], prefix: 'dcterms' },
  content: { uris: ['http://purl.org/rss/1.0/modules/content/'], prefix: 'content' },
  itunes: { uris: ['http://www.itunes.com/dtds/podcast-1.0.dtd'], prefix: 'itunes' },
  rdf: { uris: ['http://www.w3.org/1999/02/22-rdf-syntax-ns#'], prefix: 'rdf' },
} as const;

/** A namespace: its URIs and its conventional prefix. */
export type Namespace = (typeof NS)[keyof typeof NS];

/**
 * A parsed XML document (cheerio in xml mode, htmlparser2 underneath) with namespace-prefix
 * resolution by URI, because the same namespace can be bound to any prefix (case 10).
 */
export class XmlDoc {
  readonly $: CheerioAPI;
  readonly root: Element | null;
  private readonly prefixes = new Map<string, Set<string>>();

  /** @param xml XML text already cleaned by prepareXml */
  constructor(xml: string) {
    this.$ = cheerio.load(xml, { xml: true });
    this.root = (this.$.root().children().get(0) as Element | undefined) ?? null;
    this.$('*').each((_, el) => {
      for (const [name, value] of Object.entries((el as Element).attribs)) {
        if (!name.startsWith('xmlns:')) continue;
        const set = this.prefixes.get(value) ?? new Set<string>();
        set.add(name.slice(6));
        this.prefixes.set(value, set);
      }
    });
  }

  /** Qualified names under which `local` of namespace `ns` may appear in this document. */
  names(ns: Namespace, local: string): Set<string> {
    const out = new Set<string>();
    for (const uri of ns.uris) for (const p of this.prefixes.get(uri) ?? []) out.add(`${p}:${local}`);
    // Undeclared but conventional prefixes are common in hand-written feeds; sax accepts them.
    if (out.size === 0) out.add(`${ns.prefix}:${local}`);
    return out;
  }

  /** Element children of `el` whose qualified name is one of `names`. */
  children(el: Element, names: string | Set<string>): Element[] {
    const set = typeof names === 'string' ? new Set([names]) : names;
    return elementChildren(el).filter((c) => set.has(c.name));
  }

  /** First matching child, or null. */
  child(el: Element, names: string | Set<string>): Element | null {
    return this.children(el, names)[0] ?? null;
  }

  /** Children of `el` in namespace `ns` with local name `local`. */
  nsChildren(el: Element, ns: Namespace, local: string): Element[] {
    return this.children(el, this.names(ns, local));
  }

  /** Text content (CDATA included, XML references decoded), or null when the element is absent. */
  text(el: Element | null): string | null {
    return el ? this.$(el).text() : null;
  }

  /** Trimmed text, null when absent or blank. */
  trimmed(el: Element | null): string | null {
    const t = this.text(el)?.trim();
    return t ? t : null;
  }

  /** Inner markup of `el` serialized as XML (xhtml content). */
  innerXml(el: Element): string {
    return this.$(el).html() ?? '';
  }

  /**
   * The xml:base in scope for `el` (ancestors' values resolved outermost first against
   * `documentUrl`), or null when no xml:base is in scope.
   */
  baseOf(el: Element, documentUrl: string): string | null {
    const chain: string[] = [];
    for (let n: AnyNode | null = el; n; n = n.parent) {
      const v = (n as Element).attribs?.['xml:base'];
      if (v !== undefined) chain.unshift(v.trim());
    }
    if (chain.length === 0) return null;
    let base = documentUrl;
    for (const v of chain) {
      try {
        const next = new URL(v, base);
        // Only an http(s) xml:base is taken: a javascript:/data:/file: one would turn every
        // relative link of the item into that scheme.
        if (next.protocol === 'http:' || next.protocol === 'https:') base = next.href;
      } catch {
        // An unusable xml:base is ignored; the outer base stays in force.
      }
    }
    return base;
  }
}

/** Element children of a node, in document order. */
export function elementChildren(el: Element): Element[] {
  return el.children.filter((c): c is Element => c.type === 'tag' || c.type === 'script' || c.type === 'style');
}
