import type { HookEvent } from '../config/schema.ts';
import { isAfterEvent } from '../config/vocabulary.ts';
import type { RunState } from '../runs/run-state.ts';
import { urlWithoutCredentials } from '../util/redactor.ts';
import type { HookVariable } from './variables.ts';

export const SUMMARY_FILE = 'summary.json';

/** The LIFEBOAT_* variables of one hook call (SPEC §4). */
export function hookVariables(run: RunState, event: HookEvent, hookId: string, summaryFile: string): Record<HookVariable, string | undefined> {
  const after = isAfterEvent(event);
  const status = run.status;
  return {
    LIFEBOAT_EVENT: event,
    LIFEBOAT_RUN_ID: run.id,
    LIFEBOAT_HOOK_ID: hookId,
    LIFEBOAT_TRIGGER: run.trigger,
    LIFEBOAT_PLAN_ID: run.plan.id,
    LIFEBOAT_PLAN_NAME: run.plan.name,
    LIFEBOAT_REPOSITORY: urlWithoutCredentials(run.repository.url),
    LIFEBOAT_SOURCES: run.plan.sources.join('\n'),
    LIFEBOAT_WORKING_DIR: run.workingDir,
    LIFEBOAT_STATUS: after ? status : undefined,
    LIFEBOAT_ERROR: after && status !== 'success' ? (run.reason ?? undefined) : undefined,
    LIFEBOAT_SNAPSHOT_ID: run.record.snapshotId ?? undefined,
    LIFEBOAT_SUMMARY_FILE: summaryFile,
  };
}

/** The session basics every hook receives (SPEC §4); `*` ends a prefix. */
export const SESSION_ENV = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'LC_*',
  'TZ',
  'TMPDIR',
  'TERM',
  'DISPLAY',
  'WAYLAND_DISPLAY',
  'XDG_*',
  'DBUS_SESSION_BUS_ADDRESS',
  'SSH_AUTH_SOCK',
  // Windows
  'SystemRoot',
  'ComSpec',
  'PATHEXT',
  'APPDATA',
  'LOCALAPPDATA',
  'USERPROFILE',
  'TEMP',
] as const;

/** Whether a name is one of the patterns: an exact name, or a prefix ending in `*`. */
export function matchesEnvPattern(name: string, patterns: readonly string[], ignoreCase: boolean): boolean {
  const wanted = ignoreCase ? name.toUpperCase() : name;
  return patterns.some((raw) => {
    const pattern = ignoreCase ? raw.toUpperCase() : raw;
    return pattern.endsWith('*') ? wanted.startsWith(pattern.slice(0, -1)) : wanted === pattern;
  });
}

/**
 * A hook's environment is an allow-list, never "everything minus a deny-list": the session
 * basics, the names the person asked to inherit, the hook's own `env`, and the LIFEBOAT_*
 * variables. A secret never passes, whatever pattern names it, nor does any variable whose
 * value holds a known secret.
 */
export function hookEnvironment(
  base: NodeJS.ProcessEnv,
  hookEnv: Record<string, string>,
  variables: Record<string, string | undefined>,
  options: { inherit: readonly string[]; isSecret: (name: string) => boolean; containsSecret: (value: string) => boolean; platform?: NodeJS.Platform },
): Record<string, string> {
  const ignoreCase = (options.platform ?? process.platform) === 'win32';
  const allowed = [...SESSION_ENV, ...options.inherit];
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) {
    if (value === undefined || !matchesEnvPattern(key, allowed, ignoreCase)) continue;
    if (options.isSecret(key) || options.containsSecret(value)) continue;
    env[key] = value;
  }
  for (const [key, value] of Object.entries(hookEnv)) {
    if (!key.toUpperCase().startsWith('RESTIC_')) env[key] = value; // validation refuses these; never pass one anyway
  }
  for (const [key, value] of Object.entries(variables)) {
    if (value !== undefined) env[key] = value;
    else delete env[key];
  }
  return env;
}
