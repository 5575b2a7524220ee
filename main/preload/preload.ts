// The window's only bridge: the typed client's transport. No raw ipcRenderer, no Node, no event objects.
import { contextBridge, ipcRenderer } from 'electron';
import type { AnyEvent, CallName } from '../api/contract.ts';
import { CALL_NAMES, callChannel, EVENT_CHANNEL, type IpcResult } from '../api/ipc-channels.ts';

const bridge = {
  call(name: string, input: unknown): Promise<IpcResult> {
    if (!(CALL_NAMES as string[]).includes(name))
      return Promise.resolve({ ok: false, error: { status: 404, code: 'unknown-call', message: `There is no call "${name}".` } });
    return ipcRenderer.invoke(callChannel(name as CallName), input) as Promise<IpcResult>;
  },
  events(onEvent: (event: AnyEvent) => void): () => void {
    const listener = (_event: unknown, payload: AnyEvent) => onEvent(payload);
    ipcRenderer.on(EVENT_CHANNEL, listener);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, listener);
    };
  },
};

contextBridge.exposeInMainWorld('lifeboatIpc', bridge);

export type LifeboatBridge = typeof bridge;
