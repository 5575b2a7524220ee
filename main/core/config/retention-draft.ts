import type { RawConfig } from './edit.ts';
import type { Retention } from './schema.ts';
import { type Problem, type ValidateOptions, validateConfig } from './validate.ts';

export type RetentionDraftCheck = { ok: true; retention: Retention | null } | { ok: false; problems: Problem[] };

/**
 * A retention policy typed in the plan editor and not saved yet, checked exactly as a save would
 * check it: the config in use with this plan's `retention` replaced, through the one validation.
 * Problems come back with paths inside the plan (`retention.keepLast`), as the editor shows them.
 * `null` (and `{}`) is no policy: everything is kept.
 */
export function checkRetentionDraft(raw: RawConfig, planId: string, draft: unknown, options: ValidateOptions = {}): RetentionDraftCheck {
  const plans = raw.plans ?? [];
  const index = plans.findIndex((plan) => plan.id === planId);
  if (index === -1) return { ok: false, problems: [{ path: 'plan', message: `there is no plan "${planId}"` }] };
  if (draft === null || draft === undefined) return { ok: true, retention: null };
  const trial = { ...raw, plans: plans.map((plan, at) => (at === index ? { ...plan, retention: draft } : plan)) } as unknown;
  const validation = validateConfig(trial, options);
  const prefix = `plans[${index}].retention`;
  if (!validation.ok) {
    const mine = validation.problems.filter((problem) => problem.path === prefix || problem.path.startsWith(`${prefix}.`));
    // The config in use is valid, so every problem is the draft's; one elsewhere is told as it is.
    const shown = mine.length ? mine : validation.problems;
    return { ok: false, problems: shown.map((problem) => ({ ...problem, path: problem.path.replace(/^plans\[\d+\]\./, '') })) };
  }
  const retention = validation.config.plans[index]?.retention;
  return { ok: true, retention: retention && Object.keys(retention).length ? retention : null };
}
