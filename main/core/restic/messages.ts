/** Shapes of restic's `--json` output (restic 0.14 and newer). */

export interface ResticStatusMessage {
  message_type: 'status';
  percent_done: number;
  total_files?: number;
  files_done?: number;
  total_bytes?: number;
  bytes_done?: number;
  seconds_elapsed?: number;
  seconds_remaining?: number;
  current_files?: string[];
  error_count?: number;
}

export interface ResticSummary {
  files_new: number;
  files_changed: number;
  files_unmodified: number;
  dirs_new: number;
  dirs_changed: number;
  dirs_unmodified: number;
  data_blobs: number;
  tree_blobs: number;
  data_added: number;
  total_files_processed: number;
  total_bytes_processed: number;
  total_duration: number;
  snapshot_id?: string;
}

export interface ResticErrorMessage {
  message_type: 'error';
  /** restic 0.14: Go's error fields; 0.17 and newer: `{ message }`, the error's text. */
  error: { Op?: string; Path?: string; Err?: number; message?: string } | string;
  during: string;
  item: string;
}

/** restic 0.17 and newer with `--json`: the error that ends it, as one line on stderr. */
export interface ResticExitError {
  message_type: 'exit_error';
  code: number;
  message: string;
}

/**
 * A fatal error of restic 0.17 and newer (`{"message_type":"exit_error",…}`) as the plain text
 * restic 0.14 prints for it, with its exit code; undefined for any other line.
 */
export function parseExitError(line: string): { code: number; text: string } | undefined {
  if (!line.startsWith('{"message_type":"exit_error"')) return undefined;
  try {
    const value = JSON.parse(line) as Partial<ResticExitError>;
    if (typeof value.message !== 'string') return undefined;
    return { code: typeof value.code === 'number' ? value.code : -1, text: value.message };
  } catch {
    return undefined; // not restic's JSON after all: the line stays as it is
  }
}

export interface BackupProgress {
  /** 0 to 1. */
  percent: number;
  filesDone: number;
  totalFiles: number;
  bytesDone: number;
  totalBytes: number;
  secondsElapsed: number;
  /** Undefined until restic can estimate it. */
  secondsRemaining?: number | undefined;
  currentFile?: string | undefined;
}

export type BackupMessage =
  | { kind: 'progress'; progress: BackupProgress }
  | { kind: 'summary'; summary: ResticSummary }
  | { kind: 'error'; item: string; during: string; message: string }
  | { kind: 'text'; text: string };

/** Turns one line of `restic backup --json` output (stdout or stderr) into a typed message. */
export function parseBackupLine(line: string): BackupMessage | undefined {
  if (line.trim() === '') return undefined;
  if (!line.startsWith('{')) return { kind: 'text', text: line };
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(line);
  } catch {
    return { kind: 'text', text: line }; // restic prints plain text on stderr too
  }
  switch (value.message_type) {
    case 'status': {
      const status = value as unknown as ResticStatusMessage;
      return {
        kind: 'progress',
        progress: {
          percent: status.percent_done ?? 0,
          filesDone: status.files_done ?? 0,
          totalFiles: status.total_files ?? 0,
          bytesDone: status.bytes_done ?? 0,
          totalBytes: status.total_bytes ?? 0,
          secondsElapsed: status.seconds_elapsed ?? 0,
          secondsRemaining: status.seconds_remaining,
          currentFile: status.current_files?.[0],
        },
      };
    }
    case 'summary': {
      const { message_type: _type, ...summary } = value;
      return { kind: 'summary', summary: summary as unknown as ResticSummary };
    }
    case 'error': {
      const error = value as unknown as ResticErrorMessage;
      return { kind: 'error', item: error.item, during: error.during, message: describeItemError(error.error, error.item) };
    }
    case 'exit_error':
      return { kind: 'text', text: parseExitError(line)?.text ?? line };
    default:
      return { kind: 'text', text: line };
  }
}

/** The same words for one unreadable item whichever restic told it: "open: permission denied". */
function describeItemError(error: ResticErrorMessage['error'], item: string): string {
  if (typeof error === 'string') return error;
  if (typeof error.message === 'string') {
    // restic 0.17+: "open /the/item: permission denied"; the item is named beside it already.
    // Rewording restic's own line for display, not deciding anything by it.
    const words = error.message;
    const operation = /^(\w+) /.exec(words);
    if (operation && words.startsWith(`${operation[0]}${item}: `)) return `${operation[1]}: ${words.slice(operation[0].length + item.length + 2)}`;
    return words;
  }
  const errno: Record<number, string> = { 2: 'no such file or directory', 13: 'permission denied', 5: 'input/output error' };
  const reason = error.Err === undefined ? 'error' : (errno[error.Err] ?? `error ${error.Err}`);
  return `${error.Op ?? 'read'}: ${reason}`;
}

export interface Snapshot {
  id: string;
  shortId: string;
  time: string;
  paths: string[];
  tags: string[];
  hostname: string;
}

export function parseSnapshots(text: string): Snapshot[] {
  const raw = JSON.parse(text || '[]') as Array<Record<string, unknown>>;
  return (raw ?? []).map((snapshot) => ({
    id: String(snapshot.id),
    shortId: String(snapshot.short_id ?? String(snapshot.id).slice(0, 8)),
    time: String(snapshot.time),
    paths: (snapshot.paths as string[]) ?? [],
    tags: (snapshot.tags as string[]) ?? [],
    hostname: String(snapshot.hostname ?? ''),
  }));
}

/** What tells copies apart: a copy made by `restic copy` names the snapshot it came from (`original`). */
export interface SnapshotOrigin {
  id: string;
  original: string | undefined;
  time: string;
  hostname: string;
}

export function parseSnapshotOrigins(text: string): SnapshotOrigin[] {
  const raw = JSON.parse(text || '[]') as Array<Record<string, unknown>> | null;
  return (raw ?? []).map((snapshot) => ({
    id: String(snapshot.id),
    original: typeof snapshot.original === 'string' ? snapshot.original : undefined,
    time: String(snapshot.time),
    hostname: String(snapshot.hostname ?? ''),
  }));
}

export interface SnapshotEntry {
  name: string;
  type: 'file' | 'dir' | 'symlink' | string;
  path: string;
  size?: number | undefined;
  mtime?: string | undefined;
  permissions?: string | undefined;
}

export function parseLsLine(line: string): SnapshotEntry | undefined {
  if (!line.startsWith('{')) return undefined;
  const value = JSON.parse(line) as Record<string, unknown>;
  if (value.struct_type !== 'node') return undefined;
  return {
    name: String(value.name),
    type: String(value.type),
    path: String(value.path),
    size: typeof value.size === 'number' ? value.size : undefined,
    mtime: typeof value.mtime === 'string' ? value.mtime : undefined,
    permissions: typeof value.permissions === 'string' ? value.permissions : undefined,
  };
}
