/**
 * A config that came from elsewhere (a file a person imports, a colleague's setup) runs no
 * hook until its owner has read them: hooks are turned off when it has any.
 */
export function prepareImportedConfig(raw: Record<string, unknown>): { config: Record<string, unknown>; hooksDisabled: number } {
  const plans = Array.isArray(raw.plans) ? (raw.plans as Array<Record<string, unknown>>) : [];
  const hooksDisabled = plans.reduce((count, plan) => count + (Array.isArray(plan.hooks) ? plan.hooks.length : 0), 0);
  if (hooksDisabled === 0) return { config: raw, hooksDisabled };
  const settings = typeof raw.settings === 'object' && raw.settings !== null ? raw.settings : {};
  return { config: { ...raw, settings: { ...settings, hooksEnabled: false } }, hooksDisabled };
}
