/** The IPC channels, derived from the contract: nobody writes a channel name by hand elsewhere. */
import { type CallName, calls } from './contract.ts';

export const CALL_NAMES = Object.keys(calls) as CallName[];
export const EVENT_CHANNEL = 'lifeboat:event';

export function callChannel(name: CallName): string {
  return `lifeboat:call:${name}`;
}

/** What an IPC call answers: a value, or the same structured refusal the HTTP transport sends. */
export type IpcResult =
  | { ok: true; value: unknown }
  | { ok: false; error: { status: number; code: string; message: string; problems?: Array<{ path: string; message: string }> } };
