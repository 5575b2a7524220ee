import { HEADER_LINE_BREAK } from '../config/limits.ts';
import type { Monitor } from '../config/schema.ts';
import type { Plan } from '../config/types.ts';
import type { RunRecord } from '../runs/run-record.ts';

export interface MonitorRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

function withPath(url: string, suffix: string): string {
  const parsed = new URL(url);
  parsed.pathname = `${parsed.pathname.replace(/\/+$/, '')}/${suffix}`;
  return parsed.toString();
}

/** The log tail a failure ping carries: the reason, then the end of the failing steps' output. */
export function logTail(run: RunRecord, maxBytes = 10_000): string {
  const failing = run.steps.filter((step) => step.status === 'failure' || step.status === 'cancelled');
  const text = [
    `${run.status}: ${run.reason ?? ''}`,
    ...failing.map((step) => `--- ${step.kind} ${step.name}${step.event ? ` (${step.event})` : ''}, exit ${step.exitCode ?? '-'}\n${step.output}`),
  ].join('\n');
  return Buffer.byteLength(text) <= maxBytes ? text : `…${text.slice(-maxBytes)}`;
}

/** The request a monitor gets when a run's backup begins, if any. */
export function startRequest(monitor: Monitor): MonitorRequest | undefined {
  if (monitor.type !== 'healthchecks') return undefined;
  return { url: withPath(monitor.url, 'start'), headers: {}, body: '' };
}

/**
 * The request a monitor gets when a run ends. A skipped run is not a failure: healthchecks
 * hears nothing of it, ntfy gets a quiet note, a webhook gets the plain facts.
 */
export function endRequest(monitor: Monitor, plan: Plan, run: RunRecord): MonitorRequest | undefined {
  const status = run.status;
  switch (monitor.type) {
    case 'healthchecks':
      if (status === 'success' || status === 'warning') return { url: monitor.url, headers: {}, body: run.reason ?? `snapshot ${run.snapshotId ?? ''}`.trim() };
      if (status === 'failure') return { url: withPath(monitor.url, 'fail'), headers: {}, body: logTail(run) };
      return undefined;
    case 'ntfy': {
      const priority = status === 'failure' ? 'high' : status === 'skipped' || status === 'cancelled' ? 'low' : 'default';
      const tags =
        { success: 'white_check_mark', warning: 'warning', failure: 'rotating_light', skipped: 'fast_forward', cancelled: 'stop_button' }[status as string] ??
        'floppy_disk';
      const titles: Record<string, string> = {
        success: `Backup done: ${plan.name}`,
        warning: `Backup warning: ${plan.name}`,
        failure: `Backup failed: ${plan.name}`,
        skipped: `Backup skipped: ${plan.name}`,
        cancelled: `Backup cancelled: ${plan.name}`,
      };
      const headers: Record<string, string> = { Title: titles[status] ?? plan.name, Priority: priority, Tags: tags };
      if (monitor.token) headers.Authorization = `Bearer ${monitor.token}`;
      return { url: monitor.url, headers, body: run.reason ?? `Snapshot ${run.snapshotId ?? ''}`.trim() };
    }
    case 'webhook':
      return {
        url: monitor.url,
        headers: { 'Content-Type': 'application/json', ...monitor.headers },
        body: JSON.stringify({ plan: plan.id, run: run.id, status, reason: run.reason, summary: run.summary }),
      };
  }
}

/**
 * The request a monitor gets when a plan has gone without a successful backup for its
 * `alertAfter` (the staleness alarm): healthchecks' fail ping, a high-priority ntfy message,
 * a webhook with status "stale".
 */
export function staleRequest(monitor: Monitor, plan: Plan, sentence: string): MonitorRequest {
  switch (monitor.type) {
    case 'healthchecks':
      return { url: withPath(monitor.url, 'fail'), headers: {}, body: sentence };
    case 'ntfy': {
      const headers: Record<string, string> = { Title: `No backup lately: ${plan.name}`, Priority: 'high', Tags: 'warning' };
      if (monitor.token) headers.Authorization = `Bearer ${monitor.token}`;
      return { url: monitor.url, headers, body: sentence };
    }
    case 'webhook':
      return {
        url: monitor.url,
        headers: { 'Content-Type': 'application/json', ...monitor.headers },
        body: JSON.stringify({ plan: plan.id, run: null, status: 'stale', reason: sentence, summary: null }),
      };
  }
}

export interface MonitorSenderOptions {
  timeoutMs?: number | undefined;
  tries?: number | undefined;
  backoffMs?: number | undefined;
  log?: ((line: string) => void) | undefined;
}

/**
 * Header values as they go on the wire: each character as its UTF-8 bytes (fetch takes a header
 * value as bytes, one per character, and refuses the whole request for a character beyond Latin-1,
 * such as an emoji in a plan's name), and a line break, which would end the header, as a space.
 */
const LINE_BREAKS = new RegExp(HEADER_LINE_BREAK.source, 'g');

export function wireHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, Buffer.from(value.replace(LINE_BREAKS, ' '), 'utf8').toString('latin1')]));
}

/**
 * Sends monitor pings in the background: each try has a timeout, a failed try is repeated
 * (3 tries), and nothing a monitor does can block or fail a backup. Logs name the host only:
 * monitor URLs are secrets.
 */
export class MonitorSender {
  private readonly options: MonitorSenderOptions;
  private readonly pending = new Set<Promise<void>>();

  constructor(options: MonitorSenderOptions = {}) {
    this.options = options;
  }

  send(request: MonitorRequest): void {
    const task = this.deliver(request).finally(() => this.pending.delete(task));
    this.pending.add(task);
  }

  /** Resolves when every ping sent so far has been delivered or given up. */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private async deliver(request: MonitorRequest): Promise<void> {
    const tries = this.options.tries ?? 3;
    const host = new URL(request.url).host;
    for (let attempt = 1; attempt <= tries; attempt += 1) {
      try {
        const response = await fetch(request.url, {
          method: 'POST',
          headers: wireHeaders(request.headers),
          body: request.body,
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
        });
        await response.body?.cancel();
        if (response.status < 500) {
          if (response.status >= 400) this.options.log?.(`monitor at ${host} answered ${response.status}; check its URL`);
          return;
        }
        this.options.log?.(`monitor at ${host} answered ${response.status} (try ${attempt} of ${tries})`);
      } catch (error) {
        const reason =
          (error as Error).name === 'TimeoutError' ? 'no answer in time' : ((error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message);
        this.options.log?.(`monitor at ${host} not reached: ${reason} (try ${attempt} of ${tries})`);
      }
      if (attempt < tries) await new Promise((resolve) => setTimeout(resolve, (this.options.backoffMs ?? 1000) * attempt));
    }
  }
}
