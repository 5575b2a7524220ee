import '../helpers/use-fake-electron.ts';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { tempDir } from '../helpers/temp.ts';

const fake = await import('../helpers/fake-electron.ts');
const { createMainWindow, CSP, WEB_PREFERENCES } = await import('../../main/electron/window.ts');
const { registerIpc } = await import('../../main/electron/ipc.ts');
const { connectPower } = await import('../../main/electron/power.ts');
const { KeychainVault } = await import('../../main/electron/secrets.ts');
const { ElectronNotifier } = await import('../../main/electron/notifications.ts');
const { registerAppScheme, serveRenderer } = await import('../../main/electron/protocol.ts');
const { ApiError } = await import('../../main/api/router.ts');
const { callChannel, CALL_NAMES, EVENT_CHANNEL } = await import('../../main/api/ipc-channels.ts');

test('the window is sandboxed, isolated, without Node, denies new windows, navigation away and every permission', async () => {
  const window = createMainWindow('/app/preload.cjs') as unknown as InstanceType<typeof fake.FakeBrowserWindow>;
  const preferences = window.options.webPreferences;
  assert.equal(preferences.contextIsolation, true);
  assert.equal(preferences.sandbox, true);
  assert.equal(preferences.nodeIntegration, false);
  assert.equal(preferences.webSecurity, true);
  assert.equal(preferences.preload, '/app/preload.cjs');
  assert.deepEqual({ ...preferences, preload: undefined }, { ...WEB_PREFERENCES, preload: undefined });
  assert.deepEqual(window.urls, ['lifeboat://app/index.html'], 'the renderer comes from the app, never remote content');

  const contents = window.webContents;
  assert.deepEqual(contents.windowOpenHandler!({ url: 'https://evil.example/' }), { action: 'deny' });
  assert.deepEqual(contents.windowOpenHandler!({ url: 'https://restic.readthedocs.io/en/stable/' }), { action: 'deny' });
  assert.deepEqual(fake.recorded.openedExternally, ['https://restic.readthedocs.io/en/stable/'], 'only allow-listed links open, in the browser');
  let prevented = false;
  contents.emit('will-navigate', { preventDefault: () => (prevented = true) }, 'https://evil.example/');
  assert.equal(prevented, true);
  prevented = false;
  contents.emit('will-navigate', { preventDefault: () => (prevented = true) }, 'lifeboat://app/index.html#/history');
  assert.equal(prevented, false);
  let granted: boolean | undefined;
  contents.session.permissionRequestHandler!(contents, 'media', (answer: boolean) => (granted = answer));
  assert.equal(granted, false);
  assert.equal(contents.session.permissionCheckHandler!(), false);
});

test('the renderer is served under lifeboat://app with a strict CSP and nothing outside its folder', async (t) => {
  const dir = await tempDir(t);
  const { writeFile } = await import('node:fs/promises');
  await writeFile(`${dir}/index.html`, '<!doctype html><title>x</title>');
  registerAppScheme();
  serveRenderer(dir);
  assert.deepEqual(fake.recorded.privilegedSchemes, [{ scheme: 'lifeboat', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  const handler = fake.recorded.protocolHandlers.get('lifeboat')!;
  const page = await handler(new Request('lifeboat://app/index.html'));
  assert.equal(page.status, 200);
  assert.equal(page.headers.get('content-security-policy'), CSP);
  assert.match(CSP, /default-src 'self'/);
  assert.doesNotMatch(CSP, /unsafe-eval|https?:/);
  assert.equal((await handler(new Request('lifeboat://app/../../etc/passwd'))).status, 404);
  assert.equal((await handler(new Request('lifeboat://other/index.html'))).status, 404);
});

test('IPC: one handler per call; malformed input and untrusted frames are refused; errors are structured', async () => {
  const calls: Array<[string, unknown]> = [];
  const api = {
    call: () => Promise.reject(new Error('the IPC transport passes calls on with receive')),
    async receive(name: string, input: unknown) {
      calls.push([name, input]);
      if (name === 'plans.run') throw new ApiError(400, 'invalid-input', 'The input of plans.run is not valid.', [{ path: 'plan', message: 'is missing' }]);
      return { ok: true, name };
    },
    subscribe(listener: (event: never) => void) {
      queueMicrotask(() => listener({ name: 'status.changed', payload: {} } as never));
      return () => undefined;
    },
  };
  const window = new fake.FakeBrowserWindow({});
  await window.loadURL('lifeboat://app/index.html');
  const sent: unknown[] = [];
  const unregister = registerIpc({
    ipcMain: fake.ipcMain as never,
    api,
    isTrustedSender: (frame) => frame === (window.webContents.mainFrame as never) && String(frame?.url).startsWith('lifeboat://app/'),
    send: (channel, payload) => sent.push([channel, payload]),
  });
  assert.equal(fake.ipcMain.handlers.size, CALL_NAMES.length);
  const invoke = (name: (typeof CALL_NAMES)[number], frame: unknown, input: unknown) =>
    fake.ipcMain.handlers.get(callChannel(name))!({ senderFrame: frame }, input);

  assert.deepEqual(await invoke('app.status', window.webContents.mainFrame, {}), { ok: true, value: { ok: true, name: 'app.status' } });
  assert.deepEqual(await invoke('plans.run', window.webContents.mainFrame, { nope: 1 }), {
    ok: false,
    error: { status: 400, code: 'invalid-input', message: 'The input of plans.run is not valid.', problems: [{ path: 'plan', message: 'is missing' }] },
  });
  const foreign = new fake.FakeWebFrame('https://evil.example/');
  assert.deepEqual(await invoke('config.get', foreign, {}), {
    ok: false,
    error: { status: 403, code: 'untrusted-sender', message: 'Only the Lifeboat window may call this.' },
  });
  assert.deepEqual(await invoke('config.get', null, {}), {
    ok: false,
    error: { status: 403, code: 'untrusted-sender', message: 'Only the Lifeboat window may call this.' },
  });
  assert.deepEqual(
    calls.map(([name]) => name),
    ['app.status', 'plans.run'],
    'refused senders never reach the API',
  );
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(sent, [[EVENT_CHANNEL, { name: 'status.changed', payload: {} }]]);
  unregister();
  assert.equal(fake.ipcMain.handlers.size, 0);
});

test('the preload exposes only the client transport: call and events, nothing of ipcRenderer', async () => {
  await import('../../main/preload/preload.ts');
  assert.equal(fake.recorded.exposed.length, 1);
  const { key, api } = fake.recorded.exposed[0]!;
  assert.equal(key, 'lifeboatIpc');
  assert.deepEqual(Object.keys(api!).sort(), ['call', 'events']);
  const bridge = api as { call: (name: string, input: unknown) => Promise<unknown>; events: (cb: (event: unknown) => void) => () => void };
  assert.deepEqual(await bridge.call('not.a.call', {}), { ok: false, error: { status: 404, code: 'unknown-call', message: 'There is no call "not.a.call".' } });
  assert.deepEqual(await bridge.call('plans.list', {}), { ok: true, value: { channel: 'lifeboat:call:plans.list' } });
  const seen: unknown[] = [];
  const off = bridge.events((event) => seen.push(event));
  fake.ipcRenderer.emit(EVENT_CHANNEL, { sender: 'the IPC event object' }, { name: 'status.changed', payload: {} });
  assert.deepEqual(seen, [{ name: 'status.changed', payload: {} }], 'only the payload crosses, never the IPC event');
  off();
  assert.equal(fake.ipcRenderer.listenerCount(EVENT_CHANNEL), 0);
});

test('power: a resume catches up; plugging in or unplugging re-evaluates deferred runs', () => {
  const calls: string[] = [];
  const scheduler = { resumed: async () => void calls.push('resumed'), conditionsChanged: async () => void calls.push('conditionsChanged') };
  const monitor = new EventEmitter();
  const disconnect = connectPower(monitor as never, scheduler as never);
  monitor.emit('suspend');
  monitor.emit('resume');
  monitor.emit('on-ac');
  monitor.emit('on-battery');
  assert.deepEqual(calls, ['resumed', 'conditionsChanged', 'conditionsChanged']);
  disconnect();
  monitor.emit('resume');
  assert.equal(calls.length, 3);
});

test('a notification is native, critical for failures, and a click opens that run', async () => {
  const opened: string[] = [];
  const notifier = new ElectronNotifier((runId) => opened.push(runId));
  await notifier.notify({ title: 'Backup failed — Documents', body: 'The disk is full.', urgency: 'critical', runId: 'R1', planId: 'documents' });
  const shown = fake.recorded.notifications.at(-1)!;
  assert.equal(shown.shown, true);
  assert.deepEqual(shown.options, { title: 'Backup failed — Documents', body: 'The disk is full.', urgency: 'critical', timeoutType: 'never' });
  shown.emit('click');
  assert.deepEqual(opened, ['R1']);
});

test('passwords are kept encrypted by the keychain; without one, a sentence says what to do', async (t) => {
  const dir = await tempDir(t);
  const vault = new KeychainVault(fake.safeStorage as never, dir);
  await vault.store('nas', 'correct horse');
  const { readFile } = await import('node:fs/promises');
  const stored = await readFile(`${dir}/secrets/nas.keychain`, 'utf8');
  assert.ok(!stored.includes('correct horse'));
  assert.equal(await vault.read('nas'), 'correct horse');
  assert.equal(await vault.read('other'), undefined);
  fake.safeStorage.backend = 'basic_text';
  await assert.rejects(vault.store('nas', 'x'), /No keychain is available to keep the password encrypted/);
  fake.safeStorage.backend = 'gnome_libsecret';
});
