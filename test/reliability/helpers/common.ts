import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export { inPool } from '../../../main/core/util/in-pool.ts';
export { rawRequest } from '../../helpers/raw-request.ts';

/** Command lines of live processes whose command line contains `marker` (pgrep -af). */
export function processesMatching(marker: string): string[] {
  try {
    return execFileSync('pgrep', ['-af', marker], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

/** Pids of live processes in process group `pgid` (read from /proc, zombies excluded). */
export function processesInGroup(pgid: number): number[] {
  const output = execFileSync('ps', ['-e', '-o', 'pid=,pgid=,stat='], { encoding: 'utf8' });
  return output
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields.length === 3 && Number(fields[1]) === pgid && !fields[2]!.startsWith('Z'))
    .map((fields) => Number(fields[0]));
}

export interface IndexedRun {
  id: string;
  plan: string;
  trigger: string;
  status: string;
  reason: string | null;
  startedAt: string;
  endedAt: string | null;
}

/** The latest state of every run in the history index (runs.jsonl is append-only: later lines win). */
export async function indexedRuns(dataDir: string): Promise<IndexedRun[]> {
  const text = await readFile(join(dataDir, 'history', 'runs.jsonl'), 'utf8').catch(() => '');
  const latest = new Map<string, IndexedRun>();
  for (const line of text.split('\n').filter(Boolean)) {
    const run = JSON.parse(line) as IndexedRun;
    latest.set(run.id, run);
  }
  return [...latest.values()];
}

/** A source folder with `files` files of `bytes` incompressible-enough bytes each. */
export async function sourceWith(folder: string, files: number, bytes: number): Promise<string> {
  await mkdir(folder, { recursive: true });
  for (let i = 0; i < files; i += 1) {
    const block = Buffer.alloc(bytes);
    // A cheap pattern that restic's chunker cannot deduplicate across files.
    for (let offset = 0; offset < bytes; offset += 4) block.writeUInt32LE((offset * 2654435761 + i * 97) >>> 0, offset);
    await writeFile(join(folder, `f${i}.bin`), block);
  }
  return folder;
}
