/**
 * Keeps a stream's text within a byte budget: the first half and the last half are
 * kept, with a marker saying how much was left out between them. Memory stays bounded
 * however much is pushed.
 */
export class BoundedOutput {
  private readonly halfBytes: number;
  private head: string[] = [];
  private headBytes = 0;
  private tail: string[] = [];
  private tailBytes = 0;
  private droppedBytes = 0;
  private droppedLines = 0;

  constructor(maxBytes = 1024 * 1024) {
    this.halfBytes = Math.floor(maxBytes / 2);
  }

  pushLine(line: string): void {
    const text = `${line}\n`;
    const bytes = Buffer.byteLength(text);
    if (this.tail.length === 0 && this.headBytes + bytes <= this.halfBytes) {
      this.head.push(text);
      this.headBytes += bytes;
      return;
    }
    this.tail.push(text);
    this.tailBytes += bytes;
    while (this.tailBytes > this.halfBytes && this.tail.length > 0) {
      const dropped = this.tail.shift()!;
      const droppedBytes = Buffer.byteLength(dropped);
      this.tailBytes -= droppedBytes;
      this.droppedBytes += droppedBytes;
      this.droppedLines += 1;
    }
  }

  get truncated(): boolean {
    return this.droppedBytes > 0;
  }

  toString(): string {
    const marker = this.droppedBytes > 0 ? `[… ${this.droppedLines} lines (${this.droppedBytes} bytes) left out …]\n` : '';
    return this.head.join('') + marker + this.tail.join('');
  }
}
