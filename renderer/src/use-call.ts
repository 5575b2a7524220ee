import { useCallback, useEffect, useRef, useState } from 'react';
import type { CallInput, CallName, CallOutput, EventName } from '../../main/api/contract.ts';
import { type CallState, IDLE, LatestCall } from './call-state.ts';
import { useClient } from './context.ts';

export interface UseCall<T> extends CallState<T> {
  /** Asks again; what is shown stays until the answer arrives. */
  retry: () => void;
}

/**
 * One call's answer, failure and loading state for a view. `input` null waits (nothing to ask
 * yet). A new input asks again and forgets the old answer; the events in `refreshOn` ask again
 * and keep it shown meanwhile. Only the newest answer is shown (see call-state.ts).
 */
export function useCall<N extends CallName>(name: N, input: CallInput<N> | null, refreshOn: readonly EventName[] = []): UseCall<CallOutput<N>> {
  const client = useClient();
  // An answer asked for before the page drew (main.tsx) and already here is drawn at once, not asked again.
  const [arrived] = useState(() => (input === null ? undefined : client.arrived(name, input)));
  const [state, setState] = useState<CallState<CallOutput<N>>>(() => (arrived ? { data: arrived.data, error: undefined, loading: false } : IDLE));
  const [latest] = useState(() => new LatestCall<CallOutput<N>>(setState, arrived ? { data: arrived.data, error: undefined, loading: false } : IDLE));
  const answered = useRef(arrived !== undefined);
  // The input is compared by value: a fresh object with the same fields is the same question.
  const question = input === null ? null : JSON.stringify(input);
  const current = useRef(input);
  current.current = input;

  const retry = useCallback(() => {
    const asked = current.current;
    if (asked !== null) latest.run(() => client.call(name, asked));
  }, [client, name, latest]);

  useEffect(() => {
    if (answered.current)
      answered.current = false; // the first question's answer is shown already
    else {
      latest.reset();
      if (question !== null) retry();
    }
    return () => latest.cancel();
  }, [question, retry, latest]);

  const events = refreshOn.join(' ');
  useEffect(() => {
    if (!events) return;
    const offs = events.split(' ').map((event) => client.on(event as EventName, () => retry()));
    return () => {
      for (const off of offs) off();
    };
  }, [client, events, retry]);

  return { ...state, retry };
}
