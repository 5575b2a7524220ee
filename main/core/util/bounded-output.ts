/**
 * Keeps a stream's text within a byte budget: the first half and the last half are kept,
 * with a marker saying how much was left out between them. The tail is a fixed ring of
 * bytes, so however much is pushed, memory stays flat and no garbage piles up.
 */
export class BoundedOutput {
  private readonly halfBytes: number;
  private head: string[] = [];
  private headBytes = 0;
  private headFull = false;
  private ring: Buffer | undefined;
  private ringEnd = 0;
  private ringUsed = 0;
  private tailBytesPushed = 0;
  private tailLinesPushed = 0;
  private scratch = Buffer.alloc(4096);

  constructor(maxBytes = 1024 * 1024) {
    this.halfBytes = Math.floor(maxBytes / 2);
  }

  pushLine(line: string): void {
    const text = `${line}\n`;
    if (!this.headFull) {
      const bytes = Buffer.byteLength(text);
      if (this.headBytes + bytes <= this.halfBytes) {
        this.head.push(text);
        this.headBytes += bytes;
        return;
      }
      this.headFull = true;
    }
    this.pushTail(text);
  }

  get truncated(): boolean {
    return this.tailBytesPushed > this.ringUsed;
  }

  toString(): string {
    const head = this.head.join('');
    if (!this.ring || this.ringUsed === 0) return head;
    const start = (this.ringEnd - this.ringUsed + this.ring.length) % this.ring.length;
    let tail =
      start + this.ringUsed <= this.ring.length
        ? this.ring.subarray(start, start + this.ringUsed)
        : Buffer.concat([this.ring.subarray(start), this.ring.subarray(0, this.ringEnd)]);
    if (this.tailBytesPushed > this.ringUsed) {
      // Bytes were dropped: the kept tail starts at the next whole line.
      tail = tail.subarray(tail.indexOf(0x0a) + 1);
    }
    const keptLines = countNewlines(tail);
    const droppedLines = this.tailLinesPushed - keptLines;
    const droppedBytes = this.tailBytesPushed - tail.length;
    const marker = droppedLines > 0 ? `[… ${droppedLines} lines (${droppedBytes} bytes) left out …]\n` : '';
    return head + marker + tail.toString('utf8');
  }

  private pushTail(text: string): void {
    this.ring ??= Buffer.alloc(this.halfBytes);
    const ring = this.ring;
    if (this.scratch.length < text.length * 3) this.scratch = Buffer.alloc(Math.max(text.length * 3, this.scratch.length * 2));
    const length = this.scratch.write(text);
    this.tailBytesPushed += length;
    this.tailLinesPushed += 1;
    // Only the last ring.length bytes of a huge line can matter.
    let from = Math.max(0, length - ring.length);
    while (from < length) {
      const chunk = Math.min(length - from, ring.length - this.ringEnd);
      this.scratch.copy(ring, this.ringEnd, from, from + chunk);
      this.ringEnd = (this.ringEnd + chunk) % ring.length;
      from += chunk;
      this.ringUsed = Math.min(ring.length, this.ringUsed + chunk);
    }
  }
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
