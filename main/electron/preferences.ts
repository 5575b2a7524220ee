// The desktop shell's own preferences (window, last view, tray, start at login), kept by
// electron-store in `preferences.json` beside, and apart from, the backup config.
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type Conf from 'conf';
import Store, { type Schema } from 'electron-store';

export const PREFERENCES_NAME = 'preferences';

export interface WindowPlace {
  width: number;
  height: number;
  x?: number | undefined;
  y?: number | undefined;
  maximized: boolean;
}

export interface Preferences {
  window: WindowPlace;
  /** The renderer's route when the window was last used, e.g. `/history`. */
  lastView: string;
  tray: { closeNoticeShown: boolean };
  /** The person's last answer to "Start Lifeboat when I log in"; null before they gave one. */
  startAtLogin: boolean | null;
}

export const DEFAULT_WINDOW: WindowPlace = { width: 1100, height: 760, maximized: false };

/** A route the window may open at: the app's own paths only, never a URL. */
export const VIEW_PATTERN = /^\/[A-Za-z0-9/_-]{0,200}$/;

const SCHEMA: Schema<Preferences> = {
  window: {
    type: 'object',
    properties: {
      width: { type: 'integer', minimum: 200, maximum: 20_000 },
      height: { type: 'integer', minimum: 200, maximum: 20_000 },
      x: { type: 'integer', minimum: -50_000, maximum: 50_000 },
      y: { type: 'integer', minimum: -50_000, maximum: 50_000 },
      maximized: { type: 'boolean' },
    },
    required: ['width', 'height', 'maximized'],
    additionalProperties: false,
    default: DEFAULT_WINDOW,
  },
  lastView: { type: 'string', pattern: VIEW_PATTERN.source, default: '/' },
  tray: {
    type: 'object',
    properties: { closeNoticeShown: { type: 'boolean' } },
    required: ['closeNoticeShown'],
    additionalProperties: false,
    default: { closeNoticeShown: false },
  },
  startAtLogin: { type: ['boolean', 'null'], default: null },
};

export interface PreferencesOptions {
  /** The folder it lives in: the app's data folder (never the config file's name). */
  folder: string;
  /** The app's version: migrations up to it run once. */
  version: string;
  /** Start at login as the system has it now (the autostart entry), taken as the answer until the person gives one. */
  systemStartAtLogin: () => boolean;
  log?: ((line: string) => void) | undefined;
}

/**
 * Each step moves a store written by an older Lifeboat (or by hand: a file with no version
 * recorded) to the shape of the version it names; a new store starts at the current version.
 * 0.1.0: keys this version does not know are dropped, so a stray key never stops the schema.
 */
export const PREFERENCE_MIGRATIONS: Record<string, (store: Conf<Preferences>) => void> = {
  '0.1.0': (store) => {
    for (const key of Object.keys(store.store)) if (!Object.hasOwn(SCHEMA, key)) store.delete(key as keyof Preferences);
  },
};

/**
 * The shell's preferences. A file that is not JSON or breaks the schema is kept aside
 * (`preferences.json.damaged-<time>`) and the defaults are used: a window size is never a
 * reason not to start.
 */
export class DesktopPreferences {
  private store: Store<Preferences>;
  private readonly options: PreferencesOptions;

  constructor(options: PreferencesOptions) {
    this.options = options;
    this.store = this.open();
    // Until the person answers here, the system's own state (the autostart entry) is the answer.
    if (this.startAtLogin() === null) this.rememberStartAtLogin(options.systemStartAtLogin());
  }

  get file(): string {
    return this.store.path;
  }

  window(): WindowPlace {
    return this.read(() => this.store.get('window'), DEFAULT_WINDOW);
  }

  rememberWindow(place: WindowPlace): void {
    const whole = (value: number | undefined) => (value === undefined ? undefined : Math.round(value));
    const next: WindowPlace = {
      width: Math.min(20_000, Math.max(200, Math.round(place.width))),
      height: Math.min(20_000, Math.max(200, Math.round(place.height))),
      maximized: place.maximized,
    };
    if (place.x !== undefined && place.y !== undefined && Math.abs(place.x) <= 50_000 && Math.abs(place.y) <= 50_000) {
      next.x = whole(place.x);
      next.y = whole(place.y);
    }
    this.write(() => this.store.set('window', next));
  }

  lastView(): string {
    return this.read(() => this.store.get('lastView'), '/');
  }

  rememberView(route: string): void {
    if (VIEW_PATTERN.test(route) && route !== '/onboarding') this.write(() => this.store.set('lastView', route));
  }

  closeNoticeShown(): boolean {
    return this.read(() => this.store.get('tray').closeNoticeShown, false);
  }

  rememberCloseNotice(): void {
    this.write(() => this.store.set('tray', { closeNoticeShown: true }));
  }

  startAtLogin(): boolean | null {
    return this.read(() => this.store.get('startAtLogin'), null);
  }

  rememberStartAtLogin(enabled: boolean): void {
    this.write(() => this.store.set('startAtLogin', enabled));
  }

  private open(): Store<Preferences> {
    const make = () =>
      new Store<Preferences>({
        name: PREFERENCES_NAME, // electron-store's default name, "config", is the backup config's file
        cwd: this.options.folder,
        schema: SCHEMA,
        projectVersion: this.options.version,
        migrations: PREFERENCE_MIGRATIONS,
        clearInvalidConfig: false, // it would throw the damaged file away; it is kept aside below instead
        configFileMode: 0o600,
      });
    try {
      return make();
    } catch (error) {
      if (!this.keepAside(error)) throw error;
      return make();
    }
  }

  /** Moves a damaged file out of the way; false when the error is not about the file's content. */
  private keepAside(error: unknown): boolean {
    const file = join(this.options.folder, `${PREFERENCES_NAME}.json`);
    // The file's content (not JSON, or the schema refuses it) versus the system (EACCES, ENOSPC): only a system error has a code.
    const damaged = error instanceof Error && (error as NodeJS.ErrnoException).code === undefined;
    if (!damaged || !existsSync(file)) return false;
    const aside = `${file}.damaged-${new Date().toISOString().replaceAll(':', '-')}`;
    renameSync(file, aside);
    this.options.log?.(`preferences: ${file} could not be read (${(error as Error).message.split('\n')[0]}); it is kept as ${aside} and the defaults are used`);
    return true;
  }

  private read<T>(get: () => T, fallback: T): T {
    try {
      return get();
    } catch (error) {
      // Damaged while the app runs (another program wrote it): kept aside, the store starts afresh.
      if (!this.keepAside(error)) return fallback;
      this.store = this.open();
      return get();
    }
  }

  private write(set: () => void): void {
    try {
      set();
    } catch (error) {
      if (this.keepAside(error)) {
        this.store = this.open();
        set();
      } else this.options.log?.(`preferences: not saved (${(error as Error).message.split('\n')[0]})`);
    }
  }
}
