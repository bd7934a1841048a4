import { createHash } from 'node:crypto';

/**
 * Stable article id: the first 32 hex chars (128 bits) of SHA-256 over
 * `sourceId + "\n" + key`, where `key` is the item's guid (policy 'guid') or its canonical URL
 * (policy 'link'). The same source and key always give the same id, on any machine.
 * @param sourceId configured source id
 * @param key identity key of the item
 * @returns 32 lowercase hex chars
 */
export function articleId(sourceId: string, key: string): string {
  return createHash('sha256').update(`${sourceId}\n${key}`, 'utf8').digest('hex').slice(0, 32);
}
