import type { MenuItemConstructorOptions } from 'electron';
import type { PlanSummary } from '../api/contract.ts';

export type TrayIcon = 'idle' | 'running' | 'warning' | 'error' | 'paused';

export interface TrayState {
  icon: TrayIcon;
  tooltip: string;
  statusLine: string;
}

function ago(iso: string, now: Date): string {
  const minutes = Math.round((now.getTime() - Date.parse(iso)) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}

function clock(iso: string, now: Date): string {
  const date = new Date(iso);
  const time = `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
  return date.toDateString() === now.toDateString() ? time : `${date.toLocaleDateString(undefined, { weekday: 'short' })} ${time}`;
}

/** What the tray shows, from the plans: running beats paused beats error beats warning (a stale plan first) beats idle. */
export function trayState(plans: PlanSummary[], paused: { until: string | null } | null, now = new Date()): TrayState {
  const running = plans.filter((plan) => plan.running);
  const last = plans
    .map((plan) => plan.lastRun)
    .filter((run) => run !== null && run.status !== 'running')
    .sort((a, b) => (a!.startedAt < b!.startedAt ? 1 : -1))[0];
  const next = plans
    .map((plan) => plan.nextRuns[0])
    .filter((time): time is string => Boolean(time))
    .sort()[0];
  const lastText = last ? `Last backup ${ago(last.startedAt, now)}` : 'No backup yet';
  const nextText = paused ? (paused.until ? `paused until ${clock(paused.until, now)}` : 'paused') : next ? `next ${clock(next, now)}` : 'nothing scheduled';
  const failing = plans.filter((plan) => plan.lastRun?.status === 'failure');
  const warning = plans.filter((plan) => plan.lastRun?.status === 'warning');
  if (running.length > 0) {
    const percent = running[0]?.progress ? ` ${Math.round(running[0].progress.percent * 100)} %` : '';
    const text = `Backing up ${running.map((plan) => plan.name).join(', ')}${percent}`;
    return { icon: 'running', tooltip: `${text} · ${nextText}`, statusLine: text };
  }
  if (paused) return { icon: 'paused', tooltip: `${lastText} · ${nextText}`, statusLine: `Paused${paused.until ? ` until ${clock(paused.until, now)}` : ''}` };
  if (failing.length > 0) {
    return {
      icon: 'error',
      tooltip: `${failing.map((plan) => plan.name).join(', ')} failed · ${nextText}`,
      statusLine: `${failing[0]!.name}: ${failing[0]!.lastRun?.reason ?? 'failed'}`,
    };
  }
  const stale = plans.filter((plan) => plan.stale);
  if (stale.length > 0) return { icon: 'warning', tooltip: `${stale[0]!.stale!.sentence} · ${nextText}`, statusLine: stale[0]!.stale!.sentence };
  if (warning.length > 0)
    return { icon: 'warning', tooltip: `${lastText} · ${nextText}`, statusLine: `${warning[0]!.name}: ${warning[0]!.lastRun?.reason ?? 'warning'}` };
  return { icon: 'idle', tooltip: `${lastText} · ${nextText}`, statusLine: `${lastText}` };
}

export interface TrayActions {
  backUpNow(planId: string): void;
  pause(choice: '1h' | 'tomorrow' | 'indefinitely'): void;
  resume(): void;
  openWindow(): void;
  showLastLog(): void;
  quit(): void;
}

/** The tray menu (SPEC §9): status, Back up now per plan, Pause, Open, Show last log, Quit. */
export function trayMenu(state: TrayState, plans: PlanSummary[], paused: boolean, actions: TrayActions): MenuItemConstructorOptions[] {
  return [
    { id: 'status', label: state.statusLine, enabled: false },
    { type: 'separator' },
    {
      id: 'back-up-now',
      label: 'Back up now',
      submenu: plans.length
        ? plans.map((plan) => ({ id: `back-up:${plan.id}`, label: plan.name, enabled: !plan.running, click: () => actions.backUpNow(plan.id) }))
        : [{ label: 'No plans yet', enabled: false }],
    },
    {
      id: 'pause',
      label: 'Pause',
      submenu: [
        { id: 'pause:1h', label: 'For 1 hour', enabled: !paused, click: () => actions.pause('1h') },
        { id: 'pause:tomorrow', label: 'Until tomorrow', enabled: !paused, click: () => actions.pause('tomorrow') },
        { id: 'pause:indefinitely', label: 'Until I resume', enabled: !paused, click: () => actions.pause('indefinitely') },
        { type: 'separator' },
        { id: 'resume', label: 'Resume', enabled: paused, click: () => actions.resume() },
      ],
    },
    { type: 'separator' },
    { id: 'open', label: 'Open Lifeboat…', click: () => actions.openWindow() },
    { id: 'last-log', label: 'Show last log', click: () => actions.showLastLog() },
    { type: 'separator' },
    { id: 'quit', label: 'Quit', click: () => actions.quit() },
  ];
}
