import type { z } from 'zod';
import { CONDITION_TYPES, type ConditionTypeName } from '../config/vocabulary.ts';
import { acPower } from './ac-power.ts';
import { battery } from './battery.ts';
import type { ConditionContext, ConditionVerdict } from './condition.ts';
import { diskSpace } from './disk-space.ts';
import { idle } from './idle.ts';
import { networkUnmetered } from './network-unmetered.ts';
import { online } from './online.ts';
import { pathCondition } from './path.ts';
import { timeWindow } from './time-window.ts';

/**
 * Every condition type and its one module. The type checks each entry of CONDITION_FACTS (the
 * words and defaults any UI shows) has a module here, under its own name, and nothing more.
 */
export const CONDITIONS = {
  battery,
  acPower,
  online,
  path: pathCondition,
  timeWindow,
  diskSpace,
  networkUnmetered,
  idle,
} as const satisfies { [K in ConditionTypeName]: { type: K } };

type Modules = typeof CONDITIONS;
export type ConditionType = keyof Modules;
/** A condition as the loaded config carries it (durations in milliseconds). */
export type Condition = { [K in ConditionType]: z.output<ReturnType<Modules[K]['schema']>> }[ConditionType];
/** A condition as a person writes it. */
export type ConditionInput = { [K in ConditionType]: z.input<ReturnType<Modules[K]['schema']>> }[ConditionType];

export { CONDITION_TYPES };

/** The module of a condition type, or undefined for a name that is none (own keys only: not "constructor"). */
export function conditionModule(type: string): Modules[ConditionType] | undefined {
  return Object.hasOwn(CONDITIONS, type) ? CONDITIONS[type as ConditionType] : undefined;
}

export async function evaluateCondition(condition: Condition, context: ConditionContext): Promise<ConditionVerdict> {
  const module = CONDITIONS[condition.type] as { evaluate(condition: Condition, context: ConditionContext): Promise<ConditionVerdict> };
  return module.evaluate(condition, context);
}
