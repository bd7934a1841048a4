/** Lower-cased Unicode word runs (letters, digits, underscore), the benchmark's token notion. */
export function tokens(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? []);
}

/**
 * Share of the reference's tokens (as a multiset) found in `candidate`.
 * @returns recall in [0, 1]; 1 for an empty reference
 */
export function tokenRecall(reference: string, candidate: string): number {
  const want = tokens(reference);
  if (want.length === 0) return 1;
  const have = new Map<string, number>();
  for (const t of tokens(candidate)) have.set(t, (have.get(t) ?? 0) + 1);
  let hit = 0;
  for (const t of want) {
    const n = have.get(t) ?? 0;
    if (n > 0) {
      hit++;
      have.set(t, n - 1);
    }
  }
  return hit / want.length;
}
