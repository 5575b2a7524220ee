import type { z } from 'zod';
import type * as Fields from '../config/fields.ts';
import type { ConditionField } from '../config/vocabulary.ts';
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

/**
 * What a condition's schema is built from, handed in by the config's checker: zod and the config's
 * field types are loaded only when a config is checked, never by a run whose config was checked before.
 */
export interface SchemaParts {
  z: typeof z;
  fields: typeof Fields;
}

/** The schema of one condition type: an object whose `type` is the type's name. */
export type ConditionSchema<K extends string> = z.ZodType<{ type: K }, { type: K }>;

/**
 * One built-in condition type, in one module: its name, the schema of its options (which parses
 * durations once, at load), its words, defaults and editor fields (CONDITION_FACTS), and `evaluate`.
 */
export interface ConditionModule<K extends string, S extends ConditionSchema<K>> {
  type: K;
  /** The schema, built from the parts on first use and kept. */
  schema(parts: SchemaParts): S;
  words: string;
  defaults: z.input<S>;
  fields: readonly ConditionField[];
  evaluate(condition: z.output<S>, context: ConditionContext): Promise<ConditionVerdict>;
}

/** A condition module as its file writes it: the schema is built by a function, on first use. */
export interface ConditionDefinition<K extends string, S extends ConditionSchema<K>> extends Omit<ConditionModule<K, S>, 'schema'> {
  schema: (parts: SchemaParts) => S;
}

/**
 * Checks a module's parts fit together (its defaults pass the schema's types, `evaluate` gets
 * parsed options). The schema is built when first asked for: a run whose config was checked
 * before evaluates conditions without building any, or loading zod.
 */
export function defineCondition<K extends string, S extends ConditionSchema<K>>(definition: ConditionDefinition<K, S>): ConditionModule<K, S> {
  const { schema: build, ...parts } = definition;
  let schema: S | undefined;
  return {
    ...parts,
    schema(parts) {
      schema ??= build(parts);
      return schema;
    },
  };
}
