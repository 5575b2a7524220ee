import { homedir } from 'node:os';
import { describeDiff } from '../../core/restic/diff.ts';
import { snapshotIdProblem } from '../../core/restic/snapshot-id.ts';
import { formatBytes } from '../../core/util/size.ts';
import { UsageError } from '../args.ts';
import { type CommandContext, openEngine, printJson } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import { localTime, shownPath } from '../format.ts';
import { inCliWords } from './restore.ts';

/** `lifeboat diff <plan> [<snapshot> [<snapshot>]]`: one snapshot is compared with the one before it. */
export async function diffCommand(context: CommandContext): Promise<number> {
  const [planId, first, second] = context.args.positionals as [string, string | undefined, string | undefined];
  for (const id of [first, second]) {
    const problem = id === undefined ? undefined : snapshotIdProblem(id);
    if (problem) throw new UsageError(problem);
  }
  const engine = await openEngine(context);
  const diff = await inCliWords(engine.diff(planId, second === undefined ? { to: first } : { from: first, to: second }, context.io.signal));
  if (context.args.json) {
    printJson(context, diff);
    return EXIT.success;
  }
  const home = homedir();
  const from = diff.from ? `${diff.from.shortId} (${localTime(diff.from.time)})` : 'nothing';
  const lines = [`Changes from ${from} to ${diff.to.shortId} (${localTime(diff.to.time)}) in ${planId}:`, describeDiff(diff, home)];
  lines.push(
    `  files: ${diff.files.added} added, ${diff.files.removed} removed, ${diff.files.changed} changed · folders: ${diff.dirs.added} added, ${diff.dirs.removed} removed`,
  );
  if (diff.topPaths.length > 0) {
    lines.push('Grew the most:');
    for (const entry of diff.topPaths) lines.push(`  +${formatBytes(entry.bytes).padEnd(9)} ${entry.change.padEnd(7)} ${shownPath(entry.path)}`);
  }
  if (diff.topFolders.length > 0) {
    lines.push('Folders that grew:');
    for (const folder of diff.topFolders)
      lines.push(`  +${formatBytes(folder.bytes).padEnd(9)} ${String(folder.files).padStart(6)} files  ${shownPath(folder.path)}`);
  }
  context.io.stdout(`${lines.join('\n')}\n`);
  return EXIT.success;
}
