import type { Condition, ConditionType } from '../config/schema.ts';
import { acPower } from './ac-power.ts';
import { battery } from './battery.ts';
import type { ConditionContext, ConditionModule, ConditionVerdict } from './condition.ts';
import { diskSpace } from './disk-space.ts';
import { idle } from './idle.ts';
import { networkUnmetered } from './network-unmetered.ts';
import { online } from './online.ts';
import { pathCondition } from './path.ts';
import { timeWindow } from './time-window.ts';

/** Every condition type has exactly one module; the type system checks none is missing. */
const REGISTRY: { [K in ConditionType]: ConditionModule<K> } = {
  battery,
  acPower,
  online,
  path: pathCondition,
  timeWindow,
  diskSpace,
  networkUnmetered,
  idle,
};

export async function evaluateCondition(condition: Condition, context: ConditionContext): Promise<ConditionVerdict> {
  const module = REGISTRY[condition.type] as ConditionModule<typeof condition.type>;
  return module.evaluate(condition as never, context);
}
