import { errorMessage } from '../util/errors.ts';

export interface PushTarget {
  /** Where the exposition goes: `<base>/metrics/job/lifeboat/instance/<host>`, without credentials. */
  url: string;
  /** Basic credentials that were in the configured URL (fetch refuses a URL holding them). */
  authorization: string | undefined;
  /** The gateway as a log line may name it: no credentials, no path. */
  shown: string;
}

/**
 * The pushgateway's address for this machine's group. `instance` is the host name, so twenty
 * machines pushing to one gateway keep twenty groups; the host is base64url-encoded per the
 * pushgateway API when it holds a character a path segment cannot.
 */
export function pushTarget(base: string, host: string): PushTarget {
  const parsed = new URL(base);
  const authorization =
    parsed.username || parsed.password
      ? `Basic ${Buffer.from(`${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`).toString('base64')}`
      : undefined;
  parsed.username = '';
  parsed.password = '';
  parsed.search = '';
  parsed.hash = '';
  const instance = /^[A-Za-z0-9._-]+$/.test(host) ? `instance/${host}` : `instance@base64/${Buffer.from(host).toString('base64url') || '='}`;
  parsed.pathname = `${parsed.pathname.replace(/\/+$/, '')}/metrics/job/lifeboat/${instance}`;
  return { url: parsed.toString(), authorization, shown: `${parsed.protocol}//${parsed.host}` };
}

export interface PushOptions {
  timeoutMs?: number | undefined;
  log?: ((line: string) => void) | undefined;
}

/**
 * Pushes the exposition after runs, in the background: one try with a timeout, a failure told in
 * the log (naming the gateway's host only) and never to the run. The next run pushes again. A
 * push waits for the one before it, so an older exposition never lands after a newer one.
 */
export class MetricsPusher {
  private readonly options: PushOptions;
  private chain: Promise<void> = Promise.resolve();

  constructor(options: PushOptions = {}) {
    this.options = options;
  }

  push(target: PushTarget, exposition: () => Promise<string>): void {
    this.chain = this.chain.then(() => this.deliver(target, exposition));
  }

  /** Resolves when every push asked for so far has landed or given up. */
  async flush(): Promise<void> {
    let seen: Promise<void> | undefined;
    while (seen !== this.chain) {
      seen = this.chain;
      await seen;
    }
  }

  private async deliver(target: PushTarget, exposition: () => Promise<string>): Promise<void> {
    try {
      const body = await exposition();
      const response = await fetch(target.url, {
        method: 'PUT', // replaces this machine's group: a plan removed from the config disappears from the gateway too
        headers: { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', ...(target.authorization ? { Authorization: target.authorization } : {}) },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
      await response.body?.cancel();
      if (!response.ok) this.options.log?.(`metrics: the pushgateway at ${target.shown} answered ${response.status}; check settings.metrics.pushgateway`);
    } catch (error) {
      const reason =
        (error as Error).name === 'TimeoutError' ? 'no answer in time' : ((error as { cause?: { code?: string } }).cause?.code ?? errorMessage(error));
      this.options.log?.(`metrics: the pushgateway at ${target.shown} was not reached: ${reason}`);
    }
  }
}
