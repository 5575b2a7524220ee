import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import dbusModule from 'dbus-next';
import { exited, waitFor, waitForBus } from './processes.ts';
import { tempDir } from './temp.ts';

const dbus = dbusModule as typeof import('dbus-next');

/** A private D-Bus session bus, stopped after the test; its address for DBUS_SESSION_BUS_ADDRESS. */
export async function privateBus(t: TestContext): Promise<string> {
  const dir = await tempDir(t, 'lifeboat-bus-');
  const address = `unix:path=${join(dir, 'bus')}`;
  const child: ChildProcess = spawn('dbus-daemon', ['--session', '--nofork', `--address=${address}`], { stdio: 'ignore' });
  t.after(async () => {
    child.kill('SIGTERM');
    await exited(child);
  });
  await waitForBus(join(dir, 'bus'));
  return address;
}

export interface NotifyCall {
  summary: string;
  body: string;
  actions: string[];
}

/**
 * A tiny notification server (org.freedesktop.Notifications) with the capabilities given: it
 * records every Notify call and can say a button was pressed, as a real server does.
 */
export async function fakeNotificationServer(t: TestContext, address: string, capabilities: string[]) {
  const bus = dbus.sessionBus({ busAddress: address });
  t.after(() => bus.disconnect());
  const calls: NotifyCall[] = [];
  let asked = 0;
  bus.addMethodHandler((message: InstanceType<typeof dbus.Message>) => {
    if (message.interface !== 'org.freedesktop.Notifications') return false;
    if (message.member === 'GetCapabilities') {
      asked += 1;
      bus.send(dbus.Message.newMethodReturn(message, 'as', [capabilities]));
      return true;
    }
    if (message.member === 'GetServerInformation') {
      bus.send(dbus.Message.newMethodReturn(message, 'ssss', ['fake', 'lifeboat-test', '1.0', '1.2']));
      return true;
    }
    if (message.member === 'Notify') {
      const [, , , summary, body, actions] = message.body as [string, number, string, string, string, string[]];
      calls.push({ summary, body, actions });
      bus.send(dbus.Message.newMethodReturn(message, 'u', [calls.length]));
      return true;
    }
    return false;
  });
  const invoke = (id: number, action: string) =>
    bus.send(dbus.Message.newSignal('/org/freedesktop/Notifications', 'org.freedesktop.Notifications', 'ActionInvoked', 'us', [id, action]));
  await bus.requestName('org.freedesktop.Notifications', 0);
  return {
    calls,
    get capabilitiesAsked() {
      return asked;
    },
    /** The person pressed a button of notification `id` (1 is the first Notify). */
    invoke,
  };
}
