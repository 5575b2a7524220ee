import { resolve } from 'node:path';
import { snapshotIdProblem } from '../../core/restic/snapshot-id.ts';
import { expandHome } from '../../core/util/paths.ts';
import { formatBytes } from '../../core/util/size.ts';
import { UsageError } from '../args.ts';
import { type CommandContext, openEngine, printJson } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import { localTime, shownPath, statusMark, table } from '../format.ts';
import { inCliWords } from './restore.ts';

/** `lifeboat versions <plan> <path> [--restore SNAPSHOT [--in-place]]`. */
export async function versionsCommand(context: CommandContext): Promise<number> {
  const [planId, given] = context.args.positionals as [string, string];
  const { restore, inPlace } = context.args;
  if (inPlace && restore === undefined)
    throw new UsageError(`--in-place goes with --restore SNAPSHOT: lifeboat versions ${planId} <path> --restore <snapshot> --in-place.`);
  const problem = restore === undefined ? undefined : snapshotIdProblem(restore);
  if (problem) throw new UsageError(problem);
  const path = resolve(expandHome(given));
  const engine = await openEngine(context);
  if (restore !== undefined) {
    const restored = await inCliWords(engine.restoreVersion(planId, path, restore, { inPlace, signal: context.io.signal, trigger: 'cli' }));
    if (context.args.json) {
      printJson(context, { plan: planId, path, ...restored });
      return EXIT.success;
    }
    const kept = restored.keptLiveAs ? `\n  the file as it was is kept as ${shownPath(restored.keptLiveAs)}` : '';
    context.io.stdout(
      `${statusMark('success')} Restored ${shownPath(path)} as it was in ${restored.snapshot.shortId} (${localTime(restored.snapshot.time)}) to ${shownPath(restored.restoredTo)}${kept}\n`,
    );
    return EXIT.success;
  }
  const answer = await inCliWords(engine.snapshotAnswers.versions(planId, path, context.io.signal));
  if (context.args.json) {
    printJson(context, answer);
    return EXIT.success;
  }
  const count = answer.versions.length;
  const rows = [['SNAPSHOTS', 'FROM', 'TO', 'SIZE', 'MODIFIED', '']];
  for (const version of answer.versions) {
    const range = version.snapshots === 1 ? version.lastSnapshot.shortId : `${version.firstSnapshot.shortId}…${version.lastSnapshot.shortId}`;
    rows.push([
      `${range} (${version.snapshots})`,
      localTime(version.firstSnapshot.time),
      localTime(version.lastSnapshot.time),
      formatBytes(version.size),
      localTime(version.mtime),
      version.differsFromPrevious ? 'changed' : '',
    ]);
  }
  context.io.stdout(
    `${count} ${count === 1 ? 'version' : 'versions'} of ${shownPath(path)} in ${answer.searched} snapshots, newest first:\n${table(rows)}Put one back beside it with: lifeboat versions ${planId} <path> --restore <snapshot>\n`,
  );
  return EXIT.success;
}
