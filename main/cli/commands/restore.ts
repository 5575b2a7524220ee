import { resolve } from 'node:path';
import type { OverwritePolicy } from '../../core/restic/restic.ts';
import { type WayOut, WayOutError } from '../../core/restic/restic-read.ts';
import type { PreviewList, RestorePreview } from '../../core/restic/restore-preview.ts';
import { snapshotIdProblem } from '../../core/restic/snapshot-id.ts';
import { UserError } from '../../core/util/errors.ts';
import { expandHome } from '../../core/util/paths.ts';
import { formatBytes } from '../../core/util/size.ts';
import { UsageError } from '../args.ts';
import { type CommandContext, openEngine, printJson } from '../context.ts';
import { EXIT, exitCodeForStatus } from '../exit-codes.ts';
import { localTime, shownPath, statusMark } from '../format.ts';

const POLICIES: readonly OverwritePolicy[] = ['never', 'if-newer', 'always'];

/** A refusal's way out in the command line's words (SPEC §9: a choice named by its flags, a list by its command). */
export function wayOutInCli(wayOut: WayOut): string {
  switch (wayOut.to) {
    case 'destination':
      return 'Pick an empty folder, or restore back to the original location with --in-place and an --overwrite policy (never, if-newer or always).';
    case 'plan-snapshot':
      return `List them with "lifeboat snapshots ${wayOut.plan}".`;
    case 'first-backup':
      return `Run "lifeboat run ${wayOut.plan}" to make one.`;
    case 'file-version':
      return `See the snapshots that hold it with "lifeboat versions ${wayOut.plan} <path>".`;
    case 'restore-beside':
      return 'Move it away first, or restore the version beside it (without --in-place).';
  }
}

/** The engine's answer, with a refusal's way out (WayOutError) told in the command line's words rather than the app's. */
export async function inCliWords<T>(answer: Promise<T>): Promise<T> {
  try {
    return await answer;
  } catch (error) {
    if (error instanceof WayOutError && error.wayOut) throw new UserError(`${error.problem} ${wayOutInCli(error.wayOut)}`, { kind: error.kind, cause: error });
    throw error;
  }
}

export async function restoreCommand(context: CommandContext): Promise<number> {
  const [planId, snapshot] = context.args.positionals as [string, string];
  const { inPlace, overwrite } = context.args;
  const snapshotProblem = snapshotIdProblem(snapshot);
  if (snapshotProblem) throw new UsageError(snapshotProblem);
  if (!context.args.target && !inPlace) {
    throw new UsageError(
      `restore needs --target DIR, an empty folder to restore into (the snapshot's paths are recreated under it), or --in-place --overwrite never|if-newer|always to put files back where they were. Usage: lifeboat restore ${planId} ${snapshot} --target ~/restored`,
    );
  }
  if (context.args.target && inPlace) throw new UsageError('Give either --target DIR or --in-place, not both.');
  if (inPlace && overwrite === undefined)
    throw new UsageError(
      '--in-place needs --overwrite never|if-newer|always: keep existing files, replace them when the snapshot is newer, or always replace them.',
    );
  if (overwrite !== undefined && !POLICIES.includes(overwrite as OverwritePolicy))
    throw new UsageError(`--overwrite ${JSON.stringify(overwrite)} is not a policy; use never, if-newer or always.`);
  if (overwrite !== undefined && !inPlace)
    throw new UsageError('--overwrite goes with --in-place; a --target folder must be empty, so nothing there is overwritten.');
  const target = context.args.target ? resolve(expandHome(context.args.target)) : undefined;
  const engine = await openEngine(context);
  engine.plan(planId);
  const options = { target, inPlace, overwrite: overwrite as OverwritePolicy | undefined, include: context.args.include, signal: context.io.signal };
  if (context.args.dryRun) {
    const preview = await inCliWords(engine.restorePreview(planId, snapshot, options));
    if (context.args.json) printJson(context, preview);
    else context.io.stdout(describePreview(preview));
    return EXIT.success;
  }
  // A refused target (RestoreRefusedError, kind "refused") and a snapshot that is not the plan's (kind "not-found") exit 2 like any other usage mistake.
  const record = await inCliWords(engine.restore(planId, snapshot, { ...options, trigger: 'cli' }));
  const where = target ? `into ${target}` : `in place (--overwrite ${overwrite})`;
  if (context.args.json) {
    // `id` is the restore's run in `lifeboat history`.
    printJson(context, {
      id: record.id,
      plan: planId,
      snapshot,
      target: target ?? null,
      inPlace,
      status: record.status,
      reason: record.reason,
      steps: record.steps,
    });
  } else if (record.status === 'success') {
    context.io.stdout(`${statusMark('success')} Restored ${snapshot} of ${planId} ${where}\n`);
  } else {
    context.io.stdout(`${statusMark(record.status)} Restore of ${snapshot} of ${planId}: ${record.status}\n  ${record.reason ?? ''}\n`);
  }
  return exitCodeForStatus(record.status);
}

/** How many paths of each list the text shows; --json has up to the preview's own bound. */
const SHOWN = 20;

function files(count: number): string {
  return `${count} ${count === 1 ? 'file' : 'files'}`;
}

function listed(title: string, list: PreviewList, detail: (file: PreviewList['files'][number]) => string = () => ''): string {
  if (list.count === 0) return '';
  const lines = list.files.slice(0, SHOWN).map((file) => `  ${shownPath(file.path)}${detail(file)}`);
  const more = list.count - Math.min(list.files.length, SHOWN);
  return `${title} (${list.count}):\n${lines.join('\n')}\n${more > 0 ? `  … and ${more} more (--json lists up to ${list.files.length})\n` : ''}`;
}

/** The preview in words: counts first, then the paths of each kind, the files newer on disk called out. */
export function describePreview(preview: RestorePreview): string {
  const where = preview.target === null ? `in place (--overwrite ${preview.overwrite})` : `into ${shownPath(preview.target)}`;
  const what = preview.include.length === 0 ? 'all of' : `${preview.include.length} ${preview.include.length === 1 ? 'path' : 'paths'} of`;
  const rows = [
    `  create     ${files(preview.created.count)} (${formatBytes(preview.created.bytes)})`,
    `  overwrite  ${files(preview.overwritten.count)} (${formatBytes(preview.overwritten.bytes)})`,
    `  keep       ${files(preview.kept.count)} that differ from the snapshot (by the policy)`,
    `  unchanged  ${files(preview.unchanged.count)} already as in the snapshot`,
  ];
  const times = (file: PreviewList['files'][number]) => (file.disk ? `  (on disk ${localTime(file.disk.mtime)}, snapshot ${localTime(file.mtime)})` : '');
  const newer =
    preview.newerOnDisk.count === 0
      ? ''
      : `! ${files(preview.newerOnDisk.count)} on disk ${preview.newerOnDisk.count === 1 ? 'is' : 'are'} newer than the snapshot's copy${preview.overwrite === 'always' ? ' and would be overwritten' : ''}:\n${listed('Newer on disk', preview.newerOnDisk, times).split('\n').slice(1).join('\n')}`;
  return [
    `Restoring ${what} ${preview.snapshot.shortId} (${localTime(preview.snapshot.time)}) of ${preview.plan} ${where} would:\n${rows.join('\n')}\n`,
    newer,
    listed('Created', preview.created),
    listed('Overwritten', preview.overwritten, times),
    listed('Kept', preview.kept, times),
    'Nothing was changed (--dry-run).\n',
  ]
    .filter((part) => part !== '')
    .join('');
}
