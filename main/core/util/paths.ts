import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

export function expandHome(path: string, home = homedir()): string {
  if (path === '~') return home;
  if (path.startsWith('~/') || path.startsWith('~\\')) return join(home, path.slice(2));
  return path;
}

/**
 * An XDG base directory variable's value, or undefined when it is unset, empty or relative: the
 * XDG Base Directory spec says a relative path there is invalid and is to be ignored.
 */
export function xdgDir(env: NodeJS.ProcessEnv, name: `XDG_${string}`): string | undefined {
  const value = env[name];
  return value && isAbsolute(value) ? value : undefined;
}

/** The OS's app-data folder for Lifeboat: `~/.config/Lifeboat` on Linux. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform, home = homedir()): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Lifeboat');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Lifeboat');
  return join(xdgDir(env, 'XDG_CONFIG_HOME') ?? join(home, '.config'), 'Lifeboat');
}

export interface Locations {
  dataDir: string;
  configFile: string;
}

/** Flags win over environment variables, which win over the OS default. */
export function resolveLocations(flags: { config?: string | undefined; dataDir?: string | undefined }, env: NodeJS.ProcessEnv = process.env): Locations {
  const dataDir = expandHome(flags.dataDir ?? env.LIFEBOAT_DATA_DIR ?? defaultDataDir(env));
  const configFile = expandHome(flags.config ?? env.LIFEBOAT_CONFIG ?? join(dataDir, 'config.json'));
  return { dataDir, configFile };
}
