// The window's only bridge: the typed client's transport. No raw ipcRenderer, no Node, no event objects.
import { contextBridge, ipcRenderer } from 'electron';
import type { AnyEvent, CallInput, CallName } from '../api/contract.ts';
import { CALL_NAMES, callChannel, EVENT_CHANNEL, type IpcResult } from '../api/ipc-channels.ts';

const bridge = {
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<IpcResult<N>> {
    // The page's script is typed, but the name is checked all the same: only the contract's calls have a channel.
    if (!(CALL_NAMES as string[]).includes(name))
      return Promise.resolve({ ok: false, error: { status: 404, code: 'unknown-call', message: `There is no call "${name}".` } });
    return ipcRenderer.invoke(callChannel(name), input) as Promise<IpcResult<N>>;
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
