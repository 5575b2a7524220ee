import { createHash } from 'node:crypto';
import { lstat, mkdir, readdir, readFile, readlink, symlink, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** A source tree with the awkward cases: empty files, symlinks, spaces, quotes, non-ASCII. */
export async function makeAwkwardTree(root: string): Promise<void> {
  await mkdir(join(root, 'sub dir', 'deeper'), { recursive: true });
  await mkdir(join(root, 'empty folder'), { recursive: true });
  await writeFile(join(root, 'plain.txt'), 'hello\n');
  await writeFile(join(root, 'empty'), '');
  await writeFile(join(root, 'sub dir', `it's "quoted" $(x) \`y\`.txt`), 'quotes\n');
  await writeFile(join(root, 'sub dir', 'deeper', 'naïve café 日本語 🚀.md'), 'non-ascii ✓\n');
  await writeFile(join(root, 'binary.bin'), Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7919) % 256)));
  await symlink('plain.txt', join(root, 'link to plain'));
  await symlink('/nonexistent/target', join(root, 'dangling link'));
}

/** Every entry under root: relative path, kind, and content hash or link target. */
export async function describeTree(root: string): Promise<string[]> {
  const entries: string[] = [];
  async function walk(folder: string): Promise<void> {
    for (const name of (await readdir(folder)).sort()) {
      const path = join(folder, name);
      const info = await lstat(path);
      const rel = relative(root, path);
      if (info.isSymbolicLink()) entries.push(`link ${rel} -> ${await readlink(path)}`);
      else if (info.isDirectory()) {
        entries.push(`dir ${rel}`);
        await walk(path);
      } else {
        entries.push(
          `file ${rel} ${info.size} ${createHash('sha256')
            .update(await readFile(path))
            .digest('hex')}`,
        );
      }
    }
  }
  await walk(root);
  return entries;
}

/** A source folder with one small file (`src/a.txt`), for tests about anything but the data. */
export async function smallSource(root: string): Promise<string> {
  const source = join(root, 'src');
  await mkdir(source, { recursive: true });
  await writeFile(join(source, 'a.txt'), 'a\n');
  return source;
}
