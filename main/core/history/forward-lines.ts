import type { FileHandle } from 'node:fs/promises';

/** How far a forward read of whole lines got. */
export interface ForwardLines {
  /** Just past the newline of the last whole line read: where a line not ended yet begins. */
  consumed: number;
  /** The bytes after `consumed` up to where the read ended (a last line without its newline). */
  rest: Buffer;
  /** Whether `onLine` asked to stop. */
  stopped: boolean;
}

/**
 * Reads a file's whole lines forward from `from` until `to` (or its end), handing each to `onLine`
 * without its newline, until `onLine` returns true. The first read is `firstChunk` bytes and each next
 * one twice the last, up to `maxChunk`, so an answer in the first lines costs one small read; a line
 * longer than a read is carried into the next, whole.
 */
export async function readLinesForward(
  handle: FileHandle,
  onLine: (line: Buffer) => boolean | undefined,
  range: { from?: number; to?: number; firstChunk?: number; maxChunk?: number } = {},
): Promise<ForwardLines> {
  const to = range.to ?? Number.POSITIVE_INFINITY;
  const maxChunk = range.maxChunk ?? 1024 * 1024;
  let chunkSize = Math.min(range.firstChunk ?? maxChunk, maxChunk);
  let position = range.from ?? 0;
  let consumed = position;
  let carry = Buffer.alloc(0);
  while (position < to) {
    const length = Math.min(chunkSize, to - position);
    chunkSize = Math.min(chunkSize * 2, maxChunk);
    const chunk = Buffer.alloc(length);
    const { bytesRead } = await handle.read(chunk, 0, length, position);
    if (bytesRead === 0) break;
    position += bytesRead;
    const data = carry.length ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
    let start = 0;
    for (let newline = data.indexOf(0x0a); newline !== -1; newline = data.indexOf(0x0a, start)) {
      const stop = onLine(data.subarray(start, newline));
      start = newline + 1;
      if (stop) return { consumed: position - (data.length - start), rest: Buffer.alloc(0), stopped: true };
    }
    consumed = position - (data.length - start);
    carry = Buffer.from(data.subarray(start));
  }
  return { consumed, rest: carry, stopped: false };
}
