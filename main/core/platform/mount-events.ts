import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { FindmntMountEvents } from './findmnt-mount-events.ts';

/** What the system reports about a mount: a filesystem mounted, unmounted, remounted or moved at `target`. */
export interface MountEvent {
  action: 'mount' | 'umount' | 'remount' | 'move';
  target: string;
}

/** Following the mount table for as long as it runs. */
export interface MountWatch {
  /** Ends the watch, and with it the process that watched (no orphan). */
  stop(): Promise<void>;
}

/** The port the scheduler follows drives through (Linux: findmnt --poll; elsewhere: none). */
export interface MountEvents {
  /** Why drive arrival cannot be followed here; undefined when it can. */
  readonly unsupported: string | undefined;
  watch(listener: (event: MountEvent) => void, log?: (line: string) => void): MountWatch;
}

/** Where nothing can report mounts: says why, and watches nothing. */
export function unsupportedMountEvents(why: string): MountEvents {
  return {
    unsupported: why,
    watch: () => ({ stop: async () => undefined }),
  };
}

/** The machine's mount events: findmnt (util-linux) on Linux, a null object elsewhere. */
export function platformMountEvents(env: NodeJS.ProcessEnv = process.env): MountEvents {
  if (process.platform !== 'linux') return unsupportedMountEvents(`drive arrival is not supported here (${process.platform}); use cron or every`);
  const findmnt = onPath('findmnt', env);
  if (!findmnt) return unsupportedMountEvents('drive arrival is not supported here: it needs findmnt (util-linux), which is not on PATH');
  return new FindmntMountEvents({ findmnt, setpriv: onPath('setpriv', env) });
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const folder of (env.PATH ?? '').split(delimiter)) {
    if (folder && existsSync(join(folder, name))) return join(folder, name);
  }
  return undefined;
}
