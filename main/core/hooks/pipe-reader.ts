import type { Readable } from 'node:stream';

/** Bytes read from a hook's pipe at most per read: its blocks of lines stay small enough for the young generation of the heap. */
export const PIPE_READ_BYTES = 64 * 1024;

/**
 * Read buffers of pipes that have closed, handed to the next pipes, so a hook's run allocates
 * none. The hook runner keeps one for all its hooks; at most `keep` buffers wait here.
 */
export class PipeBuffers {
  private readonly spare: Buffer[] = [];
  private readonly keep: number;

  constructor(keep = 8) {
    this.keep = keep;
  }

  take(size: number): Buffer {
    return (size === PIPE_READ_BYTES ? this.spare.pop() : undefined) ?? Buffer.allocUnsafe(size);
  }

  /** A closed pipe's buffer: only the bytes each read delivers are ever handed on, so it serves the next pipe. */
  giveBack(memory: Buffer): void {
    if (memory.length === PIPE_READ_BYTES && this.spare.length < this.keep) this.spare.push(memory);
  }
}

/** What `net.Socket`'s `onread` option sets up, as Node keeps it on the socket and its handle. */
interface UserBufferSocket {
  _handle?: { useUserBuffer?: unknown } | null;
  [key: symbol]: unknown;
}

/**
 * Hands each chunk a child's output pipe delivers to `onChunk`, until the pipe ends. The chunk is
 * only valid during the call: the same memory is read into again, so whoever keeps bytes copies them.
 *
 * A pipe read as a stream allocates a new buffer for every read, and the garbage of a hook that
 * prints hundreds of megabytes costs more than reading it. So where Node offers it (the mechanism
 * behind `net.Socket`'s `onread` option, which child pipes are created without), every read goes
 * into one buffer instead; elsewhere the stream's own chunks are handed on. The stream still ends
 * and closes as usual either way. With `buffers`, the memory comes from there and goes back when the pipe closes.
 */
export function readPipe(stream: Readable, onChunk: (chunk: Buffer) => void, buffers?: PipeBuffers, size = PIPE_READ_BYTES): void {
  if (!readIntoOneBuffer(stream, onChunk, size, buffers)) stream.on('data', onChunk);
}

function readIntoOneBuffer(stream: Readable, onChunk: (chunk: Buffer) => void, size: number, buffers: PipeBuffers | undefined): boolean {
  const socket = stream as unknown as UserBufferSocket;
  const handle = socket._handle;
  if (!handle || typeof handle.useUserBuffer !== 'function') return false;
  const symbols = Object.getOwnPropertySymbols(socket);
  const named = (name: string) => symbols.filter((symbol) => symbol.description === name);
  const [buffer, callback, generator] = [named('kBuffer'), named('kBufferCb'), named('kBufferGen')];
  // Exactly the slots an `onread` socket has, all unused: anything else is a Node this does not know.
  if (buffer.length !== 1 || callback.length !== 1 || generator.length !== 1) return false;
  if (socket[buffer[0]!] !== null || socket[callback[0]!] !== null || socket[generator[0]!] !== null) return false;
  const memory = buffers?.take(size) ?? Buffer.allocUnsafe(size);
  socket[buffer[0]!] = memory;
  socket[callback[0]!] = (bytes: number) => {
    onChunk(memory.subarray(0, bytes));
  };
  (handle.useUserBuffer as (into: Uint8Array) => void).call(handle, memory);
  // Closed, the pipe reads no more: its memory serves the next one.
  if (buffers) stream.once('close', () => buffers.giveBack(memory));
  return true;
}
