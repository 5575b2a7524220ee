import { join } from 'node:path';
import { UserError } from '../util/errors.ts';
import { xdgDir } from '../util/paths.ts';

export const SERVICES = ['daemon', 'serve'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** The first line of every unit Lifeboat writes: only a file that starts with it is Lifeboat's to replace or remove. */
export const UNIT_MARK = '# Written by "lifeboat service install";';
export const ENV_MARK = '# Lifeboat service environment';

export interface UnitPlace {
  system: boolean;
  directory: string;
  unitName: string;
  unitFile: string;
  envFile: string;
}

/** Where the unit goes: the user's systemd folder, or /etc/systemd/system with --system; LIFEBOAT_SYSTEMD_DIR overrides both. */
export function unitPlace(service: ServiceName, system: boolean, env: NodeJS.ProcessEnv, home: string): UnitPlace {
  const directory =
    env.LIFEBOAT_SYSTEMD_DIR || (system ? '/etc/systemd/system' : join(xdgDir(env, 'XDG_CONFIG_HOME') ?? join(home, '.config'), 'systemd', 'user'));
  const unitName = `lifeboat-${service}.service`;
  return { system, directory, unitName, unitFile: join(directory, unitName), envFile: join(directory, `lifeboat-${service}.env`) };
}

/** `%` is a specifier in every unit setting; `%%` is one percent sign. */
function escapeSpecifiers(text: string): string {
  return text.replaceAll('%', '%%');
}

/** Whether text has a control character other than the ones allowed (by their codes). */
function hasControl(text: string, allowed: number[] = []): boolean {
  for (const char of text) {
    const code = char.charCodeAt(0);
    if ((code < 0x20 || code === 0x7f) && !allowed.includes(code)) return true;
  }
  return false;
}

/** One ExecStart word in systemd's syntax: double-quoted, C escapes, `%%` for %, `$$` for $. */
export function systemdWord(word: string): string {
  if (hasControl(word, [0x09, 0x0a])) {
    throw new UserError(`${JSON.stringify(word)} has a control character; systemd cannot start it from a unit. Use a path without one.`, {
      kind: 'invalid',
    });
  }
  const escaped = word
    .replaceAll('\\', '\\\\')
    .replaceAll('"', '\\"')
    .replaceAll('\n', '\\n')
    .replaceAll('\t', '\\t')
    .replaceAll('$', () => '$$');
  return `"${escapeSpecifiers(escaped)}"`;
}

/** A path in a setting that takes one path and no quotes (EnvironmentFile=): percent escaped, no line breaks. */
function systemdPath(path: string): string {
  if (hasControl(path)) {
    throw new UserError(`${JSON.stringify(path)} has a control character; systemd cannot read it from a unit. Use a path without one.`, { kind: 'invalid' });
  }
  return escapeSpecifiers(path);
}

export interface UnitInput {
  service: ServiceName;
  place: UnitPlace;
  /** The program and its arguments, e.g. [node, bin/lifeboat.js, --config, …, daemon]. */
  command: string[];
  /** A system unit's account (User=): the scheduler and every hook run as it, never as root by accident. */
  user?: string | undefined;
}

/** A user name as useradd makes them (or a numeric uid): what User= may safely hold. */
export const USER_NAME = /^(?:[a-z_][a-z0-9_-]{0,31}\$?|\d{1,10})$/;

export function unitText({ service, place, command, user }: UnitInput): string {
  if (user !== undefined && !USER_NAME.test(user))
    throw new UserError(`${JSON.stringify(user)} is not a user name; give --user-name an account name such as "alice".`, { kind: 'usage' });
  const what = service === 'daemon' ? 'the scheduler, no UI' : 'the scheduler with the browser UI and API';
  const scope = place.system ? '' : ' --user';
  return [
    `${UNIT_MARK} "lifeboat service uninstall ${service}${place.system ? ' --system' : ''}" removes it.`,
    '[Unit]',
    `Description=Lifeboat backups (${what})`,
    ...(place.system ? ['Wants=network-online.target', 'After=network-online.target'] : []),
    '',
    '[Service]',
    'Type=simple',
    ...(user === undefined ? [] : [`User=${user}`]),
    `ExecStart=${command.map(systemdWord).join(' ')}`,
    // The leading "-": a missing environment file is not an error.
    `EnvironmentFile=-${systemdPath(place.envFile)}`,
    'Restart=on-failure',
    'RestartSec=30',
    // A running backup is cancelled cleanly on SIGTERM; give restic and the clean-up hooks time.
    'TimeoutStopSec=120',
    '',
    '[Install]',
    `WantedBy=${place.system ? 'multi-user.target' : 'default.target'}`,
    '',
    `# Next: systemctl${scope} daemon-reload && systemctl${scope} enable --now ${place.unitName}`,
    '',
  ].join('\n');
}

/** The environment file's first contents: the password variables to fill in, none set. */
export function envFileText(variables: Array<{ name: string; repository: string }>): string {
  const lines = [`${ENV_MARK}: NAME=value lines, read by the unit. Keep it private (mode 0600).`];
  for (const variable of variables) lines.push(`# The password of repository "${variable.repository}":`, `#${variable.name}=`);
  return `${lines.join('\n')}\n`;
}

export function systemctlSteps(place: UnitPlace, action: 'install' | 'uninstall'): string {
  const scope = place.system ? '' : ' --user';
  return action === 'install'
    ? `systemctl${scope} daemon-reload && systemctl${scope} enable --now ${place.unitName}`
    : `systemctl${scope} disable --now ${place.unitName}; systemctl${scope} daemon-reload`;
}
