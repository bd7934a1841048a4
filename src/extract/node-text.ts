import type { AnyNode } from 'domhandler';

/**
 * Raw text content of a DOM node (text nodes only; script, style and comment contents are
 * skipped because they are not `tag`/`text` nodes). Whitespace is kept as is.
 * @param node domhandler node
 * @returns concatenated text
 */
export function nodeText(node: AnyNode): string {
  if (node.type === 'text') return node.data;
  if (node.type !== 'tag' && node.type !== 'root') return '';
  let out = '';
  for (const child of node.children) out += nodeText(child);
  return out;
}

/**
 * True when `node` is still part of a document (its ancestor chain ends at a root node), i.e. it
 * was not detached by removing one of its ancestors.
 */
export function isAttached(node: AnyNode): boolean {
  let n: AnyNode = node;
  while (n.parent) n = n.parent;
  return n.type === 'root';
}
