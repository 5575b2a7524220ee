import type { AnyEvent, ApiErrorBody, CallInput, CallName, CallOutput, EventName, EventPayload, Problem } from '../../../main/api/contract.ts';
import type { IpcResult } from '../../../main/api/ipc-channels.ts';
import { EarlyAnswers } from './early-answers.ts';

/** How calls and events travel: HTTP + server-sent events in the browser, IPC in the desktop app. Typed by the contract either way. */
export interface Transport {
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>>;
  events(onEvent: (event: AnyEvent) => void): () => void;
}

export class ApiFailure extends Error {
  readonly status: number;
  readonly problems: Problem[];

  constructor(body: ApiErrorBody['error']) {
    super(body.message);
    this.status = body.status;
    this.problems = body.problems ?? [];
  }
}

/**
 * A call that reached no Lifeboat at all (serve stopped, restarting, the machine asleep): no answer
 * came, so nothing is known about whether it happened. The message is the sentence a person reads.
 */
export class LifeboatUnreachable extends Error {
  constructor(where: string, cause: unknown) {
    super(`Lifeboat is not answering at ${where} — it may have been stopped. Start it again ("lifeboat serve"), then try once more.`, { cause });
    this.name = 'LifeboatUnreachable';
  }

  // Views that show `String(failure)` show the sentence, not the class name in front of it.
  override toString(): string {
    return this.message;
  }
}

/** The typed client: the renderer knows the contract's types and this object, nothing else. */
export class Client {
  private readonly transport: Transport;
  private readonly listeners = new Map<EventName, Set<(payload: never) => void>>();
  private readonly early = new EarlyAnswers(EARLY_ANSWER_MS);
  private listening = false;

  constructor(transport: Transport) {
    this.transport = transport;
  }

  /** The event stream opens with the first listener: a page that is not signed in never opens one. */
  private listen(): void {
    if (this.listening) return;
    this.listening = true;
    this.transport.events((event) => {
      this.early.clear();
      for (const listener of this.listeners.get(event.name) ?? []) (listener as (payload: unknown) => void)(event.payload);
    });
  }

  call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> {
    const early = this.early.take(prefetchKey(name, input)) as Promise<CallOutput<N>> | undefined;
    // An early answer that failed is asked for again: the view sees the failure of its own call.
    if (early) return early.catch(() => this.transport.call(name, input));
    return this.transport.call(name, input);
  }

  /**
   * Asks now for what the first view will ask for, so its answer is on the way while the page's code
   * loads and renders (no chain of requests before the first paint). The next identical call takes it.
   */
  prefetch<N extends CallName>(name: N, input: CallInput<N>): Promise<unknown> {
    const answer = this.transport.call(name, input);
    this.early.put(prefetchKey(name, input), answer);
    return answer;
  }

  /** An early answer that has already arrived, taken once (a view's first draw shows it without asking). */
  arrived<N extends CallName>(name: N, input: CallInput<N>): { data: CallOutput<N> } | undefined {
    return this.early.takeArrived(prefetchKey(name, input)) as { data: CallOutput<N> } | undefined;
  }

  on<N extends EventName>(name: N, listener: (payload: EventPayload<N>) => void): () => void {
    this.listen();
    let set = this.listeners.get(name);
    if (!set) {
      set = new Set();
      this.listeners.set(name, set);
    }
    set.add(listener as (payload: never) => void);
    return () => set.delete(listener as (payload: never) => void);
  }
}

/** An early answer older than this is not used: the first view asks within moments of the page loading. */
const EARLY_ANSWER_MS = 5000;
const prefetchKey = (name: CallName, input: unknown) => `${name} ${JSON.stringify(input ?? {})}`;

/**
 * `lifeboat serve`: the session cookie a one-time sign-in link set (same-origin requests carry
 * it), or a token from the URL fragment (never sent to a server) in a header.
 */
export function httpTransport(token?: string, base = ''): Transport {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) };
  return {
    async call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> {
      let response: Response;
      let text: string;
      try {
        response = await fetch(`${base}/api/call/${name}`, { method: 'POST', headers, body: JSON.stringify(input ?? {}) });
        text = await response.text();
      } catch (failure) {
        // The browser's own words ("Failed to fetch") name neither the cause nor the fix.
        throw new LifeboatUnreachable(base ? new URL(base).host : window.location.host, failure);
      }
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        // Something between the page and Lifeboat (a proxy, another server on the port) answered.
        throw new Error(
          `What answered at ${base ? new URL(base).host : window.location.host} is not Lifeboat (HTTP ${response.status}, not its API). Check the address, or start Lifeboat again ("lifeboat serve").`,
        );
      }
      if (!response.ok) throw new ApiFailure((body as ApiErrorBody).error);
      // The server checked the input against the contract and answered with the call's output.
      return body as CallOutput<N>;
    },
    events(onEvent) {
      const controller = new AbortController();
      const connect = async () => {
        while (!controller.signal.aborted) {
          try {
            const response = await fetch(`${base}/api/events`, { headers, signal: controller.signal });
            const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
            let buffer = '';
            for (;;) {
              const { value, done } = await reader.read();
              if (done) break;
              buffer += value;
              let end = buffer.indexOf('\n\n');
              while (end !== -1) {
                const block = buffer.slice(0, end);
                buffer = buffer.slice(end + 2);
                const name = /^event: (.+)$/m.exec(block)?.[1];
                const data = /^data: (.+)$/m.exec(block)?.[1];
                if (name && data) onEvent({ name, payload: JSON.parse(data) } as AnyEvent);
                end = buffer.indexOf('\n\n');
              }
            }
          } catch {
            // The stream broke (server restarted, laptop slept): connect again shortly.
          }
          await new Promise((resolve) => setTimeout(resolve, 2000));
        }
      };
      void connect();
      return () => controller.abort();
    },
  };
}

/** The preload's bridge (main/preload/preload.ts), typed by the same contract. */
interface IpcBridge {
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<IpcResult<N>>;
  events(onEvent: (event: AnyEvent) => void): () => void;
}

declare global {
  interface Window {
    /** Set by the desktop app's preload: the same contract over IPC. */
    lifeboatIpc?: IpcBridge;
  }
}

/** The desktop app: calls and events over IPC, through the preload's bridge. */
export function ipcTransport(bridge: IpcBridge): Transport {
  return {
    async call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> {
      const result = await bridge.call(name, input);
      if (!result.ok) throw new ApiFailure(result.error);
      return result.value;
    },
    events: (onEvent) => bridge.events(onEvent),
  };
}

/** A token handed over in the URL fragment moves to this tab's storage and out of the address bar. */
function currentToken(): string | undefined {
  const fromUrl = /(?:^#|&)token=([^&]+)/.exec(window.location.hash)?.[1];
  if (fromUrl) {
    sessionStorage.setItem('lifeboat-token', fromUrl);
    history.replaceState(null, '', `${window.location.pathname}#/`);
  }
  return fromUrl ?? sessionStorage.getItem('lifeboat-token') ?? undefined;
}

export function createClient(): Client {
  if (window.lifeboatIpc) return new Client(ipcTransport(window.lifeboatIpc));
  return new Client(httpTransport(currentToken()));
}

/** Whether the browser may talk to the server: a token in hand, or a signed-in session cookie. */
export async function signedIn(): Promise<boolean> {
  if (window.lifeboatIpc) return true;
  const token = currentToken();
  const response = await fetch('/api/session', token ? { headers: { Authorization: `Bearer ${token}` } } : {}).catch(() => undefined);
  return response?.ok ?? false;
}
