import { isUtf8 } from 'node:buffer';
import { type BytePiece, ByteQueue } from './byte-queue.ts';

/** A block of lines in the tail: lines that share a prefix, kept as they came until they are dropped. */
interface TailBlock {
  /** Put before each line (a time stamp and a stream name); empty when `text` is stored as it is. */
  prefix: string;
  /** With a prefix: lines joined by newlines, no last newline. Without: the stored text itself. */
  text: string | BytePiece;
  lines: number;
  /** Bytes of the stored form (prefixes and newlines included). */
  bytes: number;
}

/**
 * Keeps a stream's text within a byte budget: the first half and the last half are kept,
 * with a marker saying how much was left out between them. The tail keeps only the newest
 * blocks that make up its half, and a block is stored as it came (its lines' prefixes are
 * added when the text is read), so however much is pushed, memory stays flat and pushing a
 * block costs no copy of it.
 */
export class BoundedOutput {
  private readonly halfBytes: number;
  private head: string[] = [];
  private headBytes = 0;
  private headFull = false;
  /** The newest blocks, oldest first: together at least half the budget, or all pushed so far. */
  private readonly tail: TailBlock[] = [];
  private tailKeptBytes = 0;
  private tailBytesPushed = 0;
  private tailLinesPushed = 0;
  /** The bytes of the tail's blocks of lines, copied into memory used again: no garbage per block. */
  private readonly tailBytes = new ByteQueue();

  constructor(maxBytes = 1024 * 1024) {
    this.halfBytes = Math.floor(maxBytes / 2);
  }

  pushLine(line: string): void {
    const text = `${line}\n`;
    const bytes = Buffer.byteLength(text);
    if (!this.headFull) {
      if (this.headBytes + bytes <= this.halfBytes) {
        this.head.push(text);
        this.headBytes += bytes;
        return;
      }
      this.headFull = true;
    }
    this.pushTail({ prefix: '', text: bytes > this.halfBytes ? lastBytes(text, this.halfBytes + 1) : text, lines: 1, bytes });
  }

  /**
   * Pushes lines that share a prefix (a time stamp and a stream name): `text` is one or more lines
   * joined by newlines, without a last newline, and `lines` how many. Once the head is full the
   * block is kept whole as one entry of the tail, its bytes copied. `text` may be given as its
   * UTF-8 bytes, decoded only if the head takes some of it; `raw`, when given, is a text's bytes
   * as they came (UTF-8 that decodes to it), which spares encoding it again.
   */
  pushLines(prefix: string, text: string | Buffer, lines: number, raw?: Buffer): void {
    if (typeof text !== 'string') {
      if (this.headFull && isUtf8(text)) this.pushBlock(prefix, text, lines);
      else this.pushLines(prefix, text.toString('utf8'), lines, text);
      return;
    }
    let rest = text;
    let left = lines;
    while (!this.headFull) {
      const newline = rest.indexOf('\n');
      this.pushLine(prefix + (newline === -1 ? rest : rest.slice(0, newline)));
      left -= 1;
      if (newline === -1) return;
      rest = rest.slice(newline + 1);
    }
    // Where the head took some lines, `raw` holds them too: the rest is stored from the text.
    this.pushBlock(prefix, raw !== undefined && rest.length === text.length && isUtf8(raw) ? raw : rest, left);
  }

  /** A block of the tail: its lines' text (or their UTF-8) copied into the tail's memory. */
  private pushBlock(prefix: string, source: string | Buffer, lines: number): void {
    const textBytes = typeof source === 'string' ? Buffer.byteLength(source) : source.length;
    const piece = this.tailBytes.add(source, textBytes);
    // The text has the newlines between its lines; each line adds its prefix, and the last its newline.
    const bytes = textBytes + lines * Buffer.byteLength(prefix) + 1;
    this.pushTail({ prefix, text: piece, lines, bytes });
  }

  get truncated(): boolean {
    return this.tailBytesPushed > this.halfBytes;
  }

  toString(): string {
    const head = this.head.join('');
    const kept = this.tail;
    if (kept.length === 0) return head;
    let tail = Buffer.from(kept.map((block) => render(block, this.tailBytes)).join(''));
    if (tail.length > this.halfBytes) {
      // Only the whole lines within the last half of the budget are kept.
      const from = tail.length - this.halfBytes;
      tail = tail.subarray(tail[from - 1] === 0x0a ? from : tail.indexOf(0x0a, from) + 1);
    }
    const droppedLines = this.tailLinesPushed - countNewlines(tail);
    const droppedBytes = this.tailBytesPushed - tail.length;
    const marker = droppedLines > 0 ? `[… ${droppedLines} lines (${droppedBytes} bytes) left out …]\n` : '';
    return head + marker + tail.toString('utf8');
  }

  private pushTail(block: TailBlock): void {
    this.tail.push(block);
    this.tailKeptBytes += block.bytes;
    this.tailBytesPushed += block.bytes;
    this.tailLinesPushed += block.lines;
    // Blocks no longer needed for the last half are let go.
    while (this.tailKeptBytes - this.tail[0]!.bytes >= this.halfBytes) {
      const dropped = this.tail.shift()!;
      this.tailKeptBytes -= dropped.bytes;
      if (typeof dropped.text !== 'string') this.tailBytes.dropOldest();
    }
  }
}

function render(block: TailBlock, bytes: ByteQueue): string {
  const text = typeof block.text === 'string' ? block.text : bytes.read(block.text).toString('utf8');
  return block.prefix === '' ? text : `${block.prefix}${text.replaceAll('\n', `\n${block.prefix}`)}\n`;
}

/**
 * The last `chars` characters of a line too long for the tail (at least as many bytes): enough that
 * reading cuts it away as a partial line, without keeping all of it meanwhile.
 */
function lastBytes(text: string, chars: number): string {
  return text.length > chars ? text.slice(text.length - chars) : text;
}

function countNewlines(buffer: Buffer): number {
  let count = 0;
  let index = buffer.indexOf(0x0a);
  while (index !== -1) {
    count += 1;
    index = buffer.indexOf(0x0a, index + 1);
  }
  return count;
}
