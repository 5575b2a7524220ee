import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { PipeBuffers, readPipe } from '../../main/core/hooks/pipe-reader.ts';

const expectedSeq = (count: number) => Buffer.from(Array.from({ length: count }, (_, index) => `${index + 1}\n`).join(''));

test("a child's output pipe read into one buffer gives every byte once, in order, and still ends and closes", async () => {
  const child = spawn('/bin/sh', ['-c', 'seq 1 300000'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const copies: Buffer[] = [];
  const memories = new Set<ArrayBufferLike>();
  readPipe(child.stdout, (chunk) => {
    memories.add(chunk.buffer);
    copies.push(Buffer.from(chunk)); // the chunk is valid only during the call
  });
  const ended = once(child.stdout, 'end');
  await once(child, 'close');
  await ended;
  assert.ok(Buffer.concat(copies).equals(expectedSeq(300_000)));
  assert.ok(copies.length > 1, 'several reads');
  assert.equal(memories.size, 1, 'every read went into the same memory');
});

test('a stream that is not a pipe is read as a stream, chunk by chunk', async () => {
  const stream = Readable.from([Buffer.from('one\n'), Buffer.from('two\n')], { objectMode: false });
  const seen: string[] = [];
  readPipe(stream, (chunk) => seen.push(chunk.toString()));
  await once(stream, 'end');
  assert.deepEqual(seen, ['one\n', 'two\n']);
});

test("a closed pipe's buffer serves the next pipe, which hands on only its own bytes", async () => {
  const buffers = new PipeBuffers();
  const read = async (text: string) => {
    const child = spawn('/bin/sh', ['-c', `printf '%s' '${text}'`], { stdio: ['ignore', 'pipe', 'ignore'] });
    const copies: Buffer[] = [];
    const memories = new Set<ArrayBufferLike>();
    readPipe(
      child.stdout,
      (chunk) => {
        memories.add(chunk.buffer);
        copies.push(Buffer.from(chunk));
      },
      buffers,
    );
    await once(child.stdout, 'close');
    return { text: Buffer.concat(copies).toString(), memories };
  };
  const first = await read('a longer first output that fills more of the buffer');
  const second = await read('short');
  assert.equal(first.text, 'a longer first output that fills more of the buffer');
  assert.equal(second.text, 'short', 'nothing of the first output shows through');
  assert.equal(second.memories.size, 1);
  assert.ok(
    [...second.memories].every((memory) => first.memories.has(memory)),
    'the second pipe read into the first pipe’s memory',
  );
});
