import { open } from 'node:fs/promises';

/**
 * Whether an append-only file's last line was cut off (a crash mid-append): its last byte is not a
 * newline. A missing or empty file is not torn. The next append then starts on a line of its own.
 */
export async function endsWithoutNewline(file: string): Promise<boolean> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  try {
    const { size } = await handle.stat();
    if (size === 0) return false;
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    return last[0] !== 0x0a;
  } finally {
    await handle.close();
  }
}
