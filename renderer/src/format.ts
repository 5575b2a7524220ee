import { formatBytes, formatDuration } from '../../main/api/vocabulary.ts';
import { TIME_FORMAT } from './time-format.ts';

export { formatBytes, formatDuration };

/** Seconds in words ("4 s", "2 min 5 s", "1 h 30 min"): the engine's durations in words. */
export function formatSeconds(seconds: number): string {
  return formatDuration(Math.round(seconds) * 1000);
}

/** Made once: `toLocaleString` with options builds a new formatter on every call, which 200 plan cards feel. */
let time: Intl.DateTimeFormat | undefined;

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—'; // format() throws on an invalid date
  // The first one loads the locale's data; locale-warmup.ts has a worker load it before it is needed.
  time ??= new Intl.DateTimeFormat(undefined, TIME_FORMAT);
  return time.format(date);
}

export function timeAgo(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return 'never';
  const seconds = Math.round((now - Date.parse(iso)) / 1000);
  if (seconds < 60) return 'just now';
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86_400)} d ago`;
}

export function duration(start: string, end: string | null): string {
  if (!end) return '…';
  return formatSeconds((Date.parse(end) - Date.parse(start)) / 1000);
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** What a run's end means, in words: "Skipped: Battery at 18 %, below 30 %". */
export function runOutcome(run: { status: string; reason: string | null }): string {
  const why = run.reason ? `: ${run.reason}` : '';
  switch (run.status) {
    case 'success':
      return 'Backed up';
    case 'warning':
      return `Backed up with a warning${why}`;
    case 'failure':
      return `Failed${why}`;
    case 'skipped':
      return `Skipped${why}`;
    case 'cancelled':
      return `Cancelled${why}`;
    case 'running':
      return 'Backing up now…';
    default:
      return run.status;
  }
}

/** restic's summary of one backup: "3 new and 1 changed files · 1.2 MiB added · took 4 s". */
export function backupResultText(result: { filesNew: number; filesChanged: number; bytesAdded: number; seconds: number }): string {
  return `${result.filesNew} new and ${result.filesChanged} changed ${result.filesNew + result.filesChanged === 1 ? 'file' : 'files'} · ${formatBytes(result.bytesAdded)} added · took ${result.seconds < 1 ? 'under 1 s' : formatSeconds(result.seconds)}`;
}

/**
 * A condition that applies to scheduled runs only is recorded as a skipped step with a
 * "Bypassed:" sentence when a person starts the run: it did not skip the run, it was bypassed.
 */
export function stepOutcome(step: { status: string; output: string }): { badge: string; label: string } {
  if (step.status === 'skipped' && /^(?:\S+ \S+ )?Bypassed:/.test(step.output.trimStart())) return { badge: 'bypassed', label: 'bypassed (started by hand)' };
  return { badge: step.status, label: step.status };
}
