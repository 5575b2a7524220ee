import { ipcMain as electronIpcMain, type IpcMain, type IpcMainInvokeEvent, type WebFrameMain } from 'electron';
import { ApiError } from '../api/api-error.ts';
import type { CallName } from '../api/contract.ts';
import { CALL_NAMES, callChannel, EVENT_CHANNEL, type IpcResult } from '../api/ipc-channels.ts';
import type { Api } from '../api/router.ts';

export interface IpcOptions {
  /** Electron's, unless a test hands in another. */
  ipcMain?: IpcMain | undefined;
  api: Api;
  /** Only the app's own window, showing the app's own page, may call. */
  isTrustedSender: (frame: WebFrameMain | null) => boolean;
  /** Pushes an event to the window, if there is one. */
  send: (channel: string, payload: unknown) => void;
  log?: ((line: string) => void) | undefined;
}

/**
 * The contract over Electron IPC: one `ipcMain.handle` per call, each message validated by
 * the router against the contract, the sender frame checked first.
 */
export function registerIpc(options: IpcOptions): () => void {
  const ipcMain = options.ipcMain ?? electronIpcMain;
  for (const name of CALL_NAMES) {
    ipcMain.handle(callChannel(name), (event: IpcMainInvokeEvent, input: unknown) => handle(options, name, event, input));
  }
  const unsubscribe = options.api.subscribe((event) => options.send(EVENT_CHANNEL, event));
  return () => {
    unsubscribe();
    for (const name of CALL_NAMES) ipcMain.removeHandler(callChannel(name));
  };
}

async function handle(options: IpcOptions, name: CallName, event: IpcMainInvokeEvent, input: unknown): Promise<IpcResult | { ok: true; value: unknown }> {
  if (!options.isTrustedSender(event.senderFrame)) {
    options.log?.(`refused IPC ${name} from an untrusted frame (${event.senderFrame?.url ?? 'gone'})`);
    return { ok: false, error: { status: 403, code: 'untrusted-sender', message: 'Only the Lifeboat window may call this.' } };
  }
  try {
    return { ok: true, value: await options.api.receive(name, input) };
  } catch (error) {
    if (error instanceof ApiError)
      return { ok: false, error: { status: error.status, code: error.code, message: error.message, ...(error.problems ? { problems: error.problems } : {}) } };
    options.log?.(`internal error in ${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return { ok: false, error: { status: 500, code: 'internal', message: 'Lifeboat hit an internal error; the log has the details.' } };
  }
}
