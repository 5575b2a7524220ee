import { stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.ts';
import { UserError } from '../util/errors.ts';

/** The file node_exporter's textfile collector reads (it reads `*.prom` only, so the temp file is never seen). */
export const TEXTFILE_NAME = 'lifeboat.prom';

/** Refuses a textfile folder that is not there (a mistyped folder): said before anything is written. */
export async function checkTextfileFolder(folder: string): Promise<void> {
  const info = await stat(folder).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new UserError(
      `The folder "${folder}" does not exist; create it or give --textfile the folder node_exporter's --collector.textfile.directory names.`,
      {
        kind: 'usage',
      },
    );
  }
}

/** Writes the exposition to `DIR/lifeboat.prom` atomically (a temp file, then a rename); returns the file. */
export async function writeTextfile(folder: string, exposition: string): Promise<string> {
  await checkTextfileFolder(folder);
  const file = join(folder, TEXTFILE_NAME);
  try {
    await writeFileAtomic(file, exposition, 0o644); // node_exporter usually runs as another user
  } catch (error) {
    throw asTextfileTrouble(error, folder, file);
  }
  return file;
}

/** The account this process runs as, by name when the system has one for it. */
function whoAmI(): string {
  try {
    return userInfo().username;
  } catch {
    return `uid ${process.getuid?.() ?? '?'}`; // no passwd entry for this uid (a container's)
  }
}

/** A folder that refuses the write, or a folder where the file goes, as the sentence that names the fix. */
function asTextfileTrouble(error: unknown, folder: string, file: string): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EACCES' || code === 'EPERM') {
    const user = whoAmI();
    return new UserError(
      `The folder "${folder}" is not writable by ${user}, so ${TEXTFILE_NAME} cannot be written there; let ${user} write in it, or choose a folder ${user} can write in.`,
      { kind: 'invalid', cause: error },
    );
  }
  if (code === 'EROFS') {
    return new UserError(`The folder "${folder}" is on a read-only file system, so ${TEXTFILE_NAME} cannot be written there; choose a writable folder.`, {
      kind: 'invalid',
      cause: error,
    });
  }
  if (code === 'EISDIR') {
    return new UserError(`${file} is a folder, so Lifeboat cannot write its textfile there; move that folder away (node_exporter reads a file by that name).`, {
      kind: 'invalid',
      cause: error,
    });
  }
  return error;
}
