import { isUtf8 } from 'node:buffer';
import type { BoundedOutput } from '../util/bounded-output.ts';

export interface CaptureSink {
  /** The store every captured line goes to, time-stamped. */
  output: BoundedOutput;
  redact: (text: string) => string;
  /**
   * Whether a secret occurs in these bytes (valid UTF-8): exactly when `redact` would change their
   * text. With it, a block nobody wants as text is stored as it came, never decoded; without it,
   * every block is decoded to be redacted.
   */
  secretIn?: ((bytes: Buffer) => boolean) | undefined;
  /** Each line as it arrives, already redacted. */
  onLine?: ((stream: 'stdout' | 'stderr', line: string, time: Date) => void) | undefined;
  /**
   * Each block of complete lines as it arrives (joined by newlines, already redacted): the cheap way
   * to follow a hook that prints a lot, since nothing is split or copied per line.
   */
  onLines?: ((stream: 'stdout' | 'stderr', text: string, time: Date) => void) | undefined;
  /** Whether `onLines` wants the next block (someone follows the output now); missing: always. */
  wantsLines?: (() => boolean) | undefined;
  /**
   * Each line that holds `text` (as directives hold `LIFEBOAT_`), already redacted, whether or not
   * anything else wants the output: found in the bytes, so the rest is not decoded for it.
   */
  watch?: { text: string; onLine: (stream: 'stdout' | 'stderr', line: string, time: Date) => void } | undefined;
}

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/** Whether a line of `data` (lines without their last newline) is longer than `max` bytes: one look per `max` bytes. */
function hasLongerLine(data: Buffer, max: number): boolean {
  let start = 0;
  while (data.length - start > max) {
    const newline = data.lastIndexOf(NEWLINE, start + max);
    if (newline < start) return true;
    start = newline + 1;
  }
  return false;
}

/**
 * Turns one output stream of a hook into time-stamped, redacted lines. It works a chunk at a time:
 * the complete lines of a chunk are decoded, redacted and stored as one block (a line split across
 * chunks waits for its end, so a secret or a directive split across chunks is still found). A block
 * nobody wants as text, with no secret in it, is stored as its bytes without being decoded. A line
 * longer than `maxLineBytes` is cut there into lines of that many bytes, so memory stays bounded.
 */
export class StreamCapture {
  private readonly stream: 'stdout' | 'stderr';
  private readonly sink: CaptureSink;
  private readonly maxLineBytes: number;
  /** The line begun and not ended yet: its first `carried` bytes (never more than `maxLineBytes`). */
  private carry = Buffer.alloc(0);
  private carried = 0;
  /** Where the carried line is put before the lines of the chunk that ends it. */
  private scratch = Buffer.alloc(0);
  /** The last line that was not blank. */
  lastLine = '';
  private stampedAt = Number.NaN;
  private time = new Date(0);
  private stamp = '';
  private readonly watched: Buffer | undefined;

  constructor(stream: 'stdout' | 'stderr', sink: CaptureSink, maxLineBytes = 64 * 1024) {
    this.stream = stream;
    this.sink = sink;
    this.maxLineBytes = maxLineBytes;
    this.watched = sink.watch ? Buffer.from(sink.watch.text) : undefined;
  }

  /**
   * Takes the next chunk of the stream. The chunk is only read during the call (a pipe may read
   * into the same memory again): whatever must wait for the next one is copied.
   */
  push(chunk: Buffer): void {
    const last = chunk.lastIndexOf(NEWLINE);
    if (last === -1) {
      this.hold(chunk);
      return;
    }
    // The line begun in earlier chunks continues the chunk's first line: they go out as one block.
    const lines = this.carried === 0 ? chunk.subarray(0, last) : this.afterCarry(chunk.subarray(0, last));
    this.carried = 0;
    this.emit(hasLongerLine(lines, this.maxLineBytes) ? this.cutLongLines(lines) : lines);
    this.hold(chunk.subarray(last + 1));
  }

  /** Emits whatever is left as a last line without a newline. */
  end(): void {
    const rest = this.carried;
    this.carried = 0;
    if (rest > 0) this.emit(this.carry.subarray(0, rest));
  }

  /**
   * Keeps a piece of a line not ended yet for the next chunk, copied; whenever the line reaches
   * `maxLineBytes`, that much of it goes out as a line now.
   */
  private hold(piece: Buffer): void {
    let rest = piece;
    while (this.carried + rest.length > this.maxLineBytes) {
      const taken = this.maxLineBytes - this.carried;
      if (this.carried === 0) {
        this.emit(rest.subarray(0, taken));
      } else {
        rest.copy(this.carry, this.carried, 0, taken);
        this.carried = 0;
        this.emit(this.carry.subarray(0, this.maxLineBytes));
      }
      rest = rest.subarray(taken);
    }
    if (rest.length === 0) return;
    if (this.carry.length < this.maxLineBytes) this.carry = Buffer.allocUnsafe(this.maxLineBytes);
    rest.copy(this.carry, this.carried);
    this.carried += rest.length;
  }

  /** The carried bytes followed by `lines`, in memory kept for it: the block is decoded in one go. */
  private afterCarry(lines: Buffer): Buffer {
    const length = this.carried + lines.length;
    if (this.scratch.length < length) this.scratch = Buffer.allocUnsafe(Math.max(length, this.scratch.length * 2));
    this.carry.copy(this.scratch, 0, 0, this.carried);
    lines.copy(this.scratch, this.carried);
    return this.scratch.subarray(0, length);
  }

  /** The same bytes with a newline after every `maxLineBytes` bytes of a line: its pieces become lines. */
  private cutLongLines(data: Buffer): Buffer {
    const pieces: Buffer[] = [];
    const newline = Buffer.from([NEWLINE]);
    let start = 0;
    while (start < data.length) {
      const found = data.indexOf(NEWLINE, start);
      const lineEnd = found === -1 ? data.length : found;
      let from = start;
      while (lineEnd - from > this.maxLineBytes) {
        pieces.push(data.subarray(from, from + this.maxLineBytes), newline);
        from += this.maxLineBytes;
      }
      pieces.push(data.subarray(from, found === -1 ? data.length : found + 1));
      start = found === -1 ? data.length : found + 1;
    }
    return Buffer.concat(pieces);
  }

  /** Complete lines, joined by newlines, without the last newline. */
  private emit(bytes: Buffer): void {
    const { sink } = this;
    const wantsText = sink.onLine !== undefined || (sink.onLines !== undefined && (sink.wantsLines?.() ?? true));
    // Nobody reads this block as text, nothing in it is to be changed: it is stored as it came.
    if (!wantsText && sink.secretIn && bytes.indexOf(CARRIAGE_RETURN) === -1 && isUtf8(bytes) && !sink.secretIn(bytes)) {
      this.emitBytes(bytes);
      return;
    }
    const decoded = bytes.toString('utf8');
    const text = sink.redact(decoded.includes('\r') ? decoded.replace(/\r(?=\n|$)/g, '') : decoded);
    const time = this.stampNow();
    const onLine = sink.onLine;
    if (wantsText) sink.onLines?.(this.stream, text, time);
    let start = 0;
    let lines = 0;
    for (let newline = text.indexOf('\n'); ; newline = text.indexOf('\n', start)) {
      lines += 1;
      if (newline === -1) break;
      if (onLine) onLine(this.stream, text.slice(start, newline), time);
      start = newline + 1;
    }
    if (onLine) onLine(this.stream, text.slice(start), time);
    if (sink.watch && text.includes(sink.watch.text)) this.watchText(text, time);
    // Bytes nothing was taken from are stored as they came: the text is not encoded again.
    sink.output.pushLines(this.stamp, text, lines, text === decoded ? bytes : undefined);
    this.rememberLastLine(text, start);
  }

  /** A block stored as its bytes: its lines are counted, and only a watched line or the last one is decoded. */
  private emitBytes(bytes: Buffer): void {
    const time = this.stampNow();
    let lines = 1;
    let lastStart = 0;
    for (let newline = bytes.indexOf(NEWLINE); newline !== -1; newline = bytes.indexOf(NEWLINE, lastStart)) {
      lines += 1;
      lastStart = newline + 1;
    }
    if (this.watched && bytes.includes(this.watched)) this.watchText(bytes.toString('utf8'), time);
    this.sink.output.pushLines(this.stamp, bytes, lines);
    // The last line that is not blank: decoded one line at a time from the end.
    let end = bytes.length;
    let start = lastStart;
    for (;;) {
      const line = bytes.toString('utf8', start, end);
      if (line.trim()) {
        this.lastLine = line;
        return;
      }
      if (start === 0) return;
      end = start - 1;
      start = end === 0 ? 0 : bytes.lastIndexOf(NEWLINE, end - 1) + 1;
    }
  }

  /** Hands on each line of the (redacted) block that holds the watched text. */
  private watchText(text: string, time: Date): void {
    const watch = this.sink.watch!;
    for (let at = text.indexOf(watch.text); at !== -1; ) {
      const start = text.lastIndexOf('\n', at) + 1;
      const newline = text.indexOf('\n', at);
      const end = newline === -1 ? text.length : newline;
      watch.onLine(this.stream, text.slice(start, end), time);
      at = newline === -1 ? -1 : text.indexOf(watch.text, end);
    }
  }

  /** The time of a block, and its lines' prefix: made again only when the clock moved on. */
  private stampNow(): Date {
    const now = Date.now();
    if (now !== this.stampedAt) {
      this.stampedAt = now;
      this.time = new Date(now);
      this.stamp = `${this.time.toISOString()} ${this.stream} `;
    }
    return this.time;
  }

  /** The last line of the block that is not blank, looked for from the end. */
  private rememberLastLine(text: string, lastStart: number): void {
    let end = text.length;
    let start = lastStart;
    for (;;) {
      const line = text.slice(start, end);
      if (line.trim()) {
        this.lastLine = line;
        return;
      }
      if (start === 0) return;
      end = start - 1;
      start = end === 0 ? 0 : text.lastIndexOf('\n', end - 1) + 1;
    }
  }
}
