// The generated backup source of the wrapper benchmarks: files of seeded random (incompressible) bytes.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { seededRandom } from './common.ts';

export const TREE_SEED = 20240601;

/** `fileCount` files in 100 folders, sizes varying around the mean so they add up to about `totalMb` MiB. */
export async function generateTree(root: string, fileCount: number, totalMb: number): Promise<number> {
  const random = seededRandom(TREE_SEED);
  const mean = (totalMb * 1024 * 1024) / fileCount;
  let total = 0;
  for (let i = 0; i < fileCount; i += 1) {
    const dir = join(root, `d${String(i % 100).padStart(3, '0')}`);
    if (i < 100) await mkdir(dir, { recursive: true });
    const size = Math.max(1, Math.round(mean * (0.1 + 1.8 * random())));
    const words = new Uint32Array(Math.ceil(size / 4));
    for (let w = 0; w < words.length; w += 1) words[w] = Math.floor(random() * 4294967296);
    await writeFile(join(dir, `f${i}.bin`), Buffer.from(words.buffer, 0, size));
    total += size;
  }
  return total;
}
