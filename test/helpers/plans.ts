import type { Plan } from '../../main/core/config/types.ts';

/** A normalised plan as the engine holds it, with only what a test cares about changed. */
export function testPlan(id: string, schedule: Plan['schedule'], extra: Partial<Plan> = {}): Plan {
  return {
    id,
    name: id,
    enabled: true,
    repository: 'r',
    sources: ['/x'],
    excludes: [],
    schedule,
    catchUp: true,
    hooks: [],
    notifications: { desktop: [], enabled: true },
    monitors: [],
    ...extra,
  };
}
