import { appendFile, mkdir, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.ts';
import { endsWithoutNewline } from '../util/file-tail.ts';

/** A repository's size on the backend at one moment (`restic stats --mode raw-data`). */
export interface RepositorySizeSample {
  repository: string;
  at: string;
  /** Bytes of every blob the repository holds, as stored. */
  bytes: number;
  snapshots: number | null;
}

/** At most one sample per repository a day: `stats --mode raw-data` walks every snapshot's trees, far too slow for every run. */
export const SAMPLE_EVERY_MS = 86_400_000;
/** The file is rewritten without old samples once it is this big (about 3,000 samples). */
const REWRITE_ABOVE_BYTES = 256 * 1024;

export interface RepositorySizesOptions {
  file: string;
  now: () => Date;
  historyDays: () => number;
}

/**
 * Repository sizes over time, for the plan charts: one JSON line per sample in
 * `history/repository-sizes.jsonl`, appended (a torn line is skipped), taken after a backup run
 * is recorded, off its clock, when the repository's last sample is a day old.
 */
export class RepositorySizes {
  private readonly options: RepositorySizesOptions;
  /** Repositories with a sample being taken now: a second run ending meanwhile does not start another. */
  private readonly sampling = new Set<string>();

  constructor(options: RepositorySizesOptions) {
    this.options = options;
  }

  /** The samples of `repository` since `since`, oldest first. */
  async read(repository: string, since?: Date): Promise<RepositorySizeSample[]> {
    const from = since?.getTime() ?? Number.NEGATIVE_INFINITY;
    return (await this.all()).filter((sample) => sample.repository === repository && Date.parse(sample.at) >= from);
  }

  /** Takes a sample with `measure` unless one is under way or the last is less than a day old; true if it took one. */
  async sampleIfDue(repository: string, measure: () => Promise<{ bytes: number; snapshots: number | null }>): Promise<boolean> {
    if (this.sampling.has(repository)) return false;
    this.sampling.add(repository);
    try {
      const now = this.options.now();
      const last = (await this.read(repository)).at(-1);
      if (last && now.getTime() - Date.parse(last.at) < SAMPLE_EVERY_MS) return false;
      const size = await measure();
      await this.add({ repository, at: this.options.now().toISOString(), bytes: size.bytes, snapshots: size.snapshots });
      return true;
    } finally {
      this.sampling.delete(repository);
    }
  }

  async add(sample: RepositorySizeSample): Promise<void> {
    await mkdir(dirname(this.options.file), { recursive: true, mode: 0o700 });
    // A line torn by a crash gets its own end first: the new sample is never glued onto it.
    const torn = await endsWithoutNewline(this.options.file);
    await appendFile(this.options.file, `${torn ? '\n' : ''}${JSON.stringify(sample)}\n`, { mode: 0o600 });
    if ((await stat(this.options.file)).size > REWRITE_ABOVE_BYTES) await this.dropOlderThanHistory();
  }

  private async dropOlderThanHistory(): Promise<void> {
    const cutoff = this.options.now().getTime() - this.options.historyDays() * 86_400_000;
    const kept = (await this.all()).filter((sample) => Date.parse(sample.at) >= cutoff);
    await writeFileAtomic(this.options.file, kept.map((sample) => `${JSON.stringify(sample)}\n`).join(''));
  }

  private async all(): Promise<RepositorySizeSample[]> {
    let text: string;
    try {
      text = await readFile(this.options.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const samples: RepositorySizeSample[] = [];
    for (const line of text.split('\n')) {
      const sample = parseSample(line);
      if (sample) samples.push(sample);
    }
    return samples.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  }
}

function parseSample(line: string): RepositorySizeSample | undefined {
  if (!line.endsWith('}')) return undefined; // blank, or torn by a crash
  try {
    const value = JSON.parse(line) as Partial<RepositorySizeSample>;
    if (typeof value.repository !== 'string' || typeof value.at !== 'string' || typeof value.bytes !== 'number' || Number.isNaN(Date.parse(value.at)))
      return undefined;
    return { repository: value.repository, at: value.at, bytes: value.bytes, snapshots: typeof value.snapshots === 'number' ? value.snapshots : null };
  } catch {
    return undefined; // a line torn mid-way that happens to end in "}"
  }
}
