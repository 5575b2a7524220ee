import { open } from 'node:fs/promises';

const RFC3339 = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/;

/** restic's time (RFC 3339 with up to nine fraction digits, any offset) in nanoseconds since 1970; undefined if it is not one. */
export function resticTimeNs(text: string | undefined): bigint | undefined {
  const match = RFC3339.exec(text ?? '');
  if (!match) return undefined;
  const seconds = Date.parse(`${match[1]}${match[3]}`);
  if (Number.isNaN(seconds)) return undefined;
  return BigInt(seconds) * 1_000_000n + BigInt((match[2] ?? '').padEnd(9, '0'));
}

const CHUNK = 1024 * 1024;

/** Whether two files hold the same bytes, read side by side in chunks (never whole into memory). */
export async function sameBytes(a: string, b: string): Promise<boolean> {
  const first = await open(a, 'r');
  try {
    const second = await open(b, 'r');
    try {
      const bufferA = Buffer.alloc(CHUNK);
      const bufferB = Buffer.alloc(CHUNK);
      for (;;) {
        const [readA, readB] = await Promise.all([readFully(first, bufferA), readFully(second, bufferB)]);
        if (readA !== readB) return false;
        if (readA === 0) return true;
        if (!bufferA.subarray(0, readA).equals(bufferB.subarray(0, readB))) return false;
      }
    } finally {
      await second.close();
    }
  } finally {
    await first.close();
  }
}

/** Fills the buffer unless the file ends first; returns how much was read. */
async function readFully(file: Awaited<ReturnType<typeof open>>, buffer: Buffer): Promise<number> {
  let filled = 0;
  while (filled < buffer.length) {
    const { bytesRead } = await file.read(buffer, filled, buffer.length - filled, null);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled;
}
