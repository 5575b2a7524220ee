// The desktop app: the engine, the scheduler and the API, shown through a tray icon and a window.
import { join } from 'node:path';
import { app, type BrowserWindow, dialog, Notification, powerMonitor, powerSaveBlocker, safeStorage } from 'electron';
import { connectNotificationActions, runRoute } from '../api/notification-actions.ts';
import { createApi } from '../api/router.ts';
import { Engine } from '../core/engine.ts';
import { keepTextfileCurrent, textfileFolder } from '../core/metrics/textfile-refresh.ts';
import { headlessPlatform } from '../core/platform/headless.ts';
import { autostartEnabled, autostartFile, setAutostart } from '../core/platform/xdg-autostart.ts';
import { acquireSchedulerLock } from '../core/schedule/scheduler-lock.ts';
import { resolveLocations } from '../core/util/paths.ts';
import { projectRoot, projectVersion } from '../core/util/project-root.ts';
import { registerIpc } from './ipc.ts';
import { ElectronNotifier } from './notifications.ts';
import { connectPower, electronIdle, electronKeepAwake, electronPower } from './power.ts';
import { DesktopPreferences } from './preferences.ts';
import { registerAppScheme, serveRenderer } from './protocol.ts';
import { KeychainVault } from './secrets.ts';
import { TrayController } from './tray.ts';
import { APP_ORIGIN, createMainWindow, rememberWindow } from './window.ts';

export interface DesktopApp {
  engine: Engine;
  tray: TrayController;
  openWindow(route?: string): BrowserWindow;
  quit(): Promise<void>;
}

/** How this app is started again: the AppImage, the packaged binary, or Electron with the app folder. */
function launchCommand(): string[] {
  if (process.env.APPIMAGE) return [process.env.APPIMAGE];
  return app.isPackaged ? [process.execPath] : [process.execPath, app.getAppPath()];
}

function setLoginItem(enabled: boolean): boolean {
  app.setLoginItemSettings({ openAtLogin: enabled });
  return app.getLoginItemSettings().openAtLogin;
}

/** Starts the app; resolves when it runs. A second launch only focuses the first one's window. */
export async function startDesktop(options: { root?: string } = {}): Promise<DesktopApp | undefined> {
  const root = options.root ?? projectRoot();
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return undefined;
  }
  registerAppScheme();
  await app.whenReady();
  serveRenderer(join(root, 'dist', 'renderer'));

  const { configFile, dataDir } = resolveLocations({}, { ...process.env, LIFEBOAT_DATA_DIR: process.env.LIFEBOAT_DATA_DIR ?? app.getPath('userData') });
  const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  // Start at login: on Linux an XDG autostart entry (Electron's login items do nothing there).
  const systemStartAtLogin = () => (process.platform === 'linux' ? autostartEnabled(autostartFile()) : app.getLoginItemSettings().openAtLogin);
  const preferences = new DesktopPreferences({ folder: dataDir, version: app.getVersion(), systemStartAtLogin, log });
  let window: BrowserWindow | undefined;
  const openWindow = (route = '/') => {
    if (!window || window.isDestroyed()) {
      // A new window opens where it was left, at the view last used unless it is asked for another.
      window = createMainWindow(join(root, 'dist', 'preload', 'preload.cjs'), {
        place: preferences.window(),
        route: route === '/' ? preferences.lastView() : route,
      });
      rememberWindow(window, preferences);
      window.on('closed', () => {
        window = undefined;
        if (preferences.closeNoticeShown() || !Notification.isSupported()) return;
        new Notification({ title: 'Lifeboat keeps running', body: 'Backups go on from the tray icon; quit from its menu.' }).show();
        preferences.rememberCloseNotice();
      });
    } else if (route !== '/') void window.loadURL(`${APP_ORIGIN}/index.html#${route}`);
    window.show();
    window.focus();
    return window;
  };
  app.on('second-instance', () => openWindow());

  const platform = {
    ...headlessPlatform(),
    power: electronPower(powerMonitor),
    idle: electronIdle(powerMonitor),
    notifier: new ElectronNotifier((runId) => openWindow(runRoute(runId))),
    awake: electronKeepAwake(powerSaveBlocker),
  };
  const vault = new KeychainVault(safeStorage, dataDir);
  if (!vault.available()) log('no OS keychain here: passwords typed into Lifeboat are kept in private (0600) files in the data dir');
  const engine = await Engine.open({ configFile, dataDir, platform, log, keychain: vault.available() ? vault : undefined });
  const lock = await acquireSchedulerLock(engine.dataDir, 'Lifeboat app');
  const scheduler = engine.createScheduler({ log });
  const stopTextfile = await keepTextfileCurrent(engine, textfileFolder(engine, undefined), log);
  const api = createApi({
    engine,
    scheduler,
    version: projectVersion(),
    desktop: true,
    desktopActions: {
      pickFolder: async (title) => {
        const result = await dialog.showOpenDialog({ title: title ?? 'Choose a folder to back up', properties: ['openDirectory', 'showHiddenFiles'] });
        return result.canceled ? null : (result.filePaths[0] ?? null);
      },
      pickFile: async (title) => {
        const result = await dialog.showOpenDialog({ title: title ?? 'Choose a file', properties: ['openFile', 'showHiddenFiles'] });
        return result.canceled ? null : (result.filePaths[0] ?? null);
      },
      startAtLogin: (enabled) => {
        if (enabled === undefined) return systemStartAtLogin();
        const now = process.platform === 'linux' ? setAutostart(autostartFile(), launchCommand(), enabled) : setLoginItem(enabled);
        preferences.rememberStartAtLogin(now);
        return now;
      },
    },
  });
  connectNotificationActions(api, platform.notifier, { openRun: (runId) => void openWindow(runRoute(runId)), log });
  registerIpc({
    api,
    isTrustedSender: (frame) => frame !== null && window !== undefined && frame === window.webContents.mainFrame && frame.url.startsWith(`${APP_ORIGIN}/`),
    send: (channel, payload) => window?.webContents.send(channel, payload),
    log,
  });
  const disconnectPower = connectPower(powerMonitor, scheduler, log);

  const quit = async () => {
    const running = await api.call('plans.list', {});
    const busy = running.filter((plan) => plan.running);
    if (busy.length > 0) {
      const answer = await dialog.showMessageBox({
        type: 'question',
        buttons: ['Cancel the backup and quit', 'Keep running'],
        defaultId: 1,
        cancelId: 1,
        message: `${busy.map((plan) => plan.name).join(', ')} is being backed up.`,
        detail: 'Quitting now cancels it cleanly: restic removes its lock, and clean-up hooks still run.',
      });
      if (answer.response !== 0) return;
    }
    disconnectPower();
    await scheduler.stop();
    await stopTextfile();
    await engine.flushMonitors();
    await lock.release();
    tray.destroy();
    app.exit(0);
  };

  const tray = new TrayController(join(root, 'assets', 'icons'), {
    backUpNow: (plan) => void api.call('plans.run', { plan }),
    pause: (choice) => void api.call('schedule.pause', { choice }),
    resume: () => void api.call('schedule.resume', {}),
    openWindow: () => openWindow(),
    showLastLog: () => void engine.history.list({ limit: 1 }).then(([run]) => openWindow(run ? `/history/${run.id}` : '/history')),
    quit: () => void quit(),
  });
  const refreshTray = async () => {
    const plans = await api.call('plans.list', {});
    const pause = scheduler.pauseInfo;
    tray.update(plans, pause ? { until: pause.until } : null);
  };
  api.subscribe((event) => {
    if (event.name !== 'run.output' && event.name !== 'run.step') void refreshTray();
  });
  await scheduler.start();
  await refreshTray();

  // Closing the window keeps the app in the tray; Quit is in the tray menu.
  app.on('window-all-closed', () => undefined);
  app.on('before-quit', (event) => {
    event.preventDefault();
    void quit();
  });
  if (engine.config.plans.length === 0) openWindow('/onboarding');
  return { engine, tray, openWindow, quit };
}

if (process.versions.electron && !process.env.LIFEBOAT_NO_AUTOSTART) {
  void startDesktop().catch((error: unknown) => {
    dialog.showErrorBox('Lifeboat cannot start', error instanceof Error ? error.message : String(error));
    app.exit(1);
  });
}
