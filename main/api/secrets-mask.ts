/**
 * Secrets in a config never reach a UI: repository credentials (`env`), monitor URLs, ntfy
 * tokens and webhook headers are replaced by a mask. When the UI saves the config back, a
 * value still equal to the mask keeps what was stored.
 */
export const MASK = '••••••••';

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function maskValues(record: unknown): unknown {
  if (!isRecord(record)) return record;
  return Object.fromEntries(Object.keys(record).map((key) => [key, MASK]));
}

export function maskConfig(raw: Json): Json {
  const config = structuredClone(raw);
  for (const repository of Array.isArray(config.repositories) ? config.repositories : []) {
    if (isRecord(repository) && isRecord(repository.env)) repository.env = maskValues(repository.env);
  }
  for (const plan of Array.isArray(config.plans) ? config.plans : []) {
    if (!isRecord(plan) || !Array.isArray(plan.monitors)) continue;
    for (const monitor of plan.monitors) {
      if (!isRecord(monitor)) continue;
      if (typeof monitor.url === 'string') monitor.url = MASK;
      if (typeof monitor.token === 'string') monitor.token = MASK;
      if (isRecord(monitor.headers)) monitor.headers = maskValues(monitor.headers);
    }
  }
  return config;
}

/** Puts the stored secrets back where the incoming config still has the mask. */
export function unmaskConfig(incoming: Json, stored: Json): Json {
  const config = structuredClone(incoming);
  const byId = (list: unknown, id: unknown) => (Array.isArray(list) ? list.find((item) => isRecord(item) && item.id === id) : undefined) as Json | undefined;
  for (const repository of Array.isArray(config.repositories) ? config.repositories : []) {
    if (!isRecord(repository) || !isRecord(repository.env)) continue;
    const before = byId(stored.repositories, repository.id);
    for (const [key, value] of Object.entries(repository.env)) {
      if (value === MASK) repository.env[key] = isRecord(before?.env) ? before.env[key] : undefined;
    }
  }
  for (const plan of Array.isArray(config.plans) ? config.plans : []) {
    if (!isRecord(plan) || !Array.isArray(plan.monitors)) continue;
    const before = byId(stored.plans, plan.id);
    const storedMonitors = Array.isArray(before?.monitors) ? before.monitors : [];
    plan.monitors.forEach((monitor, index) => {
      if (!isRecord(monitor)) return;
      const old = storedMonitors[index] as Json | undefined;
      if (monitor.url === MASK) monitor.url = old?.url;
      if (monitor.token === MASK) monitor.token = old?.token;
      if (isRecord(monitor.headers)) {
        for (const [key, value] of Object.entries(monitor.headers)) {
          if (value === MASK) monitor.headers[key] = isRecord(old?.headers) ? old.headers[key] : undefined;
        }
      }
    });
  }
  return config;
}
