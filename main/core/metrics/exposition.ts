import type { RunStatus } from '../config/schema.ts';
import { RUN_STATUSES } from '../config/vocabulary.ts';

/** What the exposition says of one plan. */
export interface PlanMetrics {
  plan: string;
  repository: string;
  /** The last finished backup run; null when the plan never ran (no timestamp, status or duration series then). */
  lastRun: { endedAt: Date; status: RunStatus; durationSeconds: number } | null;
  /** The last successful backup (one that made a snapshot); null when there is none. */
  lastSuccess: { endedAt: Date; addedBytes: number | null } | null;
  /** Finished backup runs by status, never going back (see RunCounters). */
  runsTotal: Partial<Record<RunStatus, number>>;
}

interface Family {
  name: string;
  type: 'gauge' | 'counter';
  help: string;
  samples: (plan: PlanMetrics) => Array<[extra: Array<[string, string]>, value: number]>;
}

const FAMILIES: Family[] = [
  {
    name: 'lifeboat_last_run_timestamp_seconds',
    type: 'gauge',
    help: 'When the last backup run of the plan ended, in seconds since the epoch.',
    samples: (plan) => (plan.lastRun ? [[[], seconds(plan.lastRun.endedAt)]] : []),
  },
  {
    name: 'lifeboat_last_success_timestamp_seconds',
    type: 'gauge',
    help: 'When the last successful backup of the plan (one that made a snapshot) ended, in seconds since the epoch.',
    samples: (plan) => (plan.lastSuccess ? [[[], seconds(plan.lastSuccess.endedAt)]] : []),
  },
  {
    name: 'lifeboat_last_run_status',
    type: 'gauge',
    help: 'The status of the last backup run of the plan: 1 for its status, 0 for the others.',
    samples: (plan) => {
      const last = plan.lastRun;
      return last ? RUN_STATUSES.map((status) => [[['status', status]], status === last.status ? 1 : 0]) : [];
    },
  },
  {
    name: 'lifeboat_last_run_duration_seconds',
    type: 'gauge',
    help: 'How long the last backup run of the plan took, in seconds.',
    samples: (plan) => (plan.lastRun ? [[[], plan.lastRun.durationSeconds]] : []),
  },
  {
    name: 'lifeboat_last_backup_added_bytes',
    type: 'gauge',
    help: 'Bytes the last successful backup of the plan added to the repository.',
    samples: (plan) => (plan.lastSuccess && plan.lastSuccess.addedBytes !== null ? [[[], plan.lastSuccess.addedBytes]] : []),
  },
  {
    name: 'lifeboat_runs_total',
    type: 'counter',
    help: 'Backup runs of the plan that ended, by status.',
    samples: (plan) => RUN_STATUSES.map((status) => [[['status', status]], plan.runsTotal[status] ?? 0]),
  },
];

/**
 * The Prometheus text exposition (format 0.0.4) of every plan: HELP and TYPE lines, labels
 * `plan`, `repository`, `host` escaped, families in a fixed order and plans by id.
 */
export function renderExposition(host: string, plans: PlanMetrics[]): string {
  const ordered = [...plans].sort((a, b) => (a.plan < b.plan ? -1 : a.plan > b.plan ? 1 : 0));
  const lines: string[] = [];
  for (const family of FAMILIES) {
    lines.push(`# HELP ${family.name} ${family.help}`, `# TYPE ${family.name} ${family.type}`);
    for (const plan of ordered) {
      for (const [extra, value] of family.samples(plan)) {
        const labels: Array<[string, string]> = [['plan', plan.plan], ['repository', plan.repository], ['host', host], ...extra];
        lines.push(`${family.name}{${labels.map(([name, text]) => `${name}="${escapeLabelValue(text)}"`).join(',')}} ${formatValue(value)}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

/** A label value as the exposition format writes it: backslash, double quote and line feed escaped. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function seconds(date: Date): number {
  return date.getTime() / 1000;
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}
