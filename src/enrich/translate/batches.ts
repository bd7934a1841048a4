/** Characters of a string as providers bill them: Unicode code points, not UTF-16 units. */
export function charCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/**
 * Splits segment indexes into request batches in order: at most `maxSegments` per batch and at
 * most `maxCharacters` (code points) per batch; a segment longer than `maxCharacters` goes alone,
 * since cutting a block would merge or split it.
 * @returns batches of indexes into `segments`; every index exactly once, in order
 */
export function planBatches(segments: readonly string[], maxSegments: number, maxCharacters: number): number[][] {
  const batches: number[][] = [];
  let current: number[] = [];
  let chars = 0;
  segments.forEach((seg, i) => {
    const n = charCount(seg);
    if (current.length > 0 && (current.length >= maxSegments || chars + n > maxCharacters)) {
      batches.push(current);
      current = [];
      chars = 0;
    }
    current.push(i);
    chars += n;
  });
  if (current.length > 0) batches.push(current);
  return batches;
}
