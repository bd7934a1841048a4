import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { DuofeedError } from '../errors.js';

/** Cap on an OPML file (bytes): 10 MiB, the same as `http.maxFeedBytes`' default; real subscription lists are a few hundred KiB. */
export const MAX_OPML_BYTES = 10 * 1024 * 1024;

/**
 * Reads an OPML file into memory, refusing one larger than the cap before reading it (and
 * reading at most cap + 1 bytes, in case the file grows meanwhile or is a pipe).
 * @param file path of the OPML file
 * @param maxBytes cap in bytes (default {@link MAX_OPML_BYTES})
 * @returns the file's bytes
 * @throws DuofeedError OPML_INVALID when the file cannot be opened or read, or exceeds `maxBytes`
 */
export function readOpmlFile(file: string, maxBytes: number = MAX_OPML_BYTES): Buffer {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (cause) {
    throw new DuofeedError('OPML_INVALID', `cannot read OPML file ${file}: ${(cause as Error).message}`, { stage: 'cli', url: file, cause });
  }
  try {
    const tooLarge = (size: number): DuofeedError =>
      new DuofeedError('OPML_INVALID', `OPML file ${file} is larger than the ${maxBytes}-byte cap (${size} bytes or more)`, {
        stage: 'cli',
        url: file,
        details: { maxBytes, size },
      });
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new DuofeedError('OPML_INVALID', `OPML file ${file} is a directory`, { stage: 'cli', url: file });
    if (stat.size > maxBytes) throw tooLarge(stat.size);
    const chunks: Buffer[] = [];
    let total = 0;
    const chunk = Buffer.alloc(64 * 1024);
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      total += n;
      if (total > maxBytes) throw tooLarge(total);
      chunks.push(Buffer.from(chunk.subarray(0, n)));
    }
    return Buffer.concat(chunks, total);
  } catch (cause) {
    if (cause instanceof DuofeedError) throw cause;
    throw new DuofeedError('OPML_INVALID', `cannot read OPML file ${file}: ${(cause as Error).message}`, { stage: 'cli', url: file, cause });
  } finally {
    closeSync(fd);
  }
}
