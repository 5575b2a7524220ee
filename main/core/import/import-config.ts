import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { maskConfig } from '../config/secrets-mask.ts';
import { loadConfig, saveConfig } from '../config/store.ts';
import type { Config } from '../config/types.ts';
import { validateConfig } from '../config/validate.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';
import { UserError } from '../util/errors.ts';
import { importAutorestic } from './autorestic.ts';
import { importBackrest } from './backrest.ts';
import { type ImportDraft, isObject, type JsonObject } from './draft.ts';
import { readForeignFile } from './foreign-file.ts';
import type { ImportSummary } from './import-report.ts';
import { dropInvalid, mergeImport } from './merge.ts';
import { importResticprofile } from './resticprofile.ts';

export const IMPORT_TOOLS: Record<string, (raw: unknown, file: string) => ImportDraft> = {
  resticprofile: importResticprofile,
  autorestic: importAutorestic,
  backrest: importBackrest,
};

export interface ImportOptions {
  tool: string;
  file: string;
  configFile: string;
  dataDir: string;
  dryRun: boolean;
  /** Consent to add to a config that exists: without it, an existing config is never changed. */
  merge: boolean;
  /** How the merged config is saved (the API saves through the engine, over the revision it knows); default: straight to `configFile`. */
  save?: ((raw: JsonObject) => Promise<void>) | undefined;
}

export interface ImportResult {
  summary: ImportSummary;
  /** The merged config as Lifeboat reads it (defaults filled in, `~` expanded); undefined only if it does not validate. */
  config: Config | undefined;
  /** What the config had before: an import beside it needs the person's consent (`merge`). */
  existing: { exists: boolean; plans: number; repositories: number };
  /** The whole config as written (or as it would be), secrets masked as the API masks them (`maskConfig`): fit to print. */
  shownConfig: JsonObject;
}

/**
 * Reads another tool's config and adds its repositories and plans to Lifeboat's config. Every
 * imported hook is off; passwords given inline go to private files in the data dir, never into
 * the config or the output.
 */
export async function importConfig(options: ImportOptions): Promise<ImportResult> {
  const convert = IMPORT_TOOLS[options.tool];
  if (!convert) throw new UserError(`"${options.tool}" is not a tool Lifeboat imports from; use ${Object.keys(IMPORT_TOOLS).join(', ')}.`, { kind: 'usage' });
  const file = resolve(options.file);
  const draft = convert(await readForeignFile(file), file);
  const loaded = await loadConfig(options.configFile);
  if (loaded.exists && !options.merge && !options.dryRun) {
    throw new UserError(
      `The config ${options.configFile} already exists, so nothing was changed. Run again with --merge to add the imported plans beside yours (yours stay exactly as they are), or with --dry-run to see them first.`,
      { kind: 'refused' },
    );
  }
  const merged = mergeImport(loaded.raw, draft);
  const origins = new Map<JsonObject, string>();
  draft.plans.forEach((plan, index) => {
    origins.set(merged.plans[index]!, plan.origin);
  });
  for (const repository of merged.repositories) {
    const from = draft.repositories.find((entry) => entry.password === repository.password && entry.config.url === repository.config.url);
    if (from) origins.set(repository.config, from.origin);
  }
  const passwordFiles = assignPasswordFiles(merged.repositories, options.dataDir);
  dropInvalid(merged, origins, draft.notes);
  const alreadyImported = dropAlreadyImported(merged, origins);
  dropUnusedRepositories(merged);
  const kept = new Set(merged.repositories.map((repository) => repository.config));
  const secrets = [...passwordFiles].filter(([config]) => kept.has(config));
  let written = false;
  if (!options.dryRun && merged.plans.length > 0) {
    try {
      for (const [config, { file: secretFile, password }] of secrets) {
        await mkdir(join(options.dataDir, 'secrets'), { recursive: true, mode: 0o700 });
        await writeFileAtomic(secretFile, password, 0o600);
        config.passwordFile = secretFile;
      }
      await (options.save ?? ((raw: JsonObject) => saveConfig(options.configFile, raw)))(merged.raw);
      written = true;
    } catch (error) {
      await Promise.all(secrets.map(([, { file: secretFile }]) => rm(secretFile, { force: true })));
      throw error;
    }
  }
  const summary: ImportSummary = {
    tool: options.tool,
    file,
    configFile: options.configFile,
    dryRun: options.dryRun,
    written,
    repositories: merged.repositories.map((repository) => String(repository.config.id)),
    plans: merged.plans.map((plan) => String(plan.id)),
    hooksDisabled: merged.plans.reduce((count, plan) => count + (Array.isArray(plan.hooks) ? plan.hooks.length : 0), 0),
    reused: merged.reused.filter(({ repository }) =>
      draft.plans.some((plan) => plan.config.repository === repository && merged.plans.some((kept) => origins.get(kept) === plan.origin)),
    ),
    alreadyImported,
    passwordFiles: secrets.map(([, { file: secretFile }]) => secretFile),
    notMapped: draft.notes.list(),
  };
  const count = (list: unknown) => (Array.isArray(list) ? list.length : 0);
  const existing = { exists: loaded.exists, plans: count(loaded.raw.plans), repositories: count(loaded.raw.repositories) };
  const validation = validateConfig(merged.raw);
  return { summary, existing, config: validation.ok ? validation.config : undefined, shownConfig: maskConfig(merged.raw) };
}

/** Each inline password gets its own private file in the data dir, named after the repository. */
function assignPasswordFiles(
  repositories: Array<{ config: JsonObject; password?: string | undefined }>,
  dataDir: string,
): Map<JsonObject, { file: string; password: string }> {
  const files = new Map<JsonObject, { file: string; password: string }>();
  const taken = new Set<string>();
  for (const repository of repositories) {
    if (repository.password === undefined) continue;
    let file = join(dataDir, 'secrets', `${repository.config.id}.password`);
    for (let n = 2; existsSync(file) || taken.has(file); n += 1) file = join(dataDir, 'secrets', `${repository.config.id}-${n}.password`);
    taken.add(file);
    repository.config.passwordFile = file;
    files.set(repository.config, { file, password: repository.password });
  }
  return files;
}

/**
 * An imported plan the config already has, with the same content under any id (the file was
 * imported before), is not added again: a second import adds only what is new. Whether its
 * hooks were switched on since does not count: that is the person's own choice.
 */
function dropAlreadyImported(merged: ReturnType<typeof mergeImport>, origins: Map<JsonObject, string>): ImportSummary['alreadyImported'] {
  const imported = new Set(merged.plans);
  const existing = (merged.raw.plans as JsonObject[]).filter((plan) => !imported.has(plan));
  const known = new Map(existing.map((plan) => [planContent(plan), String(plan.id)]));
  const found: ImportSummary['alreadyImported'] = [];
  const drop = new Set<JsonObject>();
  for (const plan of merged.plans) {
    const same = known.get(planContent(plan));
    if (same === undefined) continue;
    drop.add(plan);
    found.push({ plan: same, origin: origins.get(plan) ?? String(plan.id) });
  }
  if (drop.size === 0) return found;
  merged.plans = merged.plans.filter((plan) => !drop.has(plan));
  merged.raw.plans = (merged.raw.plans as JsonObject[]).filter((plan) => !drop.has(plan));
  return found;
}

/** A plan's content without its id and its hooks' on/off switches, with keys in one order. */
function planContent(plan: JsonObject): string {
  const { id: _id, ...rest } = plan;
  const hooks = Array.isArray(rest.hooks) ? rest.hooks.map((hook) => (isObject(hook) ? { ...hook, enabled: undefined } : hook)) : rest.hooks;
  return canonical({ ...rest, hooks });
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isObject(value))
    return `{${Object.keys(value)
      .filter((key) => value[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

function dropUnusedRepositories(merged: ReturnType<typeof mergeImport>): void {
  const used = new Set(merged.plans.map((plan) => plan.repository));
  const unused = new Set(merged.repositories.filter((repository) => !used.has(repository.config.id)).map((repository) => repository.config));
  if (unused.size === 0) return;
  merged.repositories = merged.repositories.filter((repository) => !unused.has(repository.config));
  merged.raw.repositories = (merged.raw.repositories as JsonObject[]).filter((repository) => !unused.has(repository));
}
