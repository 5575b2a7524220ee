/**
 * The one list of calls and events between the engine and any UI. The HTTP transport
 * (`serve`), the Electron IPC transport and the renderer's client are all derived from it;
 * every message is validated against these schemas on arrival. No schema here carries a
 * secret out: passwords go in (write-only) and never come back.
 */
import { z } from 'zod';
import { HOOK_EVENTS, HOOK_VERDICTS, RUN_STATUSES, TRIGGERS, VERIFY_SAMPLE_BOUNDS } from '../core/config/schema.ts';

const id = z.string().regex(/^[a-z0-9][a-z0-9-_]*$/, { error: 'is not a valid id' });
const status = z.enum([...RUN_STATUSES, 'running']);
const trigger = z.enum(TRIGGERS);
const event = z.enum(HOOK_EVENTS);

export const problemSchema = z.object({ path: z.string(), message: z.string() });

export const progressSchema = z.object({
  percent: z.number(),
  filesDone: z.number(),
  totalFiles: z.number(),
  bytesDone: z.number(),
  totalBytes: z.number(),
  secondsElapsed: z.number(),
  secondsRemaining: z.number().optional(),
  currentFile: z.string().optional(),
});

const metricsSettingsSchema = z.strictObject({
  textfile: z.string().max(4096).nullable(),
  pushgateway: z.string().max(4096).nullable(),
  loopbackWithoutToken: z.boolean(),
});

const importTool = z.enum(['resticprofile', 'autorestic', 'backrest']);

/** An import's report: what maps (with ids as they are or would be saved), what did not and why; secrets masked. */
export const importReportSchema = z.object({
  tool: importTool,
  file: z.string(),
  written: z.boolean(),
  /** The config has plans or repositories: importing beside them needs `merge: true`. */
  needsConfirmation: z.boolean(),
  existingPlans: z.number(),
  plans: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      repository: z.string(),
      sources: z.array(z.string()),
      schedule: z.string(),
      /** Every imported hook, saved switched off. */
      hooks: z.array(z.object({ id: z.string(), on: z.array(z.string()), command: z.string() })),
    }),
  ),
  repositories: z.array(z.object({ id: z.string(), url: z.string() })),
  reused: z.array(z.object({ repository: z.string(), existing: z.string() })),
  alreadyImported: z.array(z.object({ plan: z.string(), origin: z.string() })),
  passwordFiles: z.array(z.string()),
  notMapped: z.array(z.object({ path: z.string(), reason: z.string() })),
});

export const runBriefSchema = z.object({
  id: z.string(),
  kind: z.enum(['backup', 'restore', 'verify', 'copy', 'hook-test']),
  plan: z.string(),
  trigger,
  status,
  reason: z.string().nullable(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  snapshotId: z.string().nullable(),
});

export const stepSchema = z.object({
  kind: z.enum(['hook', 'restic']),
  name: z.string(),
  event: z.string().nullable(),
  status: z.string(),
  exitCode: z.number().nullable(),
  startedAt: z.string(),
  durationMs: z.number(),
  output: z.string(),
});

export const runDetailSchema = runBriefSchema.extend({ steps: z.array(stepSchema), summary: z.record(z.string(), z.unknown()).nullable() });

/** What the last backup did, from restic's summary. */
export const backupResultSchema = z.object({
  filesNew: z.number(),
  filesChanged: z.number(),
  bytesAdded: z.number(),
  seconds: z.number(),
});

export const planSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  repository: z.string(),
  enabled: z.boolean(),
  schedule: z.string(),
  nextRuns: z.array(z.string()),
  lastRun: runBriefSchema.nullable(),
  /** The last backup that made a snapshot (success or warning). */
  lastBackup: runBriefSchema.nullable(),
  /** What the last run's backup did, when it made one. */
  lastResult: backupResultSchema.nullable(),
  /**
   * What the last backup changed ("312 files changed, +1.4 GiB, mostly ~/Videos/raw"), only when it is
   * already stored: the list never works it out (runs.changes does, for one run).
   */
  lastChanges: z.object({ run: z.string(), sentence: z.string() }).nullable().optional(),
  sources: z.array(z.string()),
  running: z.boolean(),
  progress: progressSchema.nullable(),
  /** The last restore check that ran to an end ("restore verified 20/20, 3 days ago"). */
  lastVerify: z.object({ status, verified: z.number(), sampled: z.number(), endedAt: z.string() }).nullable(),
  /** "Snooze 1 h": until then no scheduled run starts and no notification is shown. */
  snoozedUntil: z.string().nullable(),
  /** No successful backup for the plan's alertAfter: since when (the last one), and the last run in words. */
  stale: z.object({ since: z.string(), lastReason: z.string(), sentence: z.string() }).nullable(),
});

export const snapshotSchema = z.object({
  id: z.string(),
  shortId: z.string(),
  time: z.string(),
  paths: z.array(z.string()),
  tags: z.array(z.string()),
  hostname: z.string(),
});
export const entrySchema = z.object({ name: z.string(), type: z.string(), path: z.string(), size: z.number().optional(), mtime: z.string().optional() });

export const snapshotRefSchema = z.object({ id: z.string(), shortId: z.string(), time: z.string() });

/** One stored version of a file: an unbroken stretch of snapshots holding the same content. */
export const fileVersionSchema = z.object({
  content: z.string(),
  size: z.number(),
  mtime: z.string(),
  firstSnapshot: snapshotRefSchema,
  lastSnapshot: snapshotRefSchema,
  snapshots: z.number(),
  differsFromPrevious: z.boolean(),
});

const previewFileSchema = z.object({
  path: z.string(),
  size: z.number(),
  mtime: z.string(),
  disk: z.object({ size: z.number(), mtime: z.string(), type: z.enum(['file', 'dir', 'symlink', 'other']) }).nullable(),
});
const previewListSchema = z.object({ count: z.number(), bytes: z.number(), files: z.array(previewFileSchema) });

/** What a restore would do, file by file; each list bounded, its count whole. */
export const restorePreviewSchema = z.object({
  plan: z.string(),
  snapshot: snapshotRefSchema,
  overwrite: z.enum(['never', 'if-newer', 'always']).nullable(),
  target: z.string().nullable(),
  include: z.array(z.string()),
  created: previewListSchema,
  overwritten: previewListSchema,
  kept: previewListSchema,
  unchanged: previewListSchema,
  newerOnDisk: previewListSchema,
});

/** A path a person gives: at most 4,096 characters, like every path in the config. */
const givenPath = z.string().min(1).max(4096, { error: 'is longer than 4,096 characters' });

const restoreInput = z.strictObject({
  plan: id,
  snapshot: z.string().min(1),
  target: z.string().min(1).optional(),
  inPlace: z.boolean().optional(),
  overwrite: z.enum(['never', 'if-newer', 'always']).optional(),
  /** Files and folders of the snapshot, several at once; none: all of it. */
  include: z.array(givenPath).max(1000).optional(),
});
/** What changed between two snapshots, bounded: counts, sizes, and where the growth came from ("size blame"). */
const changeKindSchema = z.enum(['added', 'removed', 'changed']);
const changeSummaryShape = {
  plan: z.string(),
  /** Null for a plan's first snapshot: everything in it is new. */
  from: snapshotRefSchema.nullable(),
  to: snapshotRefSchema,
  files: z.object({ added: z.number(), removed: z.number(), changed: z.number() }),
  dirs: z.object({ added: z.number(), removed: z.number() }),
  bytes: z.object({ added: z.number(), removed: z.number(), net: z.number() }),
  /** What the repository took in and let go (restic's deduplicated numbers). */
  stored: z.object({ added: z.number(), removed: z.number() }).nullable(),
  /** The files that grew the most, largest first (at most 20). */
  topPaths: z.array(z.object({ path: z.string(), change: changeKindSchema, bytes: z.number(), size: z.number() })).max(20),
  /**
   * The folders that grew the most, largest first (at most 10). `excludable`: inside the plan's folders, not one of
   * them, and not excluded yet; `excluded`: the plan leaves it out now (the next backups skip it).
   */
  topFolders: z.array(z.object({ path: z.string(), bytes: z.number(), files: z.number(), excludable: z.boolean(), excluded: z.boolean() })).max(10),
  mostly: z.object({ path: z.string(), bytes: z.number() }).nullable(),
  /** "312 files changed, +1.4 GiB, mostly ~/Videos/raw (1.2 GiB)". */
  sentence: z.string(),
};
export const runChangesSchema = z.object({ ...changeSummaryShape, run: z.string(), computedAt: z.string() });
/** Most changed paths a diff answer lists; `moreChanges` counts the rest. */
export const MAX_DIFF_PATHS = 1000;
export const snapshotDiffSchema = z.object({
  ...changeSummaryShape,
  changes: z.array(z.object({ path: z.string(), change: changeKindSchema, type: z.enum(['file', 'dir']), bytes: z.number() })).max(MAX_DIFF_PATHS),
  moreChanges: z.number(),
});
/** A path a person points at (checked by the engine, which names the fix); the bound only keeps messages small. */
const livePath = z.string().min(1, { error: 'give a folder or file' }).max(65_536, { error: 'is far longer than any path' });
const snapshotId = z.string().min(1).max(100, { error: 'is not a snapshot id (8 to 64 hex characters, or "latest")' });

export const templateSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  requires: z.array(z.string()),
  hooks: z.array(z.record(z.string(), z.unknown())),
});

export const hookTestResultSchema = z.object({
  testId: z.string(),
  outcome: z.enum(['pass', 'skip', 'error', 'cancelled']),
  reason: z.string(),
  exitCode: z.number().nullable(),
  durationMs: z.number(),
  /** All the test printed, bounded as a run stores it (SPEC §4): each line time-stamped, a marker where lines were left out. */
  output: z.string(),
  verdict: z.object({ kind: z.enum(HOOK_VERDICTS), text: z.string() }),
});

export const previewSnapshotSchema = z.object({ id: z.string(), shortId: z.string(), time: z.string(), reasons: z.array(z.string()) });

/** What a retention policy would do, nothing removed: counts, the oldest kept, the lists (newest first, bounded). */
export const retentionPreviewSchema = z.object({
  plan: z.string(),
  policy: z.boolean(),
  snapshots: z.number(),
  keeps: z.number(),
  removes: z.number(),
  oldestKept: z.string().nullable(),
  keep: z.array(previewSnapshotSchema),
  remove: z.array(previewSnapshotSchema),
  sentence: z.string(),
});

/** A plan's backup runs and its repository's size over time, for the charts (oldest first, bounded). */
export const planSeriesSchema = z.object({
  plan: z.string(),
  repository: z.string(),
  from: z.string(),
  to: z.string(),
  runs: z.array(
    z.object({
      id: z.string(),
      startedAt: z.string(),
      status: z.enum(RUN_STATUSES),
      trigger,
      reason: z.string().nullable(),
      durationMs: z.number().nullable(),
      bytesAdded: z.number().nullable(),
      bytesProcessed: z.number().nullable(),
    }),
  ),
  truncated: z.boolean(),
  repositorySize: z.array(z.object({ at: z.string(), bytes: z.number() })),
});

const empty = z.strictObject({});
const ok = z.object({ ok: z.literal(true) });

/** Every call: its input and its output. */
export const calls = {
  'app.status': {
    input: empty,
    output: z.object({
      version: z.string(),
      configFile: z.string(),
      dataDir: z.string(),
      needsOnboarding: z.boolean(),
      paused: z.object({ since: z.string(), until: z.string().nullable() }).nullable(),
      hooksEnabled: z.boolean(),
      notifications: z.boolean(),
      desktop: z.boolean(),
    }),
  },
  'config.get': {
    input: empty,
    // revision: which version of the file this is, sent back with config.save. problems: what is wrong
    // with the file on disk while the last good config (the one returned) stays in use.
    output: z.object({ config: z.record(z.string(), z.unknown()), revision: z.string(), problems: z.array(problemSchema) }),
  },
  'config.validate': { input: z.strictObject({ config: z.unknown() }), output: z.object({ problems: z.array(problemSchema) }) },
  'config.save': {
    input: z.strictObject({ config: z.record(z.string(), z.unknown()), revision: z.string().max(100).optional() }),
    // The new revision, for the next save from the same page.
    output: z.object({ ok: z.literal(true), revision: z.string() }),
  },
  /** What importing another tool's config would add (nothing is written): see importReportSchema. */
  'config.importPreview': { input: z.strictObject({ tool: importTool, file: z.string().min(1).max(4096) }), output: importReportSchema },
  /** Imports it: `merge` is the person's consent to add beside a config that has plans or repositories. */
  'config.import': { input: z.strictObject({ tool: importTool, file: z.string().min(1).max(4096), merge: z.boolean() }), output: importReportSchema },
  'onboarding.setup': {
    input: z.strictObject({
      folder: z.string().min(1),
      repositoryPath: z.string().min(1).optional(),
      /** Needed for a new repository (at least 8 characters) or to check one that exists. */
      password: z.string().min(1).optional(),
      cron: z.string().min(1).optional(),
      /** An existing repository for a new plan: no password asked again. */
      repository: id.optional(),
      /** An existing plan that gets the folder as one more source. */
      plan: id.optional(),
    }),
    output: z.object({ plan: z.string(), repository: z.string(), started: z.boolean() }),
  },
  'plans.list': { input: empty, output: z.array(planSummarySchema) },
  /** Back up now (trigger manual, the default) or Retry now after a failure (trigger retry); ends the plan's snooze. */
  'plans.run': {
    input: z.strictObject({ plan: id, trigger: z.enum(['manual', 'retry']).optional() }),
    output: z.object({ started: z.boolean(), queued: z.boolean() }),
  },
  /** Snooze 1 h (SPEC §7): the plan's scheduled runs wait an hour and its notifications are silent; `off` ends it. */
  'plans.snooze': { input: z.strictObject({ plan: id, off: z.boolean().optional() }), output: z.object({ until: z.string().nullable() }) },
  /** Removes a plan from the config; its history stays. */
  'plans.delete': { input: z.strictObject({ plan: id }), output: ok },
  'plans.cancel': { input: z.strictObject({ plan: id }), output: z.object({ cancelled: z.boolean() }) },
  /** Starts a restore check of the plan's latest snapshot; false when one is under way already. */
  'plans.verify': {
    input: z.strictObject({ plan: id, sample: z.number().int().min(VERIFY_SAMPLE_BOUNDS[0]).max(VERIFY_SAMPLE_BOUNDS[1]).optional() }),
    output: z.object({ started: z.boolean() }),
  },
  'schedule.preview': {
    input: z.strictObject({ schedule: z.unknown() }),
    output: z.object({ sentence: z.string(), next: z.array(z.string()), problems: z.array(problemSchema) }),
  },
  'schedule.pause': { input: z.strictObject({ choice: z.enum(['1h', 'tomorrow', 'indefinitely']) }), output: z.object({ until: z.string().nullable() }) },
  'schedule.resume': { input: empty, output: ok },
  'hooks.test': {
    input: z.strictObject({ plan: id, hook: z.record(z.string(), z.unknown()), event: event.optional(), testId: z.string().min(1).max(64) }),
    output: hookTestResultSchema,
  },
  'templates.list': { input: empty, output: z.array(templateSchema) },
  'history.list': { input: z.strictObject({ plan: id.optional(), limit: z.number().int().min(1).max(1000).optional() }), output: z.array(runBriefSchema) },
  'history.get': { input: z.strictObject({ id: z.string().min(1) }), output: runDetailSchema },
  'snapshots.list': { input: z.strictObject({ plan: id }), output: z.array(snapshotSchema) },
  'snapshots.browse': { input: z.strictObject({ plan: id, snapshot: z.string().min(1), path: z.string().optional() }), output: z.array(entrySchema) },
  'snapshots.restore': {
    input: restoreInput,
    output: z.object({ status, reason: z.string().nullable() }),
  },
  /** What snapshots.restore with the same input would create, overwrite and keep; nothing is written. */
  'snapshots.restorePreview': { input: restoreInput, output: restorePreviewSchema },
  /** Every stored version of one file, newest first. */
  'files.versions': {
    input: z.strictObject({ plan: id, path: givenPath }),
    output: z.object({ plan: z.string(), path: z.string(), searched: z.number(), versions: z.array(fileVersionSchema) }),
  },
  /** Puts back one version: beside the live file (`name (2026-11-20 14:00).ext`) or in its place (the live content kept beside). */
  'files.restoreVersion': {
    input: z.strictObject({ plan: id, path: givenPath, snapshot: z.string().min(1), mode: z.enum(['beside', 'in-place']) }),
    output: z.object({ snapshot: snapshotRefSchema, restoredTo: z.string(), keptLiveAs: z.string().nullable(), size: z.number() }),
  },
  /** What a backup run changed: stored, or worked out now (and stored); null for a run that made no snapshot. */
  'runs.changes': { input: z.strictObject({ runId: z.string().min(1).max(100) }), output: runChangesSchema.nullable() },
  /** What changed between two snapshots of a plan: `to` (default latest) against `from` (default the one before it). */
  'snapshots.diff': { input: z.strictObject({ plan: id, from: snapshotId.optional(), to: snapshotId.optional() }), output: snapshotDiffSchema },
  /** What the next backup would skip if `path` were excluded: its files in the latest snapshot. Nothing is changed. */
  'plans.excludePreview': {
    input: z.strictObject({ plan: id, path: livePath }),
    output: z.object({
      plan: z.string(),
      path: z.string(),
      /** The exclude that would be added. */
      pattern: z.string(),
      alreadyExcluded: z.boolean(),
      /** The latest snapshot counted in; null when the plan has none yet. */
      snapshot: snapshotRefSchema.nullable(),
      files: z.number(),
      dirs: z.number(),
      bytes: z.number(),
      /** The config's revision now, for plans.addExclude. */
      revision: z.string(),
    }),
  },
  /** Adds the exclude for `path` to the plan (with `revision`, only over that version of the config). */
  'plans.addExclude': {
    input: z.strictObject({ plan: id, path: livePath, revision: z.string().max(100).optional() }),
    output: z.object({ ok: z.literal(true), pattern: z.string(), added: z.boolean(), revision: z.string() }),
  },
  /**
   * What `forget` would do with a DRAFT policy (not the saved one); nothing is removed. A draft with
   * problems is refused with the same field problems validation gives (paths inside the plan:
   * `retention.keepLast`); null is no policy, and leaving `retention` out previews the saved one.
   */
  'retention.preview': { input: z.strictObject({ plan: id, retention: z.unknown() }), output: retentionPreviewSchema },
  /** The plan's charts: its backup runs over the last `days` (30 unless asked) and its repository's size. */
  'charts.series': { input: z.strictObject({ plan: id, days: z.number().int().min(1).max(366).optional() }), output: planSeriesSchema },
  'repositories.list': {
    input: empty,
    output: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        url: z.string(),
        passwordSource: z.string(),
        /** Credential names with masked values: secrets are write-only. */
        env: z.record(z.string(), z.string()),
        /** The plans that back up into it. */
        usedBy: z.array(z.string()),
        /** The server refuses deletes: Lifeboat never forgets or prunes there. */
        appendOnly: z.boolean().optional(),
        /** The plans that copy their snapshots into it (copyTo). */
        copiedBy: z.array(z.string()).optional(),
      }),
    ),
  },
  /** Adds a repository: an existing one only if the password opens it; `initialise` makes a new one. */
  'repositories.create': {
    input: z.strictObject({
      id,
      name: z.string().min(1),
      url: z.string().min(1),
      password: z.string().min(8, { error: 'must be at least 8 characters (a passphrase you can remember is best)' }),
      initialise: z.boolean(),
      env: z.record(z.string(), z.string()).optional(),
      appendOnly: z.boolean().optional(),
    }),
    output: ok,
  },
  /** Edits name, URL, credentials (a masked value keeps the stored one, a missing key is removed) or the password. */
  'repositories.update': {
    input: z.strictObject({
      id,
      name: z.string().min(1).optional(),
      url: z.string().min(1).optional(),
      env: z.record(z.string(), z.string()).optional(),
      password: z.string().min(1).optional(),
      appendOnly: z.boolean().optional(),
    }),
    output: ok,
  },
  /** Removes a repository from the config (its data stays); refused while a plan uses it. */
  'repositories.remove': { input: z.strictObject({ id }), output: ok },
  'repositories.check': { input: z.strictObject({ id }), output: z.object({ ok: z.boolean(), output: z.string() }) },
  'repositories.unlock': { input: z.strictObject({ id }), output: ok },
  'settings.update': {
    input: z.strictObject({ hooksEnabled: z.boolean().optional(), notifications: z.boolean().optional(), resticPath: z.string().nullable().optional() }),
    output: ok,
  },
  /** `settings.metrics`, the pushgateway's password masked. */
  'settings.metrics': { input: empty, output: metricsSettingsSchema },
  /** Changes `settings.metrics`: null or "" removes a field; a pushgateway URL still holding the mask keeps the saved password. */
  'settings.updateMetrics': { input: metricsSettingsSchema.partial().strict(), output: ok },
  /** The restic program in use: the configured path (null: PATH), and its version or what is wrong. */
  'settings.restic': {
    input: empty,
    output: z.object({ resticPath: z.string().nullable(), found: z.string().nullable(), version: z.string().nullable(), problem: z.string().nullable() }),
  },
  'notifications.test': { input: empty, output: ok },
  /** Desktop app only: the native folder picker. */
  'desktop.pickFolder': { input: z.strictObject({ title: z.string().max(200).optional() }), output: z.object({ path: z.string().nullable() }) },
  /** Desktop app only: the native file picker (another tool's config to import). */
  'desktop.pickFile': { input: z.strictObject({ title: z.string().max(200).optional() }), output: z.object({ path: z.string().nullable() }) },
  /** Desktop app only: start Lifeboat when the person logs in. */
  'desktop.startAtLogin': { input: z.strictObject({ enabled: z.boolean().optional() }), output: z.object({ enabled: z.boolean() }) },
  // Path help for the plan editor: folder completion and which paths are missing.
  'paths.complete': { input: z.strictObject({ prefix: z.string().max(4096) }), output: z.object({ entries: z.array(z.string()).max(50) }) },
  'paths.check': { input: z.strictObject({ paths: z.array(z.string().max(4096)).max(1000) }), output: z.object({ missing: z.array(z.string()) }) },
} as const;

/** Every event the engine pushes to a UI. */
export const events = {
  'run.started': z.object({ run: runBriefSchema }),
  'run.progress': z.object({ runId: z.string(), plan: z.string(), progress: progressSchema }),
  'run.output': z.object({ runId: z.string(), step: z.string(), stream: z.enum(['stdout', 'stderr']), line: z.string() }),
  'run.step': z.object({ runId: z.string(), kind: z.string(), name: z.string(), event: z.string().nullable(), status: z.string().optional() }),
  'run.ended': z.object({ run: runBriefSchema }),
  /**
   * A live preview of a hook test's output, bounded per test (the call's answer carries the output
   * itself): `linesLeftOut` lines were not sent just before this one, `charsLeftOut` characters
   * were cut from this line's end.
   */
  'hook-test.output': z.object({
    testId: z.string(),
    stream: z.enum(['stdout', 'stderr']),
    line: z.string(),
    linesLeftOut: z.number().int().positive().optional(),
    charsLeftOut: z.number().int().positive().optional(),
  }),
  'status.changed': z.object({}),
} as const;

export type Calls = typeof calls;
export type CallName = keyof Calls;
export type CallInput<N extends CallName> = z.input<Calls[N]['input']>;
export type CallOutput<N extends CallName> = z.output<Calls[N]['output']>;
export type EventName = keyof typeof events;
export type EventPayload<N extends EventName> = z.output<(typeof events)[N]>;
export type AnyEvent = { [N in EventName]: { name: N; payload: EventPayload<N> } }[EventName];

export type PlanSummary = z.output<typeof planSummarySchema>;
export type RunBrief = z.output<typeof runBriefSchema>;
export type RunDetail = z.output<typeof runDetailSchema>;
export type Problem = z.output<typeof problemSchema>;
export type Progress = z.output<typeof progressSchema>;
export type HookTemplateView = z.output<typeof templateSchema>;
export type RunChangesView = z.output<typeof runChangesSchema>;
export type SnapshotDiffView = z.output<typeof snapshotDiffSchema>;
export type RetentionPreviewView = z.output<typeof retentionPreviewSchema>;
export type PlanSeriesView = z.output<typeof planSeriesSchema>;

/** A refusal the UI can act on: an HTTP-like status, a sentence, and field problems if any. */
export interface ApiErrorBody {
  error: { status: number; code: string; message: string; problems?: Problem[] | undefined };
}

export function isCallName(name: string): name is CallName {
  return Object.hasOwn(calls, name);
}
