import { isAbsolute } from 'node:path';
import { maskUrlPassword } from '../../core/config/secrets-mask.ts';
import type { Config, HookScript } from '../../core/config/types.ts';
import { type ImportResult, importConfig } from '../../core/import/import-config.ts';
import { describeSchedule } from '../../core/schedule/schedule-words.ts';
import { UserError } from '../../core/util/errors.ts';
import { expandHome } from '../../core/util/paths.ts';
import type { CallOutput } from '../contract.ts';
import type { HandlerContext, HandlersOf } from './context.ts';

type ImportReport = CallOutput<'config.importPreview'>;

/** "Import from…": another tool's config read on this side (size-capped), previewed, then merged in by new ids. */
export function importHandlers(context: HandlerContext): Pick<HandlersOf<'config'>, 'config.importPreview' | 'config.import'> {
  const { engine } = context;
  const run = (tool: ImportReport['tool'], file: string, dryRun: boolean, merge: boolean) =>
    importConfig({
      tool,
      file: checkedPath(file),
      configFile: engine.configFile,
      dataDir: engine.dataDir,
      dryRun,
      merge,
      save: (raw) => context.saveConfig(raw, { revision: engine.configRevision }),
    });
  return {
    'config.importPreview': async ({ tool, file }) => report(tool, await run(tool, file, true, false)),
    'config.import': async ({ tool, file, merge }) => {
      const preview = await run(tool, file, true, false);
      if (needsConfirmation(preview) && !merge)
        throw new UserError(
          'Your config already has plans, so nothing was imported. Confirm that the imported plans go beside yours (yours stay as they are).',
          {
            kind: 'refused',
          },
        );
      return report(tool, await run(tool, file, false, true));
    },
  };
}

/** The file as the person typed it: `~` expanded; a relative path would depend on where Lifeboat was started. */
function checkedPath(file: string): string {
  const path = expandHome(file.trim());
  if (!isAbsolute(path))
    throw new UserError(`${JSON.stringify(file)} is not a full path; give the file's whole path, e.g. ~/.config/resticprofile/profiles.toml.`);
  return path;
}

function needsConfirmation(result: ImportResult): boolean {
  return result.existing.exists && (result.existing.plans > 0 || result.existing.repositories > 0);
}

function report(tool: ImportReport['tool'], result: ImportResult): ImportReport {
  const { summary, config } = result;
  const imported = new Set(summary.plans);
  const plans = (config?.plans ?? []).filter((plan) => imported.has(plan.id));
  const repositories = new Set(summary.repositories);
  return {
    tool,
    file: summary.file,
    written: summary.written,
    needsConfirmation: needsConfirmation(result),
    existingPlans: result.existing.plans,
    plans: plans.map((plan) => ({
      id: plan.id,
      name: plan.name,
      repository: plan.repository,
      sources: plan.sources,
      schedule: scheduleWords(plan.schedule),
      hooks: plan.hooks.map((hook) => ({
        id: hook.id,
        on: hook.on,
        command: hook.script ? scriptWords(hook.script) : `condition ${hook.condition?.type ?? ''}`.trim(),
      })),
    })),
    repositories: (config?.repositories ?? [])
      .filter((repository) => repositories.has(repository.id))
      .map((repository) => ({ id: repository.id, url: maskUrlPassword(repository.url) })),
    reused: summary.reused,
    alreadyImported: summary.alreadyImported,
    passwordFiles: summary.passwordFiles,
    notMapped: summary.notMapped,
  };
}

function scheduleWords(schedule: Config['plans'][number]['schedule']): string {
  try {
    return describeSchedule(schedule);
  } catch {
    return JSON.stringify(schedule); // a shape the sentence maker does not know: shown as it is
  }
}

function scriptWords(script: HookScript): string {
  if ('inline' in script) return script.inline;
  if ('path' in script) return [script.path, ...script.args].join(' ');
  return script.command;
}
