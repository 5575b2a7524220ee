import { execFile } from 'node:child_process';
import { DbusNotifier } from './dbus-notifier.ts';
import { LinuxPowerSource } from './linux-power.ts';
import { NodeNotifier } from './node-notifier.ts';
import { awakeUnavailable, type IdleSource, type MeteredSource, type Platform, type PowerSource, type PowerState, type Unsupported } from './platform.ts';
import { SystemdInhibit } from './systemd-inhibit.ts';

class UnsupportedPower implements PowerSource {
  async read(): Promise<PowerState | Unsupported> {
    return { unsupported: `battery and power state are not readable on ${process.platform} without the desktop app` };
  }
}

class HeadlessIdle implements IdleSource {
  async idleSeconds(): Promise<number | Unsupported> {
    return { unsupported: 'idle time is known only to the desktop app; in headless mode there is no desktop session to ask' };
  }
}

/** NetworkManager's Metered property over D-Bus: 1 yes, 2 no, 3 guess yes, 4 guess no, 0 unknown. */
class NetworkManagerMetered implements MeteredSource {
  metered(): Promise<boolean | { unknown: string }> {
    return new Promise((resolve) => {
      execFile(
        'busctl',
        ['--system', 'get-property', 'org.freedesktop.NetworkManager', '/org/freedesktop/NetworkManager', 'org.freedesktop.NetworkManager', 'Metered'],
        { timeout: 3000 },
        (error, stdout) => {
          if (error) {
            resolve({ unknown: 'NetworkManager is not available to say whether the connection is metered' });
            return;
          }
          const value = Number(/u\s+(\d+)/.exec(stdout)?.[1]);
          if (value === 1 || value === 3) resolve(true);
          else if (value === 2 || value === 4) resolve(false);
          else resolve({ unknown: 'NetworkManager does not know whether the connection is metered' });
        },
      );
    });
  }
}

/**
 * The platform as a headless process sees it: the OS's own interfaces, null objects elsewhere.
 * On Linux, notifications with buttons go over D-Bus where the server shows them (plain elsewhere).
 */
export function headlessPlatform(env: NodeJS.ProcessEnv = process.env, log?: (line: string) => void): Platform {
  return {
    power: process.platform === 'linux' ? new LinuxPowerSource() : new UnsupportedPower(),
    idle: new HeadlessIdle(),
    network:
      process.platform === 'linux'
        ? new NetworkManagerMetered()
        : { metered: async () => ({ unknown: `metered connections are not detected on ${process.platform}` }) },
    notifier: process.platform === 'linux' ? new DbusNotifier({ fallback: new NodeNotifier(env), env, log }) : new NodeNotifier(env),
    awake: process.platform === 'linux' ? new SystemdInhibit(env) : awakeUnavailable(`keeping the machine awake on ${process.platform} needs the desktop app`),
  };
}
