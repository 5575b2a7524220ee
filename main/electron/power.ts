import type { PowerMonitor, PowerSaveBlocker } from 'electron';
import { LinuxPowerSource } from '../core/platform/linux-power.ts';
import type { IdleSource, KeepAwake, PowerSource, PowerState } from '../core/platform/platform.ts';
import type { Scheduler } from '../core/schedule/scheduler.ts';

/**
 * Electron's powerMonitor drives the scheduler: a wake catches up missed slots, and a change of
 * power source re-evaluates deferred runs. Returns the listeners' removal.
 */
export function connectPower(powerMonitor: PowerMonitor, scheduler: Scheduler, log: (line: string) => void = () => undefined): () => void {
  const onResume = () => {
    log('resumed from sleep');
    void scheduler.resumed();
  };
  const onPowerChange = () => void scheduler.conditionsChanged();
  const onSuspend = () => log('going to sleep');
  powerMonitor.on('resume', onResume);
  powerMonitor.on('on-ac', onPowerChange);
  powerMonitor.on('on-battery', onPowerChange);
  powerMonitor.on('suspend', onSuspend);
  return () => {
    powerMonitor.off('resume', onResume);
    powerMonitor.off('on-ac', onPowerChange);
    powerMonitor.off('on-battery', onPowerChange);
    powerMonitor.off('suspend', onSuspend);
  };
}

/** Idle time as the desktop session knows it. */
export function electronIdle(powerMonitor: PowerMonitor): IdleSource {
  return { idleSeconds: async () => powerMonitor.getSystemIdleTime() };
}

/** Linux reads the battery from sysfs; elsewhere powerMonitor tells AC or battery (no percentage). */
export function electronPower(powerMonitor: PowerMonitor, platform = process.platform): PowerSource {
  if (platform === 'linux') return new LinuxPowerSource();
  return {
    read: async (): Promise<PowerState> => ({ batteries: [], onAC: !powerMonitor.isOnBatteryPower() }),
  };
}

/**
 * Keeps the machine from sleeping during a run: one powerSaveBlocker per run
 * ("prevent-app-suspension": the screen may still turn off), stopped once when the run ends.
 */
export function electronKeepAwake(blocker: PowerSaveBlocker): KeepAwake {
  return {
    keepAwake: async () => {
      const id = blocker.start('prevent-app-suspension');
      let released = false;
      return {
        via: 'electron',
        release: async () => {
          if (released) return;
          released = true;
          if (blocker.isStarted(id)) blocker.stop(id);
        },
      };
    },
  };
}
