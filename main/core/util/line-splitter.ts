/**
 * Splits a byte stream into lines across chunk boundaries. Each line is decoded
 * as UTF-8 with invalid sequences replaced, never fatal. A line longer than
 * `maxLineBytes` is cut there and emitted in pieces, so memory stays bounded.
 */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });
  private readonly onLine: (line: string) => void;
  private readonly maxLineBytes: number;

  constructor(onLine: (line: string) => void, maxLineBytes = 1024 * 1024) {
    this.onLine = onLine;
    this.maxLineBytes = maxLineBytes;
  }

  push(chunk: Buffer | string): void {
    let data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    for (;;) {
      const newline = data.indexOf(0x0a);
      if (newline === -1) break;
      this.append(data.subarray(0, newline));
      this.emit();
      data = data.subarray(newline + 1);
    }
    if (data.length > 0) this.append(data);
  }

  /** Emits whatever is left as a last line without a newline. */
  end(): void {
    if (this.pendingBytes > 0) this.emit();
  }

  private append(data: Buffer): void {
    let rest = data;
    while (this.pendingBytes + rest.length > this.maxLineBytes) {
      const room = this.maxLineBytes - this.pendingBytes;
      this.pending.push(rest.subarray(0, room));
      this.pendingBytes += room;
      this.emit();
      rest = rest.subarray(room);
    }
    if (rest.length > 0) {
      this.pending.push(rest);
      this.pendingBytes += rest.length;
    }
  }

  private emit(): void {
    const bytes = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    let line = this.decoder.decode(bytes);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    this.onLine(line);
  }
}
