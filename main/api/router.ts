import { AsyncLocalStorage } from 'node:async_hooks';
import { readRawConfig } from '../core/config/edit.ts';
import type { Engine } from '../core/engine.ts';
import type { Scheduler } from '../core/schedule/scheduler.ts';
import { ApiError, asApiError } from './api-error.ts';
import { type AnyEvent, type CallInput, type CallName, type CallOutput, calls, isCallName } from './contract.ts';
import { appHandlers } from './handlers/app.ts';
import { changeHandlers } from './handlers/changes.ts';
import { chartHandlers } from './handlers/charts.ts';
import { configHandlers } from './handlers/config.ts';
import { type CheckedInput, type DesktopActions, type Handler, type HandlerContext, type Handlers, zodProblems } from './handlers/context.ts';
import { fileHandlers } from './handlers/files.ts';
import { historyHandlers } from './handlers/history.ts';
import { hookHandlers } from './handlers/hooks.ts';
import { importHandlers } from './handlers/import.ts';
import { onboardingHandlers } from './handlers/onboarding.ts';
import { planHandlers } from './handlers/plans.ts';
import { repositoryHandlers } from './handlers/repositories.ts';
import { retentionHandlers } from './handlers/retention.ts';
import { scheduleHandlers } from './handlers/schedule.ts';
import { settingsHandlers } from './handlers/settings.ts';
import { snapshotHandlers } from './handlers/snapshots.ts';
import { forwardRunEvents } from './run-events.ts';

export { ApiError } from './api-error.ts';
export type { DesktopActions } from './handlers/context.ts';

export interface ApiContext {
  engine: Engine;
  scheduler: Scheduler;
  version: string;
  /** True in the desktop app (folder pickers, notifications through Electron). */
  desktop: boolean;
  /** What only the desktop app can do; absent in `serve`. */
  desktopActions?: DesktopActions | undefined;
}

export interface Api {
  /** One call of the contract, typed end to end; the input is checked against the contract all the same. */
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>>;
  /** A call as a transport receives it (an HTTP body, an IPC message): the name and the input are checked first. */
  receive(name: string, input: unknown): Promise<unknown>;
  subscribe(listener: (event: AnyEvent) => void): () => void;
}

/**
 * The calls that read the config and write it back, often after a wait (restic init, a password
 * checked against the repository): one at a time, so each reads what the one before wrote. Two
 * tabs setting up at once had made one repository twice, with two passwords, and lost a plan.
 * `saveConfig` outside one of them is a fault of the code, said at once.
 */
const CONFIG_EDITS: ReadonlySet<CallName> = new Set<CallName>([
  'onboarding.setup',
  'config.save',
  'config.import',
  'plans.addExclude',
  'plans.delete',
  'repositories.create',
  'repositories.update',
  'repositories.remove',
  'settings.update',
  'settings.updateMetrics',
]);

/** The contract mapped onto the engine and the scheduler, one handler file per namespace; every input validated on arrival. */
export function createApi(options: ApiContext): Api {
  const { engine, scheduler } = options;
  const listeners = new Set<(event: AnyEvent) => void>();
  const publish = (event: AnyEvent) => {
    for (const listener of listeners) listener(event);
  };
  const runs = forwardRunEvents(engine, publish);
  engine.onStaleChange(() => publish({ name: 'status.changed', payload: {} }));
  // A run's changes stored (after the run, or for its page): the dashboard's list now carries its line.
  engine.changes.onStored(() => publish({ name: 'status.changed', payload: {} }));
  const editing = new AsyncLocalStorage<true>();
  let lastEdit: Promise<unknown> = Promise.resolve();
  const oneEditAtATime = <T>(work: () => Promise<T>): Promise<T> => {
    const next = lastEdit.then(
      () => editing.run(true, work),
      () => editing.run(true, work),
    );
    lastEdit = next.catch(() => undefined);
    return next;
  };
  const context: HandlerContext = {
    ...options,
    publish,
    progress: runs.progress,
    rawConfig: () => readRawConfig(engine.rawConfig),
    saveConfig: async (config, { revision } = {}) => {
      if (!editing.getStore()) throw new Error('saveConfig was called outside a config edit: add the call to CONFIG_EDITS (main/api/router.ts)');
      await engine.saveConfig(config, { revision });
      await scheduler.configChanged();
      publish({ name: 'status.changed', payload: {} });
    },
  };
  const handlers: Handlers = {
    ...appHandlers(context),
    ...configHandlers(context),
    ...importHandlers(context),
    ...onboardingHandlers(context),
    ...planHandlers(context),
    ...scheduleHandlers(context),
    ...hookHandlers(context),
    ...historyHandlers(context),
    ...snapshotHandlers(context),
    ...fileHandlers(context),
    ...repositoryHandlers(context),
    ...settingsHandlers(context),
    ...changeHandlers(context),
    ...retentionHandlers(context),
    ...chartHandlers(context),
  };

  async function dispatch<N extends CallName>(name: N, input: unknown): Promise<CallOutput<N>> {
    const parsed = calls[name].input.safeParse(input ?? {}, { reportInput: true });
    if (!parsed.success) throw new ApiError(400, 'invalid-input', `The input of ${name} is not valid.`, zodProblems(parsed.error));
    const handler: Handler<N> = handlers[name];
    try {
      const work = () => handler(parsed.data as CheckedInput<N>);
      return await (CONFIG_EDITS.has(name) ? oneEditAtATime(work) : work());
    } catch (error) {
      throw asApiError(error);
    }
  }

  return {
    call: (name, input) => dispatch(name, input),
    async receive(name, input) {
      if (!isCallName(name)) throw new ApiError(404, 'unknown-call', `There is no call "${name}".`);
      return dispatch(name, input);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
