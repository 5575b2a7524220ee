import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.ts';
import { UserError } from '../util/errors.ts';

/** The file node_exporter's textfile collector reads (it reads `*.prom` only, so the temp file is never seen). */
export const TEXTFILE_NAME = 'lifeboat.prom';

/** Writes the exposition to `DIR/lifeboat.prom` atomically (a temp file, then a rename); returns the file. */
export async function writeTextfile(folder: string, exposition: string): Promise<string> {
  const info = await stat(folder).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new UserError(
      `The folder "${folder}" does not exist; create it or give --textfile the folder node_exporter's --collector.textfile.directory names.`,
      {
        kind: 'usage',
      },
    );
  }
  const file = join(folder, TEXTFILE_NAME);
  await writeFileAtomic(file, exposition, 0o644); // node_exporter usually runs as another user
  return file;
}
