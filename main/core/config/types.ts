import type { Condition } from '../conditions/registry.ts';
import type { Duration } from '../util/duration.ts';
import type { HookEvent, Monitor, Retention, RunStatus, Schedule } from './schema.ts';

/** A config after validation, with every default filled in, `~` expanded and durations in milliseconds. */
export interface Config {
  version: number;
  repositories: Repository[];
  plans: Plan[];
  settings: Settings;
}

export interface Repository {
  id: string;
  name: string;
  url: string;
  passwordEnv?: string | undefined;
  passwordFile?: string | undefined;
  passwordCommand?: string | undefined;
  passwordKeychain?: boolean | undefined;
  env: Record<string, string>;
  /** The server refuses deletes: never forget or prune here (retention is applied by the server's owner). */
  appendOnly?: boolean | undefined;
}

/** One repository a plan's snapshots are copied to after a backup, with its own retention there (if any). */
export interface CopyTarget {
  repository: string;
  retention?: Retention | undefined;
}

export interface Plan {
  id: string;
  name: string;
  enabled: boolean;
  repository: string;
  sources: string[];
  excludes: string[];
  schedule: Schedule;
  catchUp: boolean;
  retention?: Retention | undefined;
  check?: { every: Duration; readDataSubset?: string | undefined } | undefined;
  /** Restore-and-compare spot checks: `sample` files every `every`. */
  verify?: { every: Duration; sample: number } | undefined;
  hooks: Hook[];
  notifications: { desktop: NotifyStatus[]; enabled: boolean };
  monitors: Monitor[];
  /** Second copies: each listed repository receives the plan's snapshots after a successful backup. */
  copyTo?: CopyTarget[] | undefined;
  /** No successful backup for this long raises the staleness alarm; unset: the default (notify/staleness.ts). */
  alertAfter?: Duration | undefined;
}

export type NotifyStatus = RunStatus | 'recovery';

export type HookScript = { inline: string } | { path: string; args: string[] } | { command: string };

export interface Hook {
  id: string;
  name: string;
  enabled: boolean;
  on: HookEvent[];
  states: RunStatus[];
  script?: HookScript | undefined;
  condition?: Condition | undefined;
  onError: 'fail' | 'skip' | 'ignore' | 'defer';
  retryAfter: Duration;
  mode: 'wait' | 'async';
  timeout: Duration;
  cwd: string | null;
  env: Record<string, string>;
  /** Names (or prefixes ending in `*`) from Lifeboat's environment this hook also receives. */
  inheritEnv: string[];
  appliesTo: 'all' | 'scheduled';
}

export interface Settings {
  hooksEnabled: boolean;
  resticPath: string | null;
  historyDays: number;
  notifications: boolean;
  /** Environment names every hook receives on top of the session basics (SPEC §4). */
  hookInheritEnv: string[];
  metrics: MetricsSettings;
}

/** `settings.metrics` with `~` expanded. */
export interface MetricsSettings {
  textfile?: string | undefined;
  pushgateway?: string | undefined;
  loopbackWithoutToken: boolean;
}

export const DEFAULT_SETTINGS: Settings = {
  hooksEnabled: true,
  resticPath: null,
  historyDays: 90,
  notifications: true,
  hookInheritEnv: [],
  metrics: { loopbackWithoutToken: false },
};
