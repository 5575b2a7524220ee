import { BrowserWindow, type Rectangle, type Session, screen, shell, type WebContents } from 'electron';
import { DEFAULT_WINDOW, type DesktopPreferences, VIEW_PATTERN, type WindowPlace } from './preferences.ts';

export const APP_ORIGIN = 'lifeboat://app';
export const APP_URL = `${APP_ORIGIN}/index.html`;

export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The only places a link in the window may open, in the person's browser. */
export const EXTERNAL_ALLOW_LIST = ['https://restic.net/', 'https://restic.readthedocs.io/', 'https://healthchecks.io/', 'https://ntfy.sh/'];

export const WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  spellcheck: false,
} as const;

export function isExternalAllowed(url: string): boolean {
  return EXTERNAL_ALLOW_LIST.some((prefix) => url.startsWith(prefix));
}

/** Everything a window's contents may do: nothing but show the app. */
export function lockDown(contents: WebContents): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalAllowed(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** No camera, microphone, notifications-by-web-API or anything else a page might ask for. */
export function denyPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/**
 * The window where it was left: its size, and its position when that is still on a display
 * (a monitor unplugged since would put it out of sight; the system places it then).
 */
export function restoredPlace(place: WindowPlace, displays: Array<{ workArea: Rectangle }>): WindowPlace {
  const { x, y } = place;
  if (x === undefined || y === undefined) return { ...place, x: undefined, y: undefined };
  // Enough of the title bar on some display to grab it.
  const visible = displays.some(
    ({ workArea }) =>
      x + place.width - 100 >= workArea.x && x + 100 <= workArea.x + workArea.width && y >= workArea.y && y + 40 <= workArea.y + workArea.height,
  );
  return visible ? place : { ...place, x: undefined, y: undefined };
}

/** Keeps the window's place and the view it shows in the preferences, for the next start. */
export function rememberWindow(window: BrowserWindow, preferences: DesktopPreferences): void {
  const save = () => {
    if (window.isDestroyed()) return;
    const bounds = window.isMaximized() ? window.getNormalBounds() : window.getBounds();
    preferences.rememberWindow({ ...bounds, maximized: window.isMaximized() });
  };
  // 'resized'/'moved' come once a drag ends (not on every pixel); 'close' catches the rest.
  for (const event of ['resized', 'moved', 'maximize', 'unmaximize', 'close'] as const) window.on(event as 'close', save);
  window.webContents.on('did-navigate-in-page', (_event, url) => {
    const route = url.startsWith(`${APP_URL}#`) ? url.slice(APP_URL.length + 1).split('?')[0]! : undefined;
    if (route !== undefined) preferences.rememberView(route);
  });
}

export function createMainWindow(preload: string, options: { place?: WindowPlace | undefined; route?: string | undefined } = {}): BrowserWindow {
  const place = restoredPlace(options.place ?? DEFAULT_WINDOW, screen.getAllDisplays());
  const window = new BrowserWindow({
    width: place.width,
    height: place.height,
    ...(place.x !== undefined && place.y !== undefined ? { x: place.x, y: place.y } : {}),
    minWidth: 720,
    minHeight: 520,
    show: false,
    title: 'Lifeboat',
    webPreferences: { ...WEB_PREFERENCES, preload },
  });
  lockDown(window.webContents);
  denyPermissions(window.webContents.session);
  if (place.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());
  const route = options.route !== undefined && options.route !== '/' && VIEW_PATTERN.test(options.route) ? options.route : undefined;
  void window.loadURL(route ? `${APP_URL}#${route}` : APP_URL);
  return window;
}
