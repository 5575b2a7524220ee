import type { Retention } from '../config/schema.ts';
import { UserError } from '../util/errors.ts';
import { Redactor } from '../util/redactor.ts';
import { appendOnlyFailure, classifyResticError, type ResticFailure } from './classify.ts';
import { type ResticAccess, resticEnvironment } from './credentials.ts';
import {
  type BackupProgress,
  parseBackupLine,
  parseLsLine,
  parseSnapshotOrigins,
  parseSnapshots,
  type ResticSummary,
  type Snapshot,
  type SnapshotEntry,
  type SnapshotOrigin,
} from './messages.ts';
import { type ResticInvocation, runRestic } from './process.ts';
import { checkedSnapshotId, fullIdInLocalRepository, isFullSnapshotId } from './snapshot-id.ts';

export type OverwritePolicy = 'never' | 'if-newer' | 'always';

export class ResticError extends UserError {
  override name = 'ResticError';
  readonly failure: ResticFailure;
  readonly invocations: ResticInvocation[];

  constructor(failure: ResticFailure, invocations: ResticInvocation[]) {
    super(failure.message, { kind: 'restic' });
    this.failure = failure;
    this.invocations = invocations;
  }
}

export interface ResticOptions {
  binary: string;
  /** `restic version`'s number, e.g. "0.14.0": what the binary can do depends on it. */
  version?: string | undefined;
  access: ResticAccess;
  processEnv?: NodeJS.ProcessEnv | undefined;
  /** Between SIGINT and SIGKILL on cancel. */
  graceMs?: number | undefined;
  /** How long a failing backend is retried without progress before restic is stopped. */
  backendGiveUpMs?: number | undefined;
}

export interface CommandOptions {
  signal?: AbortSignal | undefined;
}

export interface BackupOptions extends CommandOptions {
  paths: string[];
  excludes?: string[] | undefined;
  tags?: string[] | undefined;
  onProgress?: ((progress: BackupProgress) => void) | undefined;
}

export interface UnreadableItem {
  item: string;
  message: string;
}

export interface BackupResult {
  invocations: ResticInvocation[];
  summary: ResticSummary | undefined;
  snapshotId: string | undefined;
  /** Files restic could not read: the snapshot was made without them. */
  unreadable: UnreadableItem[];
}

export interface CommandResult {
  invocations: ResticInvocation[];
  stdout: string;
}

/** The snapshot `ls --json` lists, from the line it prints first. */
export interface ListedSnapshot {
  id: string;
  tags: string[];
}

export interface SnapshotListing {
  /** Undefined when restic printed no snapshot: 0.14 finds none by the id, says so on stderr and exits 0. */
  snapshot: ListedSnapshot | undefined;
  entries: SnapshotEntry[];
}

function parseListedSnapshot(line: string): ListedSnapshot | undefined {
  const value = JSON.parse(line) as Record<string, unknown>;
  if (value.struct_type !== 'snapshot' || typeof value.id !== 'string') return undefined;
  return { id: value.id, tags: Array.isArray(value.tags) ? value.tags.map(String) : [] };
}

const KEEP_FLAGS: Array<[keyof Retention, string]> = [
  ['keepLast', '--keep-last'],
  ['keepHourly', '--keep-hourly'],
  ['keepDaily', '--keep-daily'],
  ['keepWeekly', '--keep-weekly'],
  ['keepMonthly', '--keep-monthly'],
  ['keepYearly', '--keep-yearly'],
];

export function retentionFlags(retention: Retention): string[] {
  const flags: string[] = [];
  for (const [key, flag] of KEEP_FLAGS) {
    const value = retention[key];
    if (typeof value === 'number') flags.push(flag, String(value));
  }
  // restic reads "m" in --keep-within as months, so whole hours are passed.
  if (retention.keepWithin) flags.push('--keep-within', `${Math.ceil(retention.keepWithin.ms / 3_600_000)}h`);
  return flags;
}

/** The restic binary for one repository: typed options in, typed results and events out. */
export class Restic {
  private readonly options: ResticOptions;

  constructor(options: ResticOptions) {
    this.options = options;
  }

  get displayUrl(): string {
    return this.options.access.displayUrl;
  }

  /**
   * `restic init`; with `chunkerFrom` (the repository whose snapshots will be copied here) the new
   * repository takes its chunker parameters, so copied data deduplicates against it.
   */
  async init(options: CommandOptions & { chunkerFrom?: ResticAccess | undefined } = {}): Promise<CommandResult> {
    if (!options.chunkerFrom) return this.command(['init'], options, { retryStaleLock: false });
    return this.withSource(options.chunkerFrom).command(['init', '--copy-chunker-params'], options, { retryStaleLock: false });
  }

  /**
   * `restic copy` into this repository from `from`: the snapshots `ids` (in that order), or without
   * ids every snapshot with `tags`. restic skips a snapshot whose copy the destination holds already
   * (by its `original`, among the destination's snapshots with the same tags). The source is read
   * without a lock (`--no-lock` applies to it alone; the destination is always locked), so another
   * plan's prune there is never refused because of a copy.
   */
  async copy(from: ResticAccess, options: CommandOptions & { ids?: string[] | undefined; tags?: string[] | undefined }): Promise<CommandResult> {
    if (options.ids?.length === 0) throw new Error('restic copy with an empty list of ids would copy every snapshot; leave the copy out');
    const args = ['copy', '--no-lock', ...tagFilter(options.tags)];
    if (options.ids) args.push('--', ...options.ids.map((id) => checkedSnapshotId(id)));
    return this.withSource(from).command(args, options);
  }

  /** The same restic with a second repository to read from, by restic's RESTIC_FROM_* variables (never argv). */
  private withSource(from: ResticAccess): Restic {
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(from.env)) {
      if (key === 'RESTIC_REPOSITORY') env.RESTIC_FROM_REPOSITORY = value;
      else if (key === 'RESTIC_PASSWORD') env.RESTIC_FROM_PASSWORD = value;
      else if (key === 'RESTIC_PASSWORD_FILE') env.RESTIC_FROM_PASSWORD_FILE = value;
      else if (key === 'RESTIC_PASSWORD_COMMAND') env.RESTIC_FROM_PASSWORD_COMMAND = value;
      else if (!key.startsWith('RESTIC_')) env[key] = value; // the source's backend credentials, unless this repository sets the same name
    }
    const access = this.options.access;
    return new Restic({
      ...this.options,
      access: { ...access, env: { ...env, ...access.env }, redactor: new Redactor().merge(access.redactor).merge(from.redactor) },
    });
  }

  async backup(options: BackupOptions): Promise<BackupResult> {
    const args = ['backup', '--json'];
    for (const tag of options.tags ?? []) args.push(`--tag=${tag}`);
    for (const exclude of options.excludes ?? []) args.push(`--exclude=${exclude}`);
    args.push('--', ...options.paths);
    let summary: ResticSummary | undefined;
    let unreadable: UnreadableItem[] = [];
    const onLine = (line: string) => {
      const message = parseBackupLine(line);
      if (message?.kind === 'progress') options.onProgress?.(message.progress);
      else if (message?.kind === 'summary') summary = message.summary;
      else if (message?.kind === 'error') unreadable.push({ item: message.item, message: message.message });
    };
    const attempt = () => {
      summary = undefined;
      unreadable = [];
      return this.invoke(args, options.signal, {
        onStdoutLine: onLine,
        onStderrLine: onLine,
        keepStdoutLine: (line) => !line.includes('"message_type":"status"'),
      });
    };
    // Exit code 3: the snapshot was made, but some files could not be read.
    const invocations = await this.withStaleLockRetry(attempt, options.signal, [0, 3]);
    if (summary?.snapshot_id !== undefined) summary.snapshot_id = await this.fullSnapshotId(summary.snapshot_id);
    return { invocations, summary, snapshotId: summary?.snapshot_id, unreadable };
  }

  /**
   * restic before 0.17 names the new snapshot by its 8-character short id; the run record keeps
   * the full one whatever restic made it. A local repository tells it by a file name; any other
   * is asked (`snapshots --json <short id>`, no lock, not a step of the run). Should that fail,
   * the short id stays: restic accepts it everywhere an id goes.
   */
  private async fullSnapshotId(id: string): Promise<string> {
    if (isFullSnapshotId(id)) return id;
    const local = await fullIdInLocalRepository(this.options.access.env.RESTIC_REPOSITORY ?? '', id);
    if (local) return local;
    const stdout: string[] = [];
    const invocation = await this.invoke(['snapshots', '--json', '--no-lock', '--', checkedSnapshotId(id)], undefined, {
      onStdoutLine: (line) => stdout.push(line),
      keepStdoutLine: () => false,
    });
    if (invocation.exitCode !== 0) return id;
    try {
      const matches = parseSnapshots(stdout.join('\n')).filter((snapshot) => isFullSnapshotId(snapshot.id) && snapshot.id.startsWith(id));
      return matches.length === 1 ? matches[0]!.id : id;
    } catch {
      return id; // not the JSON restic prints: keep the id it gave
    }
  }

  async snapshots(options: CommandOptions & { tags?: string[] | undefined } = {}): Promise<Snapshot[]> {
    const args = ['snapshots', '--json', '--no-lock'];
    args.push(...tagFilter(options.tags));
    const result = await this.command(args, options, { keepStdout: false });
    return parseSnapshots(result.stdout);
  }

  /** Each snapshot with the id it was copied from, if it is a copy: what a copy compares. */
  async snapshotOrigins(options: CommandOptions & { tags?: string[] | undefined } = {}): Promise<SnapshotOrigin[]> {
    const result = await this.command(['snapshots', '--json', '--no-lock', ...tagFilter(options.tags)], options, { keepStdout: false });
    return parseSnapshotOrigins(result.stdout);
  }

  async ls(snapshot: string, options: CommandOptions & { path?: string | undefined; tags?: string[] | undefined } = {}): Promise<SnapshotEntry[]> {
    return (await this.listing(snapshot, options)).entries;
  }

  /** `restic ls --json`: the entries, and the snapshot listed as restic's first line names it. */
  async listing(snapshot: string, options: CommandOptions & { path?: string | undefined; tags?: string[] | undefined } = {}): Promise<SnapshotListing> {
    const entries: SnapshotEntry[] = [];
    let listed: ListedSnapshot | undefined;
    const args = ['ls', '--json', '--no-lock'];
    args.push(...tagFilter(options.tags));
    // `--` ends the options: an id or a path can never be read as one.
    args.push('--', checkedSnapshotId(snapshot));
    if (options.path) args.push(options.path);
    await this.command(args, options, {
      keepStdout: false,
      onStdoutLine: (line) => {
        if (listed === undefined && line.startsWith('{') && line.includes('"struct_type":"snapshot"')) listed = parseListedSnapshot(line);
        const entry = parseLsLine(line);
        if (entry) entries.push(entry);
      },
    });
    return { snapshot: listed, entries };
  }

  /** restic 0.17 and newer can restore over existing files by a policy (`--overwrite`). */
  get canOverwrite(): boolean {
    const [major = 0, minor = 0] = (this.options.version ?? '0.0.0').split('.').map(Number);
    return major > 0 || minor >= 17;
  }

  async restore(
    options: CommandOptions & {
      snapshot: string;
      target: string;
      include?: string[] | undefined;
      tags?: string[] | undefined;
      overwrite?: OverwritePolicy | undefined;
      /** restic reads back what it wrote and checks it against the repository (`--verify`). */
      verify?: boolean | undefined;
    },
  ): Promise<CommandResult> {
    const args = ['restore', `--target=${options.target}`];
    if (options.verify) args.push('--verify');
    if (options.overwrite) {
      if (!this.canOverwrite)
        throw new UserError(`restic ${this.options.version} cannot restore over existing files (--overwrite needs 0.17 or newer).`, { kind: 'unavailable' });
      args.push(`--overwrite=${options.overwrite}`);
    }
    args.push(...tagFilter(options.tags));
    for (const include of options.include ?? []) args.push(`--include=${include}`);
    args.push('--', checkedSnapshotId(options.snapshot));
    return this.command(args, options);
  }

  async forget(retention: Retention, options: CommandOptions & { tags?: string[] | undefined } = {}): Promise<CommandResult> {
    const args = ['forget', '--prune', '--group-by', 'host,tags'];
    args.push(...tagFilter(options.tags));
    args.push(...retentionFlags(retention));
    return this.command(args, options);
  }

  async check(options: CommandOptions & { readDataSubset?: string | undefined } = {}): Promise<CommandResult> {
    const args = ['check'];
    if (options.readDataSubset) args.push(`--read-data-subset=${options.readDataSubset}`);
    return this.command(args, options);
  }

  /** Removes stale locks only: a lock of a live restic on this host stays. */
  async unlock(options: CommandOptions = {}): Promise<CommandResult> {
    return this.command(['unlock'], options, { retryStaleLock: false });
  }

  async stats(options: CommandOptions = {}): Promise<Record<string, unknown>> {
    const result = await this.command(['stats', '--json', '--no-lock'], options, { keepStdout: false });
    return JSON.parse(result.stdout) as Record<string, unknown>;
  }

  private async command(
    args: string[],
    options: CommandOptions,
    extra: { retryStaleLock?: boolean; keepStdout?: boolean; onStdoutLine?: (line: string) => void } = {},
  ): Promise<CommandResult> {
    const stdout: string[] = [];
    const collect = extra.onStdoutLine ?? ((line: string) => stdout.push(line));
    const attempt = () => {
      stdout.length = 0;
      return this.invoke(args, options.signal, { onStdoutLine: collect, keepStdoutLine: () => extra.keepStdout !== false });
    };
    const invocations =
      extra.retryStaleLock === false ? await this.checked([await attempt()], [0]) : await this.withStaleLockRetry(attempt, options.signal, [0]);
    return { invocations, stdout: stdout.join('\n') };
  }

  private invoke(
    args: string[],
    signal: AbortSignal | undefined,
    streams: { onStdoutLine?: (line: string) => void; onStderrLine?: (line: string) => void; keepStdoutLine?: (line: string) => boolean },
  ): Promise<ResticInvocation> {
    return runRestic({
      binary: this.options.binary,
      args,
      env: resticEnvironment(this.options.access, this.options.processEnv),
      redactor: this.options.access.redactor,
      signal,
      graceMs: this.options.graceMs,
      backendGiveUpMs: this.options.backendGiveUpMs,
      ...streams,
    });
  }

  /**
   * A lock whose process is gone is stale: unlock (which removes only stale locks) and try
   * once more. A lock of a live process survives the unlock, and the second try reports it.
   */
  private async withStaleLockRetry(attempt: () => Promise<ResticInvocation>, signal: AbortSignal | undefined, okCodes: number[]): Promise<ResticInvocation[]> {
    const first = await attempt();
    // Never reached: restic took no lock, and an unlock would only wait for the repository again.
    if (first.unreachable) return this.checked([first], okCodes);
    if (first.cancelled || first.backendGaveUp || first.deleteRefused) return this.checked([first, await this.removeOwnLock()], okCodes);
    if (okCodes.includes(first.exitCode ?? -1)) return this.checked([first], okCodes);
    if (this.classify(first).kind !== 'locked') return this.checked([first], okCodes);
    const unlock = await this.invoke(['unlock'], signal, {});
    const second = await attempt();
    return this.checked([first, unlock, second], okCodes);
  }

  /**
   * restic removes its lock on SIGINT, except when the signal lands while it is still taking
   * the lock. Its process is gone by now, so that lock is stale and `unlock` removes it.
   */
  private async removeOwnLock(): Promise<ResticInvocation> {
    return this.invoke(['unlock'], undefined, {});
  }

  private checked(invocations: ResticInvocation[], okCodes: number[]): ResticInvocation[] {
    const last = invocations.findLast((invocation) => invocation.command !== 'unlock') ?? invocations[invocations.length - 1]!;
    if (last.unreachable) {
      // The sentence restic 0.14 earns at once, for a repository restic 0.17+ kept retrying to open.
      const failure = this.classify(last);
      throw new ResticError(
        failure.kind === 'network'
          ? failure
          : {
              kind: 'network',
              message: `The repository ${this.displayUrl} cannot be reached (no answer). Check the network connection and that the server is running.`,
            },
        invocations,
      );
    }
    if (last.backendGaveUp) {
      const seconds = Math.round((this.options.backendGiveUpMs ?? 120_000) / 1000);
      const detail = classifyResticError(last.exitCode, last.stderr, { repository: this.displayUrl, passwordSource: '', command: last.command }).message;
      const why = /\(([^)]*)\)/.exec(detail)?.[1] ?? 'no answer';
      throw new ResticError(
        {
          kind: 'network',
          message: `The repository ${this.displayUrl} stopped answering during restic ${last.command} (${why}); Lifeboat stopped waiting after ${seconds} s. Check the network connection and that the server is running, then run again.`,
        },
        invocations,
      );
    }
    // restic 0.18 reports a refused delete and exits 0: the data it meant to remove is still there.
    if (last.deleteRefused) throw new ResticError(appendOnlyFailure(this.displayUrl, last.command), invocations);
    if (last.cancelled) throw new ResticError({ kind: 'cancelled', message: `restic ${last.command} was cancelled.` }, invocations);
    if (!okCodes.includes(last.exitCode ?? -1)) throw new ResticError(this.classify(last), invocations);
    return invocations;
  }

  private classify(invocation: ResticInvocation): ResticFailure {
    return classifyResticError(invocation.exitCode, invocation.stderr, {
      repository: this.options.access.displayUrl,
      passwordSource: this.options.access.passwordSource,
      command: invocation.command,
    });
  }
}

/**
 * Selects the snapshots that carry every one of these tags. restic reads one `--tag a,b` as "a and
 * b", but several `--tag` flags as "any of them": a plan's forget would then reach other plans'
 * snapshots in a shared repository.
 */
export function tagFilter(tags: readonly string[] | undefined): string[] {
  return tags && tags.length > 0 ? [`--tag=${tags.join(',')}`] : [];
}
