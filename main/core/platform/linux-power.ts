import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BatteryState, PowerSource, PowerState } from './platform.ts';

export const POWER_SUPPLY_DIR = '/sys/class/power_supply';

async function readValue(folder: string, name: string): Promise<string | undefined> {
  try {
    return (await readFile(join(folder, name), 'utf8')).trim();
  } catch {
    return undefined; // not every supply has every attribute
  }
}

/** Battery and mains state as Linux exposes it in /sys/class/power_supply. */
export class LinuxPowerSource implements PowerSource {
  private readonly root: string;

  constructor(root = POWER_SUPPLY_DIR) {
    this.root = root;
  }

  async read(): Promise<PowerState> {
    let names: string[];
    try {
      names = await readdir(this.root);
    } catch {
      names = []; // no power_supply class: a desktop or server without a battery
    }
    const batteries: BatteryState[] = [];
    let mainsOnline = false;
    for (const name of names.sort()) {
      const folder = join(this.root, name);
      const type = await readValue(folder, 'type');
      if (type === 'Battery') {
        // Peripheral batteries (a mouse, a headset) say scope=Device; they do not power the machine.
        if ((await readValue(folder, 'scope')) === 'Device') continue;
        const capacity = Number(await readValue(folder, 'capacity'));
        if (!Number.isFinite(capacity)) continue;
        batteries.push({ name, percent: capacity, status: (await readValue(folder, 'status')) ?? 'Unknown' });
      } else if (type === 'Mains' || type === 'USB' || type === 'USB_C' || type === 'USB_PD') {
        if ((await readValue(folder, 'online')) === '1') mainsOnline = true;
      }
    }
    const charging = batteries.some((battery) => battery.status === 'Charging' || battery.status === 'Full');
    return { batteries, onAC: batteries.length === 0 || mainsOnline || charging };
  }
}
