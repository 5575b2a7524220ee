import type { Plan } from '../config/types.ts';
import type { HistoryStore } from '../history/history-store.ts';
import type { PlanState, PlanStateStore } from '../runs/plan-state.ts';
import { errorMessage } from '../util/errors.ts';
import { type MonitorSender, staleRequest } from './monitors.ts';
import type { NotificationCenter } from './notification-center.ts';
import { STALE_REPEAT_MS, type Staleness, staleness, staleSentence } from './staleness.ts';

export interface StaleAlarmOptions {
  plans: () => Plan[];
  planState: PlanStateStore;
  history: HistoryStore;
  notifications: NotificationCenter;
  monitors: MonitorSender;
  now: () => Date;
  log?: ((line: string) => void) | undefined;
  /** A plan became stale, or stopped being so: the tray and the UIs look again. */
  changed?: (() => void) | undefined;
}

/**
 * The staleness alarm (SPEC §2 `alertAfter`): a plan with no successful backup for that long, for
 * whatever reason, is told on the desktop (with Back up now), to its monitors as a failure, and to
 * the tray and dashboard. Told at most once a day per plan (remembered in the plan state as
 * `staleAlarmAt`); a successful backup ends it. It has no timer of its own: the scheduler checks
 * it at start, on wake, and at `nextCheckAt`.
 */
export class StaleAlarm {
  readonly name = 'the staleness alarm';
  private readonly options: StaleAlarmOptions;
  /** When each plan was last told, also kept in memory: a state file that cannot be written never makes it repeat at once. */
  private readonly told = new Map<string, string>();
  private staleNow = new Set<string>();

  constructor(options: StaleAlarmOptions) {
    this.options = options;
  }

  /** Every plan's staleness now (null: fine), for plans.list. */
  async overview(): Promise<Map<string, Staleness | null>> {
    const { states, facts } = await this.read();
    const now = this.options.now();
    return new Map(this.options.plans().map((plan) => [plan.id, staleness(plan, facts(plan, states), now).stale]));
  }

  /** Raises the alarm for each plan stale and not told within a day; forgets it for plans backed up since. */
  async check(): Promise<void> {
    const { states, facts } = await this.read();
    const now = this.options.now();
    const stale = new Set<string>();
    for (const plan of this.options.plans()) {
      const known = facts(plan, states);
      const result = staleness(plan, known, now).stale;
      const toldAt = this.toldAt(plan.id, states, known.lastSuccessAt);
      if (!result) {
        if (states[plan.id]?.staleAlarmAt || this.told.has(plan.id)) await this.forget(plan.id);
        continue;
      }
      stale.add(plan.id);
      if (toldAt && now.getTime() - Date.parse(toldAt) < STALE_REPEAT_MS) continue;
      await this.raise(plan, result, now);
    }
    const changed = stale.size !== this.staleNow.size || [...stale].some((id) => !this.staleNow.has(id));
    this.staleNow = stale;
    if (changed) this.options.changed?.();
  }

  /** When a check is next worth doing: the moment a plan turns stale, or a day after it was last told. */
  async nextCheckAt(): Promise<Date | null> {
    const { states, facts } = await this.read();
    const now = this.options.now();
    let next: number | null = null;
    for (const plan of this.options.plans()) {
      const known = facts(plan, states);
      const { stale, staleAt } = staleness(plan, known, now);
      const toldAt = this.toldAt(plan.id, states, known.lastSuccessAt);
      let at: number | null = null;
      if (!stale) at = staleAt?.getTime() ?? null;
      else at = toldAt ? Date.parse(toldAt) + STALE_REPEAT_MS : now.getTime();
      if (at !== null && Number.isFinite(at)) next = next === null ? at : Math.min(next, at);
    }
    return next === null ? null : new Date(next);
  }

  private async raise(plan: Plan, stale: Staleness, now: Date): Promise<void> {
    const at = now.toISOString();
    this.told.set(plan.id, at);
    // Remembered before telling: a crash while telling never makes it twice.
    await this.options.planState.update(plan.id, { staleAlarmAt: at }).catch((error: unknown) => {
      this.options.log?.(`${plan.id}: the staleness alarm could not be remembered (${errorMessage(error)})`);
    });
    const sentence = staleSentence(plan.name, stale, now);
    this.options.log?.(sentence);
    for (const monitor of plan.monitors) this.options.monitors.send(staleRequest(monitor, plan, sentence));
    try {
      await this.options.notifications.staleAlarm(plan, stale);
    } catch (error) {
      this.options.log?.(`${plan.id}: the staleness notification failed: ${errorMessage(error)}`);
    }
  }

  private async forget(planId: string): Promise<void> {
    this.told.delete(planId);
    await this.options.planState.update(planId, { staleAlarmAt: undefined }).catch(() => undefined);
  }

  /** When the plan was last told; an alarm from before its last successful backup no longer counts. */
  private toldAt(planId: string, states: Record<string, PlanState>, lastSuccessAt: string | undefined): string | undefined {
    const saved = states[planId]?.staleAlarmAt;
    const remembered = this.told.get(planId);
    const latest = !saved ? remembered : remembered && remembered > saved ? remembered : saved;
    return latest && lastSuccessAt && Date.parse(lastSuccessAt) >= Date.parse(latest) ? undefined : latest;
  }

  private async read() {
    const states = await this.options.planState.read();
    const latest = await this.options.history.latestByPlan();
    const facts = (plan: Plan, all: Record<string, PlanState>) => {
      const runs = latest.get(plan.id);
      return {
        lastSuccessAt: runs?.lastSuccess?.startedAt,
        firstSeenAt: all[plan.id]?.firstSeenAt,
        lastRun: runs?.lastRun ? { status: runs.lastRun.status, reason: runs.lastRun.reason } : null,
      };
    };
    return { states, facts };
  }
}
