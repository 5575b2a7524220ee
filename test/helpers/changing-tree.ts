import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The first state of a tree whose change between two backups the diff tests know exactly. */
export async function writeFirstTree(source: string): Promise<{ raw: string }> {
  const raw = join(source, 'videos', 'raw');
  await mkdir(raw, { recursive: true });
  await writeFile(join(source, 'keep.txt'), randomBytes(100));
  await writeFile(join(source, 'mod.txt'), randomBytes(1000));
  await writeFile(join(source, 'del.txt'), randomBytes(500));
  await writeFile(join(source, 'old-name.txt'), randomBytes(700));
  await writeFile(join(raw, 'a.mov'), randomBytes(10_000));
  return { raw };
}

/**
 * The change: one file modified (+2000 bytes), one deleted (-500), one renamed (-700 +700), a grown
 * folder (videos/raw: +500,000 in two files) and a new folder with a hostile name (+50).
 */
export async function changeTree(source: string): Promise<{ hostileDir: string }> {
  const raw = join(source, 'videos', 'raw');
  await writeFile(join(source, 'mod.txt'), randomBytes(3000));
  await rm(join(source, 'del.txt'));
  await rename(join(source, 'old-name.txt'), join(source, 'new-name.txt'));
  await writeFile(join(raw, 'b.mov'), randomBytes(200_000));
  await writeFile(join(raw, 'c.mov'), randomBytes(300_000));
  const hostileDir = join(source, `new "dir" $(touch pwned) 'q'\nline ü`);
  await mkdir(hostileDir);
  await writeFile(join(hostileDir, 'n.txt'), randomBytes(50));
  return { hostileDir };
}
