/**
 * A stand-in for the `electron` module, for tests on plain Node: the same names and shapes the
 * shell uses, recording what was asked of them. Electron's own binary cannot run here.
 */
import { EventEmitter } from 'node:events';

// biome-ignore lint/suspicious/noExplicitAny: mirrors Electron's loose listener types
type Listener = (...args: any[]) => unknown;

export const recorded = {
  windows: [] as FakeBrowserWindow[],
  trays: [] as FakeTray[],
  notifications: [] as FakeNotification[],
  exposed: [] as Array<{ key: string; api: Record<string, unknown> }>,
  dialogs: [] as unknown[],
  openedExternally: [] as string[],
  protocolHandlers: new Map<string, (request: Request) => Promise<Response>>(),
  privilegedSchemes: [] as unknown[],
  exitCode: undefined as number | undefined,
  messageBoxResponse: 0,
};

class FakeApp extends EventEmitter {
  userData = '/tmp/lifeboat-fake-userdata';
  requestSingleInstanceLock() {
    return true;
  }
  whenReady() {
    return Promise.resolve();
  }
  version = '0.1.0';
  getVersion() {
    return this.version;
  }
  getPath(name: string) {
    return name === 'userData' ? this.userData : `/tmp/fake-${name}`;
  }
  quit() {
    this.emit('quit');
  }
  exit(code = 0) {
    recorded.exitCode = code;
  }
  isPackaged = false;
  appPath = '/opt/Lifeboat app/resources/app';
  getAppPath() {
    return this.appPath;
  }
  loginItem = { openAtLogin: false };
  setLoginItemSettings(settings: { openAtLogin: boolean }) {
    this.loginItem = { openAtLogin: settings.openAtLogin };
  }
  getLoginItemSettings() {
    return this.loginItem;
  }
}
export const app = new FakeApp();

export class FakeWebFrame {
  url: string;
  constructor(url: string) {
    this.url = url;
  }
}

class FakeWebContents extends EventEmitter {
  windowOpenHandler: Listener | undefined;
  sent: Array<{ channel: string; payload: unknown }> = [];
  mainFrame = new FakeWebFrame('lifeboat://app/index.html');
  session = {
    permissionRequestHandler: undefined as Listener | undefined,
    permissionCheckHandler: undefined as Listener | undefined,
    setPermissionRequestHandler(handler: Listener) {
      this.permissionRequestHandler = handler;
    },
    setPermissionCheckHandler(handler: Listener) {
      this.permissionCheckHandler = handler;
    },
  };
  setWindowOpenHandler(handler: Listener) {
    this.windowOpenHandler = handler;
  }
  send(channel: string, payload: unknown) {
    this.sent.push({ channel, payload });
  }
}

export class FakeBrowserWindow extends EventEmitter {
  // biome-ignore lint/suspicious/noExplicitAny: constructor options as given
  options: Record<string, any>;
  webContents = new FakeWebContents();
  urls: string[] = [];
  visible = false;
  destroyed = false;
  constructor(options: Record<string, unknown>) {
    super();
    this.options = options;
    const given = (key: string, fallback: number) => (typeof options[key] === 'number' ? (options[key] as number) : fallback);
    this.bounds = { x: given('x', 0), y: given('y', 0), width: given('width', 800), height: given('height', 600) };
    recorded.windows.push(this);
  }
  loadURL(url: string) {
    this.urls.push(url);
    this.webContents.mainFrame.url = url;
    return Promise.resolve();
  }
  show() {
    this.visible = true;
  }
  focus() {
    // nothing to focus without a screen
  }
  isDestroyed() {
    return this.destroyed;
  }
  bounds = { x: 0, y: 0, width: 800, height: 600 };
  maximized = false;
  /** What a person does with the mouse: the window moves or changes size. */
  setBounds(bounds: Partial<{ x: number; y: number; width: number; height: number }>) {
    this.bounds = { ...this.bounds, ...bounds };
  }
  getBounds() {
    return { ...this.bounds };
  }
  getNormalBounds() {
    return { ...this.bounds };
  }
  isMaximized() {
    return this.maximized;
  }
  maximize() {
    this.maximized = true;
    this.emit('maximize');
  }
  /** Closing it: 'close', then 'closed' (the window is gone). */
  close() {
    this.emit('close', { preventDefault: () => undefined });
    this.destroyed = true;
    this.emit('closed');
  }
}
export const BrowserWindow = FakeBrowserWindow;

/** One 1920×1080 display unless a test says otherwise. */
export const screen = {
  displays: [{ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1080 }, bounds: { x: 0, y: 0, width: 1920, height: 1080 } }],
  getAllDisplays() {
    return this.displays;
  },
};

export class FakeTray extends EventEmitter {
  images: string[] = [];
  tooltips: string[] = [];
  menu: FakeMenu | undefined;
  constructor(image: { path: string }) {
    super();
    this.images.push(image.path);
    recorded.trays.push(this);
  }
  setImage(image: { path: string }) {
    this.images.push(image.path);
  }
  setToolTip(text: string) {
    this.tooltips.push(text);
  }
  setContextMenu(menu: FakeMenu) {
    this.menu = menu;
  }
  destroy() {
    // no tray to take down
  }
}
export const Tray = FakeTray;

export class FakeMenu {
  // biome-ignore lint/suspicious/noExplicitAny: menu templates as given
  items: any[];
  constructor(items: unknown[]) {
    this.items = items;
  }
  /** Finds an item by id anywhere in the menu. */
  // biome-ignore lint/suspicious/noExplicitAny: menu items as given
  find(id: string): any {
    // biome-ignore lint/suspicious/noExplicitAny: menu items as given
    const walk = (items: any[]): any => {
      for (const item of items) {
        if (item.id === id) return item;
        if (Array.isArray(item.submenu)) {
          const found = walk(item.submenu);
          if (found) return found;
        }
      }
      return undefined;
    };
    return walk(this.items);
  }
}
export const Menu = { buildFromTemplate: (items: unknown[]) => new FakeMenu(items) };
export const nativeImage = { createFromPath: (path: string) => ({ path }) };
export const nativeTheme = { shouldUseDarkColors: false };

class FakeIpcMain {
  handlers = new Map<string, Listener>();
  handle(channel: string, handler: Listener) {
    if (this.handlers.has(channel)) throw new Error(`a handler for ${channel} exists already`);
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  }
  /** Raw listeners (electron-store registers one for its renderer side); recorded, never called here. */
  listeners = new Map<string, Listener>();
  on(channel: string, listener: Listener) {
    this.listeners.set(channel, listener);
    return this;
  }
}
export const ipcMain = new FakeIpcMain();

export class FakeNotification extends EventEmitter {
  options: Record<string, unknown>;
  shown = false;
  static isSupported() {
    return true;
  }
  constructor(options: Record<string, unknown>) {
    super();
    this.options = options;
    recorded.notifications.push(this);
  }
  show() {
    this.shown = true;
  }
}
export const Notification = FakeNotification;

class FakePowerMonitor extends EventEmitter {
  idleSeconds = 0;
  onBattery = false;
  getSystemIdleTime() {
    return this.idleSeconds;
  }
  isOnBatteryPower() {
    return this.onBattery;
  }
}
export const powerMonitor = new FakePowerMonitor();

/** Blockers started and not stopped, by id; `history` says what was asked, in order. */
class FakePowerSaveBlocker {
  private nextId = 1;
  readonly active = new Map<number, string>();
  readonly history: Array<{ call: 'start' | 'stop'; id: number; type?: string }> = [];
  start(type: string) {
    const id = this.nextId++;
    this.active.set(id, type);
    this.history.push({ call: 'start', id, type });
    return id;
  }
  stop(id: number) {
    this.history.push({ call: 'stop', id });
    return this.active.delete(id);
  }
  isStarted(id: number) {
    return this.active.has(id);
  }
}
export const powerSaveBlocker = new FakePowerSaveBlocker();

export const safeStorage = {
  available: true,
  backend: 'gnome_libsecret',
  isEncryptionAvailable() {
    return this.available;
  },
  getSelectedStorageBackend() {
    return this.backend;
  },
  encryptString(text: string) {
    return Buffer.from(`enc:${Buffer.from(text).toString('base64')}`);
  },
  decryptString(data: Buffer) {
    const text = data.toString();
    if (!text.startsWith('enc:')) throw new Error('not encrypted by this keychain');
    return Buffer.from(text.slice(4), 'base64').toString();
  },
};

export const shell = {
  openExternal(url: string) {
    recorded.openedExternally.push(url);
    return Promise.resolve();
  },
};

export const dialog = {
  folderToPick: null as string | null,
  showOpenDialog(options: unknown) {
    recorded.dialogs.push(options);
    return Promise.resolve(this.folderToPick ? { canceled: false, filePaths: [this.folderToPick] } : { canceled: true, filePaths: [] });
  },
  showMessageBox(options: unknown) {
    recorded.dialogs.push(options);
    return Promise.resolve({ response: recorded.messageBoxResponse });
  },
  showErrorBox(title: string, content: string) {
    recorded.dialogs.push({ title, content });
  },
};

export const protocol = {
  registerSchemesAsPrivileged(schemes: unknown[]) {
    recorded.privilegedSchemes.push(...schemes);
  },
  handle(scheme: string, handler: (request: Request) => Promise<Response>) {
    recorded.protocolHandlers.set(scheme, handler);
  },
};

export const contextBridge = {
  exposeInMainWorld(key: string, api: Record<string, unknown>) {
    recorded.exposed.push({ key, api });
  },
};

class FakeIpcRenderer extends EventEmitter {
  invoked: Array<{ channel: string; input: unknown }> = [];
  invoke(channel: string, input: unknown) {
    this.invoked.push({ channel, input });
    return Promise.resolve({ ok: true, value: { channel } });
  }
}
export const ipcRenderer = new FakeIpcRenderer();

export default {
  app,
  BrowserWindow,
  Tray,
  Menu,
  nativeImage,
  nativeTheme,
  ipcMain,
  screen,
  Notification,
  powerMonitor,
  powerSaveBlocker,
  safeStorage,
  shell,
  dialog,
  protocol,
  contextBridge,
  ipcRenderer,
};
