/**
 * A restore check (a `verify` run): a sample of the latest snapshot's files restored into a
 * scratch folder with `restic restore --verify` (restic reads back what it wrote), then each
 * compared with the live file wherever that has not changed since the snapshot (same size and
 * modification time: the bytes must be the same too).
 */

import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseLsLine } from '../restic/messages.ts';
import type { ResticInvocation } from '../restic/process.ts';
import { type Restic, ResticError } from '../restic/restic.ts';
import { planSnapshots, type ResticReader, readLines } from '../restic/restic-read.ts';
import { originalPath, redirectsOf } from '../restic/snapshot-paths.ts';
import { planTags, resticRunStep } from '../runs/backup-run.ts';
import type { RunState } from '../runs/run-state.ts';
import { resticTimeNs, sameBytes } from './compare-files.ts';
import { type SnapshotFile, sampleFiles } from './sample-files.ts';

export interface VerifyMismatch {
  /** The live path the file stands for. */
  path: string;
  problem: string;
}

/** What a restore check found, kept in its run's record (`verify`). */
export interface VerifyResult {
  snapshotId: string | null;
  /** Reproduces the sample: the same snapshot, count and seed draw the same files. */
  seed: number;
  requested: number;
  sampled: number;
  /** Restored and checked without a fault. */
  verified: number;
  /** Of those, compared byte for byte with a live file unchanged since the snapshot. */
  comparedWithLive: number;
  /** Live files changed or gone since the snapshot: restic's own check (--verify) is all they get. */
  changedSinceSnapshot: number;
  /** Files whose path would be too long under the scratch folder (the system's limit), left out of the draw. */
  leftOut: number;
  /** The sampled files (live paths). */
  files: string[];
  mismatches: VerifyMismatch[];
}

export interface VerifyRequest {
  sample: number;
  seed: number;
}

export interface VerifyTools {
  restic: Restic;
  reader: ResticReader;
}

/** The longest path the system opens (Linux PATH_MAX, with its terminating zero). */
const PATH_MAX = 4095;
/** How much of restic's command line the include patterns of one restore may take. */
const ARGS_BUDGET = 96 * 1024;
/** Changed paths read from restic diff at most: enough to weight any sample. */
const MAX_CHANGED = 100_000;
/** Mismatches named in the one-line reason; the record keeps them all. */
const NAMED = 3;

/** The body of a verify run (withRun puts its hooks, queue, record and notifications around it). */
export async function verifyRestore(run: RunState, tools: VerifyTools, request: VerifyRequest): Promise<void> {
  const result: VerifyResult = {
    snapshotId: null,
    seed: request.seed,
    requested: request.sample,
    sampled: 0,
    verified: 0,
    comparedWithLive: 0,
    changedSinceSnapshot: 0,
    leftOut: 0,
    files: [],
    mismatches: [],
  };
  run.record.verify = result;
  const snapshots = await planSnapshots(tools.reader, planTags(run.plan.id));
  const latest = snapshots.at(-1);
  if (!latest) {
    run.skipRun(`There is no snapshot of ${run.plan.name} to verify yet; a restore is checked after its first backup.`);
    return;
  }
  result.snapshotId = latest.id;
  run.setSnapshot(latest.id, undefined);
  const redirects = redirectsOf(latest, run.plan.sources);
  const scratch = join(run.workingDir, 'verify');

  const files: SnapshotFile[] = [];
  await readLines(tools.reader, ['ls', '--json', '--no-lock', '--', latest.id], (line) => {
    const entry = parseLsLine(line);
    if (entry?.type !== 'file' || typeof entry.size !== 'number' || entry.mtime === undefined) return;
    if (Buffer.byteLength(join(scratch, entry.path)) > PATH_MAX) result.leftOut += 1;
    else files.push({ path: entry.path, size: entry.size, mtime: entry.mtime });
  });
  const previous = snapshots.at(-2);
  const changed = previous ? await changedPaths(tools.reader, previous.id, latest.id) : undefined;
  const sample = sampleFiles(files, { count: request.sample, seed: request.seed, changed });
  result.sampled = sample.length;
  result.files = sample.map((file) => originalPath(file.path, redirects));
  if (sample.length === 0) {
    run.note = `nothing to verify: the latest snapshot (${latest.shortId}) holds no files`;
    return;
  }

  const restoreErrors = await restoreSample(run, tools.restic, latest.id, scratch, sample);
  if (run.cancelled) return;

  const started = Date.now();
  const lines: string[] = [];
  for (const file of sample) {
    if (run.cancelled) return;
    const live = originalPath(file.path, redirects);
    const outcome = await checkFile(file, join(scratch, file.path), live, restoreErrors.get(file.path));
    if (outcome.problem) {
      result.mismatches.push({ path: live, problem: outcome.problem });
      lines.push(`differs  ${shown(live)}: ${outcome.problem}`);
      continue;
    }
    result.verified += 1;
    if (outcome.comparedWithLive) result.comparedWithLive += 1;
    else result.changedSinceSnapshot += 1;
    lines.push(
      `${outcome.comparedWithLive ? 'same    ' : 'restored'}  ${shown(live)}${outcome.comparedWithLive ? '' : ' (changed since the snapshot: checked by restic only)'}`,
    );
  }
  run.addStep({
    kind: 'restic',
    name: 'compare',
    event: null,
    status: result.mismatches.length ? 'failure' : 'success',
    exitCode: null,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    output: `${lines.join('\n')}\n`,
  });
  if (result.mismatches.length === 0) {
    run.note = `restore verified ${result.verified}/${result.sampled}`;
    return;
  }
  const named = result.mismatches.slice(0, NAMED).map((mismatch) => `${shown(mismatch.path)} (${mismatch.problem})`);
  const more = result.mismatches.length > NAMED ? `; and ${result.mismatches.length - NAMED} more` : '';
  run.fail(`${result.mismatches.length} of ${result.sampled} files differ: ${named.join('; ')}${more}`);
}

/** Paths the latest backup added or changed, by restic diff; none when restic cannot say. */
async function changedPaths(reader: ResticReader, from: string, to: string): Promise<Set<string> | undefined> {
  const changed = new Set<string>();
  try {
    await readLines(reader, ['diff', '--json', '--no-lock', '--', from, to], (line) => {
      if (!line.startsWith('{') || changed.size >= MAX_CHANGED) return;
      const message = JSON.parse(line) as { message_type?: unknown; path?: unknown; modifier?: unknown };
      if (message.message_type === 'change' && typeof message.path === 'string' && message.modifier !== '-') changed.add(message.path);
    });
  } catch (error) {
    if (error instanceof ResticError && error.failure.kind === 'cancelled') throw error;
    return undefined; // the weighting falls back to modification times
  }
  return changed;
}

/**
 * Restores the sample with `restic restore --verify`, in as many calls as the command line needs.
 * Returns what restic said about single files ("ignoring error for <path>: <why>"), by path; a
 * failure restic does not pin on a file fails the run with restic's own sentence.
 */
async function restoreSample(run: RunState, restic: Restic, snapshot: string, scratch: string, sample: SnapshotFile[]): Promise<Map<string, string>> {
  const errors = new Map<string, string>();
  for (const batch of batches(sample)) {
    let invocations: ResticInvocation[];
    let failure: ResticError | undefined;
    try {
      invocations = (
        await restic.restore({ snapshot, target: scratch, include: batch.map((file) => includePattern(file.path)), verify: true, signal: run.signal })
      ).invocations;
    } catch (error) {
      if (!(error instanceof ResticError)) throw error;
      invocations = error.invocations;
      failure = error;
    }
    for (const invocation of invocations) run.addStep(resticRunStep(invocation));
    if (!failure) continue;
    if (failure.failure.kind === 'cancelled') return errors;
    const stderr = invocations.at(-1)?.stderr ?? '';
    // Nothing said about single files: the repository could not be read at all (locked, gone, wrong password).
    if (!stderr.includes('ignoring error for ')) throw failure;
    for (const file of batch) {
      const said = fileError(stderr, file.path);
      if (said !== undefined && !errors.has(file.path)) errors.set(file.path, said);
    }
  }
  return errors;
}

/** Include patterns on one command line at a time, within the budget. */
function batches(sample: SnapshotFile[]): SnapshotFile[][] {
  const result: SnapshotFile[][] = [];
  let current: SnapshotFile[] = [];
  let size = 0;
  for (const file of sample) {
    const cost = Buffer.byteLength(includePattern(file.path)) + 16;
    if (current.length > 0 && size + cost > ARGS_BUDGET) {
      result.push(current);
      current = [];
      size = 0;
    }
    current.push(file);
    size += cost;
  }
  if (current.length > 0) result.push(current);
  return result;
}

/** restic's include patterns are globs: a path is matched literally once `\`, `*`, `?` and `[` are escaped. */
export function includePattern(path: string): string {
  return path.replace(/[\\*?[]/g, '\\$&');
}

/** What restic printed about one file ("ignoring error for <path>: <why>"), found by the whole path (it may hold a newline). */
function fileError(stderr: string, path: string): string | undefined {
  const marker = `ignoring error for ${path}: `;
  const at = stderr.indexOf(marker);
  if (at === -1) return undefined;
  const end = stderr.indexOf('\n', at + marker.length);
  return stderr.slice(at + marker.length, end === -1 ? undefined : end).trim();
}

interface FileOutcome {
  problem?: string | undefined;
  comparedWithLive: boolean;
}

async function checkFile(file: SnapshotFile, restored: string, live: string, restoreError: string | undefined): Promise<FileOutcome> {
  if (restoreError !== undefined) return { problem: `could not be restored: ${restoreError}`, comparedWithLive: false };
  const copy = await lstat(restored).catch(() => undefined);
  if (!copy) return { problem: 'was not restored', comparedWithLive: false };
  if (!copy.isFile()) return { problem: 'was restored as something other than a file', comparedWithLive: false };
  if (copy.size !== file.size) return { problem: `restored ${copy.size} bytes of ${file.size}`, comparedWithLive: false };
  const now = await lstat(live, { bigint: true }).catch(() => undefined);
  const unchanged = now?.isFile() && now.size === BigInt(file.size) && now.mtimeNs === resticTimeNs(file.mtime);
  if (!unchanged) return { comparedWithLive: false };
  let same: boolean;
  try {
    same = await sameBytes(restored, live);
  } catch {
    return { comparedWithLive: false }; // the live file cannot be read now (permissions, gone this instant): restic's check stands
  }
  return same ? { comparedWithLive: true } : { problem: 'differs from the live file, which has not changed since the snapshot', comparedWithLive: true };
}

/** A path for a one-line sentence: as it is when printable, in JSON quotes when it holds control characters, shortened when huge. */
export function shown(path: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is looked for
  const text = /[\u0000-\u001f\u007f]/.test(path) ? JSON.stringify(path) : path;
  return text.length > 300 ? `${text.slice(0, 140)}…${text.slice(-140)}` : text;
}
