import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { xdgDir } from '../util/paths.ts';

/** Start at login on Linux desktops: an XDG autostart entry, `~/.config/autostart/lifeboat.desktop`. */

export const AUTOSTART_MARK = '# Written by Lifeboat\'s "Start at login" setting; turning the setting off removes this file.';

export function autostartFile(env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  return join(xdgDir(env, 'XDG_CONFIG_HOME') ?? join(env.HOME || home, '.config'), 'autostart', 'lifeboat.desktop');
}

/**
 * One argument of an Exec key, per the Desktop Entry spec: double-quoted with `"`, `` ` ``, `$`
 * and `\` backslash-escaped, `%` doubled (field codes), and then every backslash doubled again
 * because the key's value is itself an escaped string.
 */
export function desktopExecArg(arg: string): string {
  for (const char of arg) {
    const code = char.charCodeAt(0);
    if (code < 0x20 || code === 0x7f) throw new Error(`${JSON.stringify(arg)} has a control character; a desktop entry cannot start it`);
  }
  const quoted = `"${arg.replace(/["`$\\]/g, (char) => `\\${char}`)}"`;
  return quoted.replaceAll('%', '%%').replaceAll('\\', '\\\\');
}

export function autostartEntry(command: string[]): string {
  return [
    AUTOSTART_MARK,
    '[Desktop Entry]',
    'Type=Application',
    'Name=Lifeboat',
    'Comment=Backups with restic: the tray app, started at login',
    `Exec=${command.map(desktopExecArg).join(' ')}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

function readIfThere(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Whether the entry starts Lifeboat at login: present, and not hidden or switched off in it. */
export function autostartEnabled(file: string): boolean {
  const text = readIfThere(file);
  if (text === undefined) return false;
  return !/^Hidden=true\s*$/m.test(text) && !/^X-GNOME-Autostart-enabled=false\s*$/m.test(text);
}

/**
 * Turns start at login on (writes the entry) or off (removes it). An entry Lifeboat did not write
 * is left as it is: turning it off then reports that it still starts Lifeboat.
 */
export function setAutostart(file: string, command: string[], enabled: boolean): boolean {
  const existing = readIfThere(file);
  const ours = existing === undefined || existing.startsWith(AUTOSTART_MARK);
  if (ours) {
    if (enabled) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, autostartEntry(command), { mode: 0o644 });
    } else if (existing !== undefined) {
      rmSync(file);
    }
  }
  return autostartEnabled(file);
}
