/** Where a piece of the queue's bytes lies: valid until the piece is let go. */
export interface BytePiece {
  start: number;
  length: number;
}

/**
 * Pieces of bytes let go in the order they were added, copied into one block of memory that is
 * used again and again: a stream's newest output can be kept without an allocation per piece.
 * Each piece lies in one stretch of the memory; the memory grows when the live pieces need more.
 */
export class ByteQueue {
  private memory: Buffer;
  private readonly live: BytePiece[] = [];

  constructor(initialBytes = 0) {
    this.memory = Buffer.allocUnsafe(initialBytes);
  }

  /** Copies `source` (bytes, or text written as UTF-8 of `bytes` bytes) in as the newest piece. */
  add(source: Buffer | string, bytes = typeof source === 'string' ? Buffer.byteLength(source) : source.length): BytePiece {
    const start = this.place(bytes);
    if (typeof source === 'string') this.memory.write(source, start, bytes, 'utf8');
    else source.copy(this.memory, start);
    const piece = { start, length: bytes };
    this.live.push(piece);
    return piece;
  }

  /** Lets go of the oldest piece. */
  dropOldest(): void {
    this.live.shift();
  }

  /** The bytes of a live piece: a view, valid until the next `add`. */
  read(piece: BytePiece): Buffer {
    return this.memory.subarray(piece.start, piece.start + piece.length);
  }

  /**
   * Where `bytes` bytes fit: after the newest piece, else at the start before the oldest, else in
   * bigger memory. Empty pieces take no room and are left out when finding where the others lie:
   * one lying where the oldest starts would make wrapped memory look unwrapped.
   */
  private place(bytes: number): number {
    if (bytes === 0) return 0;
    const oldest = this.live.find((piece) => piece.length > 0);
    const newest = this.live.findLast((piece) => piece.length > 0);
    if (!oldest || !newest) {
      if (bytes > this.memory.length) this.memory = Buffer.allocUnsafe(Math.max(bytes, this.memory.length * 2));
      return 0;
    }
    const end = newest.start + newest.length;
    if (newest.start >= oldest.start) {
      // Not wrapped: free space after the newest piece, then before the oldest.
      if (end + bytes <= this.memory.length) return end;
      if (bytes <= oldest.start) return 0;
    } else if (end + bytes <= oldest.start) {
      return end;
    }
    this.grow(bytes);
    const used = this.live.reduce((sum, piece) => sum + piece.length, 0);
    return used; // the live pieces now lie one after another from the start
  }

  /** Bigger memory with the live pieces moved to its start, oldest first, and room for `bytes` more. */
  private grow(bytes: number): void {
    const used = this.live.reduce((sum, piece) => sum + piece.length, 0);
    const memory = Buffer.allocUnsafe(Math.max(this.memory.length * 2, (used + bytes) * 2));
    let at = 0;
    for (const piece of this.live) {
      this.memory.copy(memory, at, piece.start, piece.start + piece.length);
      piece.start = at;
      at += piece.length;
    }
    this.memory = memory;
  }
}
