import { type RawSettings, updateSettings } from '../../core/config/edit.ts';
import { MASK, maskUrlPassword } from '../../core/config/secrets-mask.ts';
import { UserError } from '../../core/util/errors.ts';
import { expandHome } from '../../core/util/paths.ts';
import { ApiError } from '../api-error.ts';
import type { HandlerContext, HandlersOf } from './context.ts';

/** Settings: hooks on or off, notifications, and which restic program (checked before it is saved). */
export function settingsHandlers(context: HandlerContext): HandlersOf<'settings'> {
  const { engine } = context;
  return {
    'settings.update': async ({ hooksEnabled, notifications, resticPath }) => {
      const change: Partial<RawSettings> = {};
      if (hooksEnabled !== undefined) change.hooksEnabled = hooksEnabled;
      if (notifications !== undefined) change.notifications = notifications;
      if (resticPath !== undefined) change.resticPath = await checkedResticPath(context, resticPath);
      await context.saveConfig(updateSettings(context.rawConfig(), change));
      return { ok: true };
    },
    'settings.metrics': async () => {
      const metrics = context.rawConfig().settings?.metrics ?? {};
      return {
        textfile: metrics.textfile ?? null,
        pushgateway: metrics.pushgateway === undefined ? null : maskUrlPassword(metrics.pushgateway),
        loopbackWithoutToken: metrics.loopbackWithoutToken ?? false,
      };
    },
    'settings.updateMetrics': async (change) => {
      const raw = context.rawConfig();
      const metrics = { ...(raw.settings?.metrics ?? {}) };
      for (const key of ['textfile', 'pushgateway'] as const) {
        const value = change[key];
        if (value === undefined) continue;
        if (value === null || value.trim() === '') delete metrics[key];
        else metrics[key] = value.trim();
      }
      if (metrics.pushgateway?.includes(MASK)) {
        const saved = raw.settings?.metrics?.pushgateway;
        if (saved === undefined || maskUrlPassword(saved) !== metrics.pushgateway) {
          const message = 'has a hidden password, but it no longer matches the saved pushgateway URL; type the URL with its password again';
          throw new ApiError(422, 'unknown-mask', `The pushgateway URL ${message}. Nothing was saved.`, [{ path: 'pushgateway', message }]);
        }
        metrics.pushgateway = saved;
      }
      if (change.loopbackWithoutToken !== undefined) metrics.loopbackWithoutToken = change.loopbackWithoutToken;
      await context.saveConfig(updateSettings(raw, { metrics }));
      return { ok: true };
    },
    'settings.restic': async () => {
      const resticPath = engine.config.settings.resticPath;
      try {
        const binary = await engine.checkResticProgram(resticPath);
        return { resticPath, found: binary.path, version: binary.version, problem: null };
      } catch (error) {
        if (error instanceof UserError) return { resticPath, found: null, version: null, problem: error.message };
        throw error;
      }
    },
  };
}

/** A restic path as it will be saved: `~` expanded, empty meaning "the one on PATH" (null), and checked to run. */
async function checkedResticPath({ engine }: HandlerContext, given: string | null): Promise<string | null> {
  if (given === null) return null;
  const path = expandHome(given.trim());
  if (!path) return null;
  try {
    await engine.checkResticProgram(path);
  } catch (error) {
    if (error instanceof UserError)
      throw new ApiError(422, 'invalid-input', `${error.message} Nothing was saved.`, [{ path: 'resticPath', message: error.message }]);
    throw error;
  }
  return path;
}
