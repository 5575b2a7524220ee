import { createHash } from 'node:crypto';
import { Redactor, urlCredentials } from '../util/redactor.ts';
import type { Problem } from './validate.ts';

/**
 * Secrets in a config never reach a UI: repository credentials (`env`, a password inside the
 * URL), monitor URLs, ntfy tokens and webhook headers are replaced by a mask. When the UI
 * saves the config back, a value still equal to the mask keeps what was stored for the same
 * item, found by its id (a repository's id, a monitor's id), never by its place in a list.
 * A mask that matches no stored item is refused: it would otherwise be saved as a secret.
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

/** A repository URL with the password part (if any) replaced by the mask; the user name stays. */
export function maskUrlPassword(url: string): string {
  const credentials = urlCredentials(url);
  if (credentials?.password === undefined) return url;
  return `${credentials.scheme}${credentials.user}:${credentials.password ? MASK : ''}@${credentials.rest}`;
}

/**
 * A monitor's id: its own, or (for one written without) a stable one derived from what it
 * is, so the same stored monitor gets the same id on every read until a save writes it down.
 */
export function monitorIds(monitors: unknown[]): Array<string | undefined> {
  const taken = new Set(monitors.map((monitor) => (isRecord(monitor) && typeof monitor.id === 'string' ? monitor.id : undefined)));
  return monitors.map((monitor) => {
    if (!isRecord(monitor)) return undefined;
    if (typeof monitor.id === 'string') return monitor.id;
    const digest = createHash('sha256')
      .update(JSON.stringify([monitor.type, monitor.url, monitor.token, monitor.headers]))
      .digest('hex');
    let candidate = `monitor-${digest.slice(0, 10)}`;
    for (let n = 2; taken.has(candidate); n += 1) candidate = `monitor-${digest.slice(0, 10)}-${n}`;
    taken.add(candidate);
    return candidate;
  });
}

export function maskConfig(raw: Json): Json {
  const config = structuredClone(raw);
  for (const repository of Array.isArray(config.repositories) ? config.repositories : []) {
    if (!isRecord(repository)) continue;
    if (isRecord(repository.env)) repository.env = maskValues(repository.env);
    if (typeof repository.url === 'string') repository.url = maskUrlPassword(repository.url);
  }
  for (const plan of Array.isArray(config.plans) ? config.plans : []) {
    if (!isRecord(plan) || !Array.isArray(plan.monitors)) continue;
    const ids = monitorIds(plan.monitors);
    plan.monitors.forEach((monitor, index) => {
      if (!isRecord(monitor)) return;
      if (ids[index] !== undefined) monitor.id = ids[index];
      if (typeof monitor.url === 'string') monitor.url = MASK;
      if (typeof monitor.token === 'string') monitor.token = MASK;
      if (isRecord(monitor.headers)) monitor.headers = maskValues(monitor.headers);
    });
  }
  const metrics = isRecord(config.settings) && isRecord(config.settings.metrics) ? config.settings.metrics : undefined;
  if (typeof metrics?.pushgateway === 'string') metrics.pushgateway = maskUrlPassword(metrics.pushgateway);
  return config;
}

export type UnmaskResult<T extends Json = Json> = { ok: true; config: T } | { ok: false; problems: Problem[] };

/**
 * Puts the stored secrets back where the incoming config still has the mask, matched by id.
 * Only a string is ever swapped for a string, so what comes back has the shape that went in.
 */
export function unmaskConfig<T extends Json>(incoming: T, stored: Json): UnmaskResult<T> {
  const copy = structuredClone(incoming);
  const config: Json = copy;
  const problems: Problem[] = [];
  const byId = (list: unknown, id: unknown) =>
    (Array.isArray(list) && typeof id === 'string' ? list.find((item) => isRecord(item) && item.id === id) : undefined) as Json | undefined;

  (Array.isArray(config.repositories) ? config.repositories : []).forEach((repository, index) => {
    if (!isRecord(repository)) return;
    const path = `repositories[${index}]`;
    const before = byId(stored.repositories, repository.id);
    if (isRecord(repository.env)) {
      for (const [key, value] of Object.entries(repository.env)) {
        if (value !== MASK) continue;
        const old = isRecord(before?.env) ? before.env[key] : undefined;
        if (typeof old === 'string') repository.env[key] = old;
        else
          problems.push({
            path: `${path}.env.${key}`,
            message: `is a hidden value, but no saved repository ${JSON.stringify(repository.id)} has "${key}" to keep; type the value again`,
          });
      }
    }
    if (typeof repository.url === 'string' && repository.url.includes(MASK)) {
      const old = typeof before?.url === 'string' ? before.url : undefined;
      if (old !== undefined && maskUrlPassword(old) === repository.url) repository.url = old;
      else
        problems.push({
          path: `${path}.url`,
          message: `has a hidden password, but it no longer matches the saved repository ${JSON.stringify(repository.id)}; type the URL with its password again`,
        });
    }
  });

  (Array.isArray(config.plans) ? config.plans : []).forEach((plan, planIndex) => {
    if (!isRecord(plan) || !Array.isArray(plan.monitors)) return;
    const before = byId(stored.plans, plan.id);
    const storedMonitors = Array.isArray(before?.monitors) ? before.monitors : [];
    const storedIds = monitorIds(storedMonitors);
    plan.monitors.forEach((monitor, index) => {
      if (!isRecord(monitor)) return;
      const path = `plans[${planIndex}].monitors[${index}]`;
      const at = storedIds.indexOf(typeof monitor.id === 'string' ? monitor.id : undefined);
      const old = at === -1 || typeof monitor.id !== 'string' ? undefined : (storedMonitors[at] as Json);
      const unknown = (where: string, what: string) =>
        problems.push({
          path: `${path}.${where}`,
          message: old
            ? `is a hidden value, but the saved monitor ${JSON.stringify(monitor.id)} has no ${what}; type it again`
            : `is a hidden value, but no saved monitor of plan ${JSON.stringify(plan.id)} has the id ${JSON.stringify(monitor.id ?? null)}; type the ${what} again`,
        });
      for (const key of ['url', 'token'] as const) {
        if (monitor[key] !== MASK) continue;
        if (typeof old?.[key] === 'string') monitor[key] = old[key];
        else unknown(key, key === 'url' ? 'URL' : 'token');
      }
      if (isRecord(monitor.headers)) {
        for (const [key, value] of Object.entries(monitor.headers)) {
          if (value !== MASK) continue;
          const oldValue = isRecord(old?.headers) ? old.headers[key] : undefined;
          if (typeof oldValue === 'string') monitor.headers[key] = oldValue;
          else unknown(`headers.${key}`, `header "${key}"`);
        }
      }
    });
  });
  const metrics = isRecord(config.settings) && isRecord(config.settings.metrics) ? config.settings.metrics : undefined;
  if (typeof metrics?.pushgateway === 'string' && metrics.pushgateway.includes(MASK)) {
    const old = isRecord(stored.settings) && isRecord(stored.settings.metrics) ? stored.settings.metrics.pushgateway : undefined;
    if (typeof old === 'string' && maskUrlPassword(old) === metrics.pushgateway) metrics.pushgateway = old;
    else
      problems.push({
        path: 'settings.metrics.pushgateway',
        message: 'has a hidden password, but it no longer matches the saved pushgateway URL; type the URL with its password again',
      });
  }
  return problems.length ? { ok: false, problems } : { ok: true, config: copy };
}

/** Every secret a stored config holds, the ones `maskConfig` hides, ready to be redacted from a sentence. */
function storedSecrets(stored: Json): Redactor {
  const redactor = new Redactor();
  const values = (record: unknown) => {
    for (const value of isRecord(record) ? Object.values(record) : []) if (typeof value === 'string') redactor.add(value);
  };
  for (const repository of Array.isArray(stored.repositories) ? stored.repositories : []) {
    if (!isRecord(repository)) continue;
    values(repository.env);
    if (typeof repository.url === 'string') redactor.addUrl(repository.url);
  }
  for (const plan of Array.isArray(stored.plans) ? stored.plans : []) {
    for (const monitor of isRecord(plan) && Array.isArray(plan.monitors) ? plan.monitors : []) {
      if (!isRecord(monitor)) continue;
      if (typeof monitor.url === 'string') redactor.add(monitor.url);
      if (typeof monitor.token === 'string') redactor.add(monitor.token);
      values(monitor.headers);
    }
  }
  const metrics = isRecord(stored.settings) && isRecord(stored.settings.metrics) ? stored.settings.metrics : undefined;
  if (typeof metrics?.pushgateway === 'string') redactor.addUrl(metrics.pushgateway);
  return redactor;
}

/**
 * The problems of a config as the UI sent it, masks and all: it is checked as it would be saved
 * (each mask stands for the stored secret of the same id, so a kept secret is not "not a URL"),
 * and no stored secret is quoted back in a sentence. A mask that matches nothing stored is the
 * problem then, at its own path.
 */
export function problemsOfMasked(incoming: unknown, stored: Json, validate: (config: unknown) => Problem[]): Problem[] {
  if (!isRecord(incoming)) return validate(incoming);
  const unmasked = unmaskConfig(incoming, stored);
  if (!unmasked.ok) return unmasked.problems;
  const secrets = storedSecrets(stored);
  return validate(unmasked.config).map((problem) => ({ ...problem, message: secrets.redact(problem.message) }));
}
