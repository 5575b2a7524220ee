import type { Readable } from 'node:stream';

/** Bytes read from a hook's pipe at most per read: its blocks of lines stay small enough for the young generation of the heap. */
export const PIPE_READ_BYTES = 64 * 1024;

/** Read buffers of pipes that have closed, handed to the next pipes: a hook's run allocates none (at most this many kept). */
const SPARE_BUFFERS = 8;
const spare: Buffer[] = [];

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
 * and closes as usual either way. The buffer of a closed pipe is kept for the next pipe.
 */
export function readPipe(stream: Readable, onChunk: (chunk: Buffer) => void, size = PIPE_READ_BYTES): void {
  if (!readIntoOneBuffer(stream, onChunk, size)) stream.on('data', onChunk);
}

function readIntoOneBuffer(stream: Readable, onChunk: (chunk: Buffer) => void, size: number): boolean {
  const socket = stream as unknown as UserBufferSocket;
  const handle = socket._handle;
  if (!handle || typeof handle.useUserBuffer !== 'function') return false;
  const symbols = Object.getOwnPropertySymbols(socket);
  const named = (name: string) => symbols.filter((symbol) => symbol.description === name);
  const [buffer, callback, generator] = [named('kBuffer'), named('kBufferCb'), named('kBufferGen')];
  // Exactly the slots an `onread` socket has, all unused: anything else is a Node this does not know.
  if (buffer.length !== 1 || callback.length !== 1 || generator.length !== 1) return false;
  if (socket[buffer[0]!] !== null || socket[callback[0]!] !== null || socket[generator[0]!] !== null) return false;
  const memory = (size === PIPE_READ_BYTES ? spare.pop() : undefined) ?? Buffer.allocUnsafe(size);
  socket[buffer[0]!] = memory;
  socket[callback[0]!] = (bytes: number) => {
    onChunk(memory.subarray(0, bytes));
  };
  (handle.useUserBuffer as (into: Uint8Array) => void).call(handle, memory);
  // Closed, the pipe reads no more: its memory serves the next one (only the bytes each read delivers are ever handed on).
  stream.once('close', () => {
    if (memory.length === PIPE_READ_BYTES && spare.length < SPARE_BUFFERS) spare.push(memory);
  });
  return true;
}
