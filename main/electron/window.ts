import { BrowserWindow, type Session, shell, type WebContents } from 'electron';

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

export function createMainWindow(preload: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1100,
    height: 760,
    minWidth: 720,
    minHeight: 520,
    show: false,
    title: 'Lifeboat',
    webPreferences: { ...WEB_PREFERENCES, preload },
  });
  lockDown(window.webContents);
  denyPermissions(window.webContents.session);
  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_URL);
  return window;
}
