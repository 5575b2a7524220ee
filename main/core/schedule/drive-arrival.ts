import type { Plan } from '../config/types.ts';
import type { MountEvent, MountEvents, MountWatch } from '../platform/mount-events.ts';
import type { Clock } from './clock.ts';
import { isOnMount, normaliseMountPath, planMountTrigger } from './mount-trigger.ts';
import type { ScheduleMemory } from './schedule-memory.ts';

export interface DriveArrivalOptions {
  events: MountEvents;
  plans: () => Plan[];
  memory: ScheduleMemory;
  clock: Clock;
  paused: () => boolean;
  /** When the plan's snooze ends, if it is snoozed at `now`: its arrival run waits until then. */
  snoozedUntil?: ((planId: string, now: Date) => Date | undefined) | undefined;
  /** Starts (or queues) a run of the plan with trigger `mount`. */
  arrive: (planId: string) => void;
  /** Plans with a run under way now. */
  running: () => string[];
  /** Ends the plan's run as cancelled with this reason. */
  cancel: (planId: string, reason: string) => void;
  /** A watched drive arrived: deferred runs may try again (a `path` condition can pass now). */
  conditionsChanged: () => void;
  /** Where a plan's data lives (its sources, a local repository): a run loses its drive when one of them is unmounted. */
  placesOf?: ((plan: Plan) => string[]) | undefined;
  log: (line: string) => void;
}

/**
 * The drive-arrival trigger (`schedule.onMount`): one watch of the mount table for every plan
 * that has one. When a watched folder becomes a mount point the plan runs, at most once per
 * `minInterval` (counted from the last arrival run, kept in the schedule memory so a restart
 * does not allow another). A drive already mounted when watching begins has not arrived.
 * When a filesystem holding a running plan's drive, sources or repository is unmounted, that
 * run is cancelled: "drive removed". An arrival while the plan is snoozed is held: its run starts
 * when the snooze ends, if the drive is still mounted then (an unmount drops it).
 */
export class DriveArrival {
  private readonly options: DriveArrivalOptions;
  private watch: MountWatch | undefined;
  private stopped = false;
  private toldUnsupported = new Set<string>();
  /** Arrivals held by a snooze: the drive's folder, by plan id. */
  private readonly held = new Map<string, string>();

  constructor(options: DriveArrivalOptions) {
    this.options = options;
  }

  /** Why drive arrival cannot work here, if it cannot. */
  get unsupported(): string | undefined {
    return this.options.events.unsupported;
  }

  /** Starts or stops the watch so it runs exactly while some enabled plan has `onMount`. */
  update(): void {
    if (this.stopped) return;
    const watched = this.options.plans().filter((plan) => planMountTrigger(plan) !== undefined);
    const why = this.options.events.unsupported;
    if (why) {
      for (const plan of watched) {
        if (this.toldUnsupported.has(plan.id)) continue;
        this.toldUnsupported.add(plan.id);
        this.options.log(`${plan.id}: ${why}; its onMount ${planMountTrigger(plan)!.path} is ignored`);
      }
      return;
    }
    if (watched.length > 0 && !this.watch) {
      this.watch = this.options.events.watch((event) => this.onEvent(event), this.options.log);
      this.options.log(`watching for drives: ${[...new Set(watched.map((plan) => planMountTrigger(plan)!.path))].join(', ')}`);
    } else if (watched.length === 0 && this.watch) {
      const watch = this.watch;
      this.watch = undefined;
      void watch.stop();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const watch = this.watch;
    this.watch = undefined;
    await watch?.stop();
  }

  private onEvent(event: MountEvent): void {
    if (this.stopped) return;
    if (event.action === 'mount' || event.action === 'move') this.arrived(event.target);
    if (event.action === 'umount') this.removed(event.target);
  }

  private arrived(target: string): void {
    const plans = this.options.plans().filter((plan) => planMountTrigger(plan)?.path === target);
    if (plans.length === 0) return;
    if (this.options.paused()) {
      this.options.log(`${target} was mounted while scheduling is paused: ${plans.map((plan) => plan.id).join(', ')} not started`);
      return;
    }
    const now = this.options.clock.now();
    for (const plan of plans) {
      const snoozed = this.options.snoozedUntil?.(plan.id, now);
      if (snoozed) {
        this.held.set(plan.id, target);
        this.options.log(
          `${plan.id}: ${target} was mounted while the plan is snoozed; it runs when the snooze ends at ${snoozed.toISOString()}, if the drive is still there`,
        );
        continue;
      }
      this.start(plan, target, now);
    }
    this.options.conditionsChanged();
  }

  /** When the first held arrival may start (its plan's snooze ends), if any is held. */
  heldUntil(now: Date): Date | undefined {
    let first: Date | undefined;
    for (const planId of this.held.keys()) {
      const until = this.options.snoozedUntil?.(planId, now) ?? now;
      if (!first || until < first) first = until;
    }
    return first;
  }

  /** Starts the held arrivals whose snooze has ended, for plans that still watch that drive. */
  releaseHeld(): void {
    if (this.stopped || this.held.size === 0) return;
    const now = this.options.clock.now();
    for (const [planId, target] of [...this.held]) {
      if (this.options.snoozedUntil?.(planId, now)) continue;
      this.held.delete(planId);
      const plan = this.options.plans().find((candidate) => candidate.id === planId && planMountTrigger(candidate)?.path === target);
      if (!plan) continue; // the plan no longer watches that drive
      if (this.options.paused()) {
        this.options.log(`${target} was mounted during a snooze that ended while scheduling is paused: ${planId} not started`);
        continue;
      }
      this.start(plan, target, now);
    }
  }

  /** An arrival run of the plan, unless its last one was less than minInterval ago. */
  private start(plan: Plan, target: string, now: Date): void {
    const trigger = planMountTrigger(plan)!;
    const last = Date.parse(this.options.memory.get(plan.id).mountRunAt ?? '');
    if (Number.isFinite(last) && now.getTime() - last < trigger.minIntervalMs && now.getTime() >= last) {
      const next = new Date(last + trigger.minIntervalMs);
      this.options.log(
        `${plan.id}: ${target} was mounted again; the last arrival run was at ${new Date(last).toISOString()}, so none before ${next.toISOString()}`,
      );
      return;
    }
    this.options.log(`${plan.id}: ${target} was mounted`);
    // Remembered before the run starts: neither a crash nor a restart allows a second run too soon.
    this.options.memory.update(plan.id, { mountRunAt: now.toISOString() }).catch((error: unknown) => {
      this.options.log(`${plan.id}: the arrival time could not be kept (${error instanceof Error ? error.message : String(error)})`);
    });
    this.options.arrive(plan.id);
  }

  private removed(target: string): void {
    for (const [planId, path] of [...this.held]) {
      if (target === '/' || !isOnMount(normaliseMountPath(path), target)) continue;
      this.held.delete(planId);
      this.options.log(`${planId}: ${path} was unmounted during the snooze; its held arrival run is dropped`);
    }
    const running = new Set(this.options.running());
    for (const plan of this.options.plans()) {
      if (!running.has(plan.id)) continue;
      const places = [...(this.options.placesOf?.(plan) ?? plan.sources)];
      const mount = planMountTrigger(plan);
      if (mount) places.push(mount.path);
      // "/" is never unmounted while Lifeboat runs; a move of it would otherwise claim everything.
      if (target === '/' || !places.some((place) => place.startsWith('/') && isOnMount(normaliseMountPath(place), target))) continue;
      this.options.log(`${plan.id}: ${target} was unmounted during the run; cancelling it`);
      this.options.cancel(plan.id, `drive removed: ${target} was unmounted during the run`);
    }
  }
}
