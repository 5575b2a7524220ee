import { hostname } from 'node:os';
import type { Engine } from '../engine.ts';
import type { RunEvent } from '../runs/run-state.ts';
import { currentExposition } from './plan-metrics.ts';
import { type MetricsPusher, pushTarget } from './pushgateway.ts';

/**
 * The engine's listener that pushes every plan's metrics to `settings.metrics.pushgateway` when a
 * backup run ends (in whichever process ran it: the daemon, serve, the app or `lifeboat run`).
 * The push happens after the run is recorded and told; it cannot change the run.
 */
export function pushAfterEachRun(engine: Engine, pusher: MetricsPusher): (event: RunEvent) => void {
  return (event) => {
    if (event.type !== 'run-ended' || (event.run.kind ?? 'backup') !== 'backup') return;
    const gateway = engine.config.settings.metrics.pushgateway;
    if (!gateway) return;
    pusher.push(pushTarget(gateway, hostname()), () => currentExposition(engine));
  };
}
