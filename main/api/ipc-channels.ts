/** The IPC channels, derived from the contract: nobody writes a channel name by hand elsewhere. */
import { type ApiErrorBody, type CallName, type CallOutput, calls } from './contract.ts';

export const CALL_NAMES = Object.keys(calls) as CallName[];
export const EVENT_CHANNEL = 'lifeboat:event';

export function callChannel(name: CallName): string {
  return `lifeboat:call:${name}`;
}

/** What an IPC call answers: the call's output, or the same structured refusal the HTTP transport sends. */
export type IpcResult<N extends CallName = CallName> = { ok: true; value: CallOutput<N> } | { ok: false; error: ApiErrorBody['error'] };
