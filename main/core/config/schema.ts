import { z } from 'zod';
import { quoteStart } from '../util/quote.ts';
import { durationField, longerThan, MAX_ID_LENGTH, MAX_NAME_LENGTH, MAX_PATH_LENGTH, mountPathField, nameField, pathField, textField } from './fields.ts';
import {
  CLIENT_HEADERS,
  CONFIG_VERSION,
  DURATION_BOUNDS,
  HEADER_LINE_BREAK,
  HEADER_NAME_PATTERN,
  ID_PATTERN,
  NOTIFY_STATUSES,
  VERIFY_SAMPLE_BOUNDS,
} from './limits.ts';

/** Whether a `--read-data-subset` value is one restic runs with, not only one it parses (200%, 0/5 and 3/2 fail every check). */
const SUBSET = /^(\d+(\.\d+)?%|\d+\/\d+|\d+(\.\d+)?[KMGT]?)$/;

function subsetInRange(value: string): boolean {
  if (!SUBSET.test(value)) return true; // told by the pattern's own sentence
  if (value.endsWith('%')) {
    const percent = Number(value.slice(0, -1));
    return percent > 0 && percent <= 100;
  }
  const [n, t] = value.split('/');
  if (t !== undefined) return Number(n) >= 1 && Number(n) <= Number(t);
  return Number.parseFloat(value) > 0;
}

import { HOOK_EVENTS, isAfterEvent, ON_ERROR, RUN_STATUSES, type TRIGGERS } from './vocabulary.ts';

export {
  CONFIG_VERSION,
  DURATION_BOUNDS,
  ID_PATTERN,
  MAX_ID_LENGTH,
  MAX_NAME_LENGTH,
  MAX_PATH_LENGTH,
  MAX_TEXT_LENGTH,
  NOTIFY_STATUSES,
  VERIFY_SAMPLE_BOUNDS,
  VERIFY_SAMPLE_DEFAULT,
} from './limits.ts';

export { HOOK_EVENTS, HOOK_VERDICTS, ON_ERROR, RUN_STATUSES, TRIGGERS, WEEKDAYS } from './vocabulary.ts';

/** Whether a script's text has anything to run: spaces and line breaks alone do nothing. */
const hasText = (value: string) => value.trim() !== '';

/** Control characters but the tab and the line feed: none is in a path typed or pasted on purpose. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this finds
const STRAY_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;
/** Where a line of a full path begins: the root, the home folder or a drive. */
const PATH_START = /^(\/|~|[A-Za-z]:[\\/])/;

/**
 * What a paste leaves in a source or an exclude: a control character, a line break or tab at either
 * end, or several entries on separate lines. restic gets each as one argument, so a line break inside
 * a real folder's name (one a foreign config's folder held, say) is kept: only a full path may hold
 * one, and no line after it may start another path.
 */
export function pasteProblem(value: string, list: 'sources' | 'excludes'): string | undefined {
  const [what, several] = list === 'sources' ? ['path', 'paths'] : ['pattern', 'patterns'];
  const stray = STRAY_CONTROL.exec(value)?.[0];
  if (stray !== undefined)
    return `${quoteStart(value, 60)} contains a control character (${JSON.stringify(stray)}), most likely from a paste; write the ${what} as plain text on one line`;
  if (/^[\t\n]|[\t\n]$/.test(value)) return `${quoteStart(value, 60)} starts or ends with a line break or a tab, most likely left over from a paste; remove it`;
  const [first = '', ...rest] = value.split('\n');
  if (rest.length > 0 && (!PATH_START.test(first) || rest.some((line) => PATH_START.test(line.trimStart()))))
    return `${quoteStart(value, 60)} holds several ${several} on separate lines; give each its own entry in "${list}"`;
  return undefined;
}

/** An absolute http(s) URL with a host, written out as such (`https:host` is not taken for one). */
function isHttpUrl(value: string): boolean {
  if (!/^https?:\/\/[^/]/i.test(value)) return false;
  try {
    return new URL(value).hostname !== '';
  } catch {
    return false;
  }
}

/**
 * Every zod schema of the config, built on first use: building them costs a start-up tens of
 * milliseconds (zod binds each schema's methods), and a `lifeboat run` whose config was checked
 * before (checked-config.ts) never needs them.
 */
function buildSchemas() {
  const name = nameField;
  const path = pathField;
  const text = textField;

  const id = z
    .string()
    .max(MAX_ID_LENGTH, longerThan(MAX_ID_LENGTH, '; use a short id such as "documents"'))
    .regex(ID_PATTERN, {
      error: (issue) =>
        `${JSON.stringify(issue.input)} is not a valid id (use lowercase letters, digits, "-" and "_", starting with a letter or digit, e.g. "documents")`,
    });

  const duration = durationField();

  const boundedDuration = (bounds: readonly [string, string]) => durationField(bounds);

  const stringMap = z.record(z.string().max(MAX_NAME_LENGTH, longerThan(MAX_NAME_LENGTH)), text);

  /** Checked against its type's schema (conditions/registry.ts) in validate.ts, so an unknown type gets its own sentence. */
  const condition = z.looseObject({ type: z.string() });

  const script = z
    .strictObject({
      inline: z
        .string()
        .max(32_000, { error: 'is longer than 32,000 characters (move it into a file and use "path")' })
        .refine(hasText, { error: 'holds no script (it is empty, or only spaces and line breaks); write the script, or remove the hook' })
        .optional(),
      path: path.min(1).optional(),
      args: z.array(text).optional(),
      command: text.refine(hasText, { error: 'holds no command (it is empty, or only spaces); write the command, or remove the hook' }).optional(),
    })
    .superRefine((value, ctx) => {
      const kinds = (['inline', 'path', 'command'] as const).filter((key) => value[key] !== undefined);
      if (kinds.length !== 1) {
        ctx.addIssue({
          code: 'custom',
          message:
            kinds.length === 0
              ? 'needs one of "inline" (script text), "path" (an executable file) or "command" (one shell line)'
              : `has ${kinds.map((k) => `"${k}"`).join(' and ')}; keep exactly one of them`,
        });
      }
      if (value.args !== undefined && value.path === undefined) {
        ctx.addIssue({ code: 'custom', path: ['args'], message: '"args" only goes with "path"; put arguments into the command line instead' });
      }
    });

  /** An environment name, or a prefix ending in `*`, to pass from Lifeboat's environment into hooks. */
  const inheritEnv = z.array(
    z
      .string()
      .max(MAX_NAME_LENGTH, longerThan(MAX_NAME_LENGTH))
      .regex(/^([A-Za-z_][A-Za-z0-9_]*\*?|\*)$/, {
        // The name as typed, cut short: a pasted page of text is not sent back whole.
        error: (issue) => {
          const typed = String(issue.input);
          return `${quoteStart(typed)} is not an environment variable name (letters, digits, _; a trailing * matches a prefix)`;
        },
      }),
  );

  /** One source or exclude: not empty, and nothing a paste left in it. */
  const pathEntry = (list: 'sources' | 'excludes') =>
    path.min(1).superRefine((value, ctx) => {
      const problem = pasteProblem(value, list);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });

  const hookSchema = z
    .strictObject({
      id,
      name: name.optional(),
      enabled: z.boolean().optional(),
      on: z.array(z.enum(HOOK_EVENTS)).min(1, { error: `needs at least one event: choose when it runs (in the file, one of ${HOOK_EVENTS.join(', ')})` }),
      states: z.array(z.enum(RUN_STATUSES)).optional(),
      script: script.optional(),
      condition: condition.optional(),
      onError: z.enum(ON_ERROR).optional(),
      retryAfter: boundedDuration(DURATION_BOUNDS.retryAfter).optional(),
      mode: z.enum(['wait', 'async']).optional(),
      timeout: boundedDuration(DURATION_BOUNDS.hookTimeout).optional(),
      cwd: path.nullable().optional(),
      env: stringMap.optional(),
      inheritEnv: inheritEnv.optional(),
      appliesTo: z.enum(['all', 'scheduled']).optional(),
    })
    .superRefine((hook, ctx) => {
      if ((hook.script === undefined) === (hook.condition === undefined)) {
        ctx.addIssue({
          code: 'custom',
          message:
            hook.script === undefined
              ? 'needs either "script" or "condition"'
              : 'has both "script" and "condition"; a hook is one or the other, so split it into two hooks',
        });
      }
      if (hook.states !== undefined && !hook.on.some(isAfterEvent)) {
        ctx.addIssue({ code: 'custom', path: ['states'], message: '"states" only applies to *.after and run.end hooks; remove it or change "on"' });
      }
    });

  /** Beside cron or every, or alone: run when a drive is mounted at `onMount`, at most once per `minInterval`. */
  const driveArrival = {
    onMount: mountPathField.optional(),
    minInterval: boundedDuration(DURATION_BOUNDS.mountMinInterval).optional(),
  };

  const schedule = z.union([
    z.strictObject({
      cron: z.string().min(1).max(MAX_NAME_LENGTH, longerThan(MAX_NAME_LENGTH)),
      timezone: z.string().max(MAX_NAME_LENGTH).optional(),
      ...driveArrival,
    }),
    z.strictObject({ every: boundedDuration(DURATION_BOUNDS.scheduleEvery), ...driveArrival }),
    z.strictObject({ onMount: mountPathField, minInterval: driveArrival.minInterval }),
    z.null(),
  ]);

  /** How many snapshots one retention rule keeps: 1 or more, and no more than anyone keeps (100,000 hourly ones span 11 years). */
  const keepCount = z.number().min(1).max(100_000).int();
  const retention = z.strictObject({
    keepLast: keepCount.optional(),
    keepHourly: keepCount.optional(),
    keepDaily: keepCount.optional(),
    keepWeekly: keepCount.optional(),
    keepMonthly: keepCount.optional(),
    keepYearly: keepCount.optional(),
    keepWithin: duration.optional(),
  });

  /** Where a monitor is pinged: http(s) only, one line (a URL parser would quietly drop a tab or a line break). */
  const monitorUrl = z
    .string()
    .max(MAX_PATH_LENGTH, longerThan(MAX_PATH_LENGTH, '; paste only the ping URL your monitor service shows'))
    .superRefine((value, ctx) => {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused here
      if (/[\u0000-\u001f\u007f]/.test(value))
        ctx.addIssue({ code: 'custom', message: 'contains a line break, a tab or another control character; write the URL on one line' });
      else if (value.trim() === '')
        ctx.addIssue({ code: 'custom', message: 'is empty; paste the URL your monitor service gives, e.g. "https://hc-ping.com/your-uuid"' });
      // The value itself is not quoted back: a monitor URL is a secret.
      else if (value.length <= MAX_PATH_LENGTH && !isHttpUrl(value))
        ctx.addIssue({ code: 'custom', message: 'must be an http:// or https:// URL, e.g. "https://hc-ping.com/your-uuid"' });
      else if (/\s/.test(value)) ctx.addIssue({ code: 'custom', message: 'contains a space; remove it, or write it as %20 if the URL needs one' });
    });
  /**
   * A value sent as an HTTP header (a webhook's header, an ntfy token): one line, or it would end the
   * header early (any other character is sent as its UTF-8 bytes). The value itself is not quoted
   * back: it is often a secret.
   */
  const headerValue = text.superRefine((value, ctx) => {
    if (HEADER_LINE_BREAK.test(value))
      ctx.addIssue({ code: 'custom', message: 'contains a line break or another control character; write the value on one line' });
  });
  /** A header's name: an HTTP token, and none of those the HTTP client writes itself or refuses. */
  const headerName = z
    .string()
    .max(MAX_NAME_LENGTH, longerThan(MAX_NAME_LENGTH))
    .regex(HEADER_NAME_PATTERN, {
      error: (issue) => `${quoteStart(String(issue.input))} is not a header name; use letters, digits and "-" only, e.g. "X-Token"`,
    })
    .refine((name) => !CLIENT_HEADERS.has(name.toLowerCase()), {
      error: (issue) => `${JSON.stringify(issue.input)} is a header the HTTP client writes or refuses itself; remove it`,
    });
  const monitor = z.discriminatedUnion('type', [
    z.strictObject({ id: id.optional(), type: z.literal('healthchecks'), url: monitorUrl }),
    z.strictObject({ id: id.optional(), type: z.literal('ntfy'), url: monitorUrl, token: headerValue.optional() }),
    z.strictObject({
      id: id.optional(),
      type: z.literal('webhook'),
      url: monitorUrl,
      headers: z.record(headerName, headerValue).optional(),
    }),
  ]);

  /** A second copy (SPEC §2): a repository id, or one with its own retention there. */
  const copyTarget = z.union([
    z.string().min(1).max(MAX_ID_LENGTH, longerThan(MAX_ID_LENGTH)),
    z.strictObject({ repository: z.string().min(1).max(MAX_ID_LENGTH, longerThan(MAX_ID_LENGTH)), retention: retention.optional() }),
  ]);

  const planSchema = z.strictObject({
    id,
    name: name.min(1).optional(),
    enabled: z.boolean().optional(),
    repository: z.string().min(1).max(MAX_ID_LENGTH, longerThan(MAX_ID_LENGTH)),
    sources: z.array(pathEntry('sources')).min(1, { error: 'needs at least one folder to back up, e.g. ["~/Documents"]' }),
    excludes: z.array(pathEntry('excludes')).optional(),
    schedule: schedule.optional(),
    catchUp: z.boolean().optional(),
    retention: retention.optional(),
    check: z
      .strictObject({
        every: boundedDuration(DURATION_BOUNDS.checkEvery),
        readDataSubset: z
          .string()
          .regex(SUBSET, { error: 'is not a subset restic understands (try "2%" or "1/10")' })
          .refine(subsetInRange, {
            error: 'is outside what restic reads: a percentage above 0% and at most 100%, n/t with n from 1 to t, or a size above 0 (try "2%" or "1/10")',
          })
          .optional(),
      })
      .optional(),
    verify: z
      .strictObject({
        every: boundedDuration(DURATION_BOUNDS.verifyEvery),
        sample: z
          .number({ error: 'is not a number of files (try 20)' })
          .int({ error: 'is not a whole number of files (try 20)' })
          .min(VERIFY_SAMPLE_BOUNDS[0], { error: `must be at least ${VERIFY_SAMPLE_BOUNDS[0]} file` })
          .max(VERIFY_SAMPLE_BOUNDS[1], { error: `must be at most ${VERIFY_SAMPLE_BOUNDS[1]} files (a spot check, not a full restore)` })
          .optional(),
      })
      .optional(),
    hooks: z.array(hookSchema).optional(),
    notifications: z.strictObject({ desktop: z.array(z.enum(NOTIFY_STATUSES)).optional(), enabled: z.boolean().optional() }).optional(),
    monitors: z.array(monitor).optional(),
    copyTo: z.array(copyTarget).optional(),
    /** No successful backup for this long: the staleness alarm (default 3 days, or 3× the schedule's interval). */
    alertAfter: boundedDuration(DURATION_BOUNDS.alertAfter).optional(),
  });

  const repositorySchema = z.strictObject({
    id,
    name: name.min(1).optional(),
    url: path.min(1, { error: 'is empty; give a folder path or a restic URL such as "sftp:user@host:/srv/restic"' }),
    passwordEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'is not an environment variable name' })
      .optional(),
    passwordFile: path.min(1).optional(),
    passwordCommand: text.min(1).optional(),
    /** The desktop app keeps the password encrypted by the OS keychain. */
    passwordKeychain: z.literal(true, { error: 'can only be true (the desktop app keeps the password in the keychain); remove it otherwise' }).optional(),
    env: stringMap.optional(),
    /** The server refuses deletes (rest-server/rclone --append-only): Lifeboat never runs forget or prune here. */
    appendOnly: z.boolean().optional(),
  });

  /** Prometheus: a textfile folder for node_exporter, a pushgateway, and whether loopback may scrape without the token. */
  const metricsSettingsSchema = z.strictObject({
    textfile: path
      .min(1)
      .refine((value) => value.startsWith('/') || value === '~' || value.startsWith('~/'), {
        error: "must be an absolute folder (or start with ~/), the one node_exporter's --collector.textfile.directory names",
      })
      .optional(),
    pushgateway: z
      .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL of a Prometheus pushgateway, e.g. "http://pushgateway:9091"' })
      .max(MAX_PATH_LENGTH, longerThan(MAX_PATH_LENGTH))
      .optional(),
    loopbackWithoutToken: z.boolean().optional(),
  });

  const settingsSchema = z.strictObject({
    hooksEnabled: z.boolean().optional(),
    resticPath: path.min(1).nullable().optional(),
    historyDays: z.number().int().min(1).optional(),
    notifications: z.boolean().optional(),
    hookInheritEnv: inheritEnv.optional(),
    metrics: metricsSettingsSchema.optional(),
  });

  const configSchema = z.strictObject({
    version: z.literal(CONFIG_VERSION, {
      error: (issue) => (issue.input === undefined ? `is missing; add "version": ${CONFIG_VERSION}` : `must be ${CONFIG_VERSION}`),
    }),
    repositories: z.array(repositorySchema).optional(),
    plans: z.array(planSchema).optional(),
    settings: settingsSchema.optional(),
  });

  return { configSchema, hookSchema, planSchema, repositorySchema, settingsSchema, metricsSettingsSchema, schedule, retention, monitor, copyTarget };
}

type Schemas = ReturnType<typeof buildSchemas>;
let built: Schemas | undefined;

/** The config's schemas (built once, on the first call). */
export function schemas(): Schemas {
  built ??= buildSchemas();
  return built;
}

/** The config as a person writes it (durations as text): what the file, the API and the editor hold. */
export type ConfigInput = z.input<Schemas['configSchema']>;
export type HookInput = z.input<Schemas['hookSchema']>;
export type PlanInput = z.input<Schemas['planSchema']>;
export type RepositoryInput = z.input<Schemas['repositorySchema']>;
/** The same after the schema parsed it: durations are milliseconds from here on. */
export type ConfigParsed = z.output<Schemas['configSchema']>;
export type HookParsed = z.output<Schemas['hookSchema']>;
export type PlanParsed = z.output<Schemas['planSchema']>;
export type RunStatus = (typeof RUN_STATUSES)[number];
export type Trigger = (typeof TRIGGERS)[number];
export type HookEvent = (typeof HOOK_EVENTS)[number];
export type Schedule = z.infer<Schemas['schedule']>;
export type Retention = z.infer<Schemas['retention']>;
export type Monitor = z.infer<Schemas['monitor']>;
export type CopyTargetInput = z.input<Schemas['copyTarget']>;
