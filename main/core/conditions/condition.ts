import type { Condition, ConditionType } from '../config/schema.ts';
import type { Platform } from '../platform/platform.ts';

export interface ConditionContext {
  platform: Platform;
  /** The plan's repository URL (credentials removed), for the `online` default target. */
  repositoryUrl: string;
  now: Date;
  signal?: AbortSignal | undefined;
}

export interface ConditionVerdict {
  pass: boolean;
  /** A sentence a person understands at a glance: `Battery at 15 %, below 30 %`. */
  reason: string;
}

/** One built-in condition type: its options come from the config schema of the same name. */
export interface ConditionModule<K extends ConditionType> {
  type: K;
  evaluate(condition: Extract<Condition, { type: K }>, context: ConditionContext): Promise<ConditionVerdict>;
}
