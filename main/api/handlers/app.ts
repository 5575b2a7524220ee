import { errorMessage } from '../../core/util/errors.ts';
import { completeFolders, missingPaths } from '../../core/util/folder-completion.ts';
import { ApiError } from '../api-error.ts';
import type { DesktopActions, HandlerContext, HandlersOf } from './context.ts';

/** The app itself: its status, a test notification, the desktop's own actions, path help for the plan editor. */
export function appHandlers(context: HandlerContext): HandlersOf<'app' | 'notifications' | 'desktop' | 'paths'> {
  const { engine, scheduler } = context;
  const desktopOnly = (): DesktopActions => {
    if (!context.desktopActions) throw new ApiError(501, 'desktop-only', 'Only the desktop app can do this; in the browser, type the path instead.');
    return context.desktopActions;
  };
  return {
    'app.status': async () => {
      const pause = scheduler.pauseInfo;
      return {
        version: context.version,
        configFile: engine.configFile,
        dataDir: engine.dataDir,
        needsOnboarding: engine.config.plans.length === 0,
        paused: pause ? { since: pause.since, until: pause.until } : null,
        hooksEnabled: engine.config.settings.hooksEnabled,
        notifications: engine.config.settings.notifications,
        desktop: context.desktop,
      };
    },
    'notifications.test': async () => {
      try {
        await engine.notifications.test();
      } catch (error) {
        throw new ApiError(503, 'notifications-unavailable', `Notifications cannot be shown here: ${errorMessage(error)}`);
      }
      return { ok: true };
    },
    'desktop.pickFolder': async ({ title }) => ({ path: await desktopOnly().pickFolder(title) }),
    'desktop.pickFile': async ({ title }) => ({ path: await desktopOnly().pickFile(title) }),
    'desktop.startAtLogin': async ({ enabled }) => ({ enabled: desktopOnly().startAtLogin(enabled) }),
    'paths.complete': async ({ prefix }) => ({ entries: await completeFolders(prefix) }),
    'paths.check': async ({ paths }) => ({ missing: await missingPaths(paths) }),
  };
}
