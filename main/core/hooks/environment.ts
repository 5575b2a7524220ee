import type { HookEvent } from '../config/schema.ts';
import type { RunState } from '../runs/run-state.ts';
import { urlWithoutCredentials } from '../util/redactor.ts';
import type { HookVariable } from './variables.ts';

export const SUMMARY_FILE = 'summary.json';

/** The LIFEBOAT_* variables of one hook call (SPEC §4). */
export function hookVariables(run: RunState, event: HookEvent, summaryFile: string): Record<HookVariable, string | undefined> {
  const after = event.endsWith('.after') || event === 'run.end';
  const status = run.status;
  return {
    LIFEBOAT_EVENT: event,
    LIFEBOAT_RUN_ID: run.id,
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

/**
 * The app's environment, the hook's `env`, and the LIFEBOAT_* variables. Whatever could
 * carry the repository's secrets is left out: restic's own variables, the variable the
 * password is read from, and any variable whose value contains a known secret.
 */
export function hookEnvironment(
  base: NodeJS.ProcessEnv,
  hookEnv: Record<string, string>,
  variables: Record<string, string | undefined>,
  options: { passwordEnv?: string | undefined; containsSecret: (value: string) => boolean },
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) {
    if (value === undefined || key.startsWith('RESTIC_') || key === options.passwordEnv) continue;
    if (options.containsSecret(value)) continue;
    env[key] = value;
  }
  Object.assign(env, hookEnv);
  for (const [key, value] of Object.entries(variables)) {
    if (value !== undefined) env[key] = value;
    else delete env[key];
  }
  return env;
}
