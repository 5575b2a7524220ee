import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { type HookInput, schemas } from '../config/schema.ts';
import { formatPath } from '../config/validate.ts';
import { UserError } from '../util/errors.ts';
import { projectRoot } from '../util/project-root.ts';

export const TEMPLATES_DIR = join(projectRoot(), 'assets', 'hook-templates');

const templateHook = z.looseObject({ script: z.looseObject({ file: z.string().optional() }).optional() });

const templateSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  title: z.string().min(1),
  description: z.string().min(1),
  requires: z.array(z.string()).optional(),
  platforms: z.array(z.enum(['linux', 'darwin', 'win32'])).optional(),
  hooks: z.array(templateHook).min(1),
});

/** A gallery entry: hooks ready to insert into a plan and edit, scripts inlined. */
export interface HookTemplate {
  id: string;
  title: string;
  description: string;
  /** Commands the scripts call; the template is useful only where they exist. */
  requires: string[];
  platforms: string[] | undefined;
  hooks: HookInput[];
}

/** Loads every template folder: `template.json` plus the script files its hooks name. */
export async function loadHookTemplates(folder = TEMPLATES_DIR): Promise<HookTemplate[]> {
  const templates: HookTemplate[] = [];
  for (const entry of (await readdir(folder, { withFileTypes: true })).filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    templates.push(await loadTemplate(join(folder, entry.name), entry.name));
  }
  return templates;
}

async function loadTemplate(folder: string, name: string): Promise<HookTemplate> {
  const file = join(folder, 'template.json');
  const parsed = templateSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
  if (!parsed.success) throw new UserError(`${file}: ${parsed.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; ')}`, { kind: 'invalid' });
  const template = parsed.data;
  if (template.id !== name) throw new UserError(`${file}: the id "${template.id}" must match its folder "${name}"`, { kind: 'invalid' });
  const hooks: HookInput[] = [];
  for (const [index, raw] of template.hooks.entries()) {
    const { script, ...rest } = raw;
    const inlined = script?.file !== undefined ? { ...rest, script: { inline: await readFile(join(folder, script.file), 'utf8') } } : raw;
    const hook = schemas().hookSchema.safeParse(inlined);
    if (!hook.success)
      throw new UserError(`${file}: hooks[${index}]: ${hook.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; ')}`, { kind: 'invalid' });
    hooks.push(inlined as HookInput); // as written: durations stay the person's text in the editor
  }
  return { id: template.id, title: template.title, description: template.description, requires: template.requires ?? [], platforms: template.platforms, hooks };
}
