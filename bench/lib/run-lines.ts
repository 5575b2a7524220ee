// Runs as `runs.jsonl` holds them: a `running` line, then the end state (3 steps and a restic summary).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ulid } from 'ulid';

/** A config of interval plans on one local repository, and an empty history folder beside it. */
export async function writeHistoryFixture(root: string, plans: string[]): Promise<{ configFile: string; dataDir: string; index: string }> {
  const configFile = join(root, 'config.json');
  const dataDir = join(root, 'data');
  await writeFile(
    configFile,
    JSON.stringify({
      version: 1,
      repositories: [{ id: 'local', url: join(root, 'repo'), passwordEnv: 'LIFEBOAT_BENCH_PASSWORD' }],
      plans: plans.map((id) => ({ id, repository: 'local', sources: [root], schedule: { every: '1h' } })),
    }),
  );
  await mkdir(join(dataDir, 'history', 'logs'), { recursive: true });
  return { configFile, dataDir, index: join(dataDir, 'history', 'runs.jsonl') };
}

/** The two lines of one run, as objects: its `running` state and its end state (5 % fail). */
export function runLines(random: () => number, index: number, plan: string, startMs: number) {
  const id = ulid(startMs);
  const duration = Math.round(20_000 + random() * 600_000);
  const startedAt = new Date(startMs).toISOString();
  const endedAt = new Date(startMs + duration).toISOString();
  const failed = random() < 0.05;
  const step = (kind: 'hook' | 'restic', name: string, event: string | null, at: number, ms: number, status: string, exitCode: number | null) => ({
    kind,
    name,
    event,
    status,
    exitCode,
    startedAt: new Date(at).toISOString(),
    durationMs: ms,
  });
  const running = {
    id,
    plan,
    repository: 'local',
    trigger: index % 10 === 0 ? 'manual' : 'schedule',
    status: 'running',
    reason: null,
    startedAt,
    endedAt: null,
    snapshotId: null,
    steps: [],
    summary: null,
    pid: 999_999_999,
  };
  const ended = {
    ...running,
    status: failed ? 'failure' : 'success',
    reason: failed ? 'restic could not reach the repository: connection refused' : null,
    endedAt,
    snapshotId: failed ? null : id.slice(-8).toLowerCase(),
    steps: [
      step('hook', 'mounted', 'run.start', startMs, 12, 'success', 0),
      step('restic', 'backup', null, startMs + 20, duration - 400, failed ? 'failure' : 'success', failed ? 1 : 0),
      step('hook', 'ping', 'run.end', startMs + duration - 300, 250, 'success', 0),
    ],
    summary: failed
      ? null
      : {
          files_new: Math.round(random() * 50),
          files_changed: Math.round(random() * 200),
          files_unmodified: 12_000,
          dirs_new: 1,
          dirs_changed: 12,
          dirs_unmodified: 900,
          data_blobs: 240,
          tree_blobs: 13,
          data_added: Math.round(random() * 5e7),
          total_files_processed: 12_250,
          total_bytes_processed: 4_800_000_000,
          total_duration: duration / 1000,
          snapshot_id: id.slice(-8).toLowerCase(),
        },
  };
  return [running, ended];
}
