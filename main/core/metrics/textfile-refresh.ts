import type { Engine } from '../engine.ts';
import { errorMessage } from '../util/errors.ts';
import { currentExposition } from './plan-metrics.ts';
import { writeTextfile } from './textfile.ts';

/**
 * Keeps `DIR/lifeboat.prom` current for node_exporter: written now (a folder that is not there
 * fails here, at start), again after every run that ends, and every minute besides (a plan added
 * to the config shows up, and the file's age tells that the daemon still runs). Returns the
 * stop, which waits for a write under way.
 */
export async function keepTextfileCurrent(
  engine: Engine,
  folder: string,
  log: (line: string) => void,
  options: { everyMs?: number | undefined } = {},
): Promise<() => Promise<void>> {
  const file = await writeTextfile(folder, await currentExposition(engine));
  log(`metrics: writing ${file} after every run`);
  let writing: Promise<void> = Promise.resolve();
  let failing = false;
  const refresh = () => {
    writing = writing
      .then(async () => {
        await writeTextfile(folder, await currentExposition(engine));
        failing = false;
      })
      .catch((error) => {
        if (!failing) log(`metrics: ${file} could not be written: ${errorMessage(error)}`); // told once, not every minute
        failing = true;
      });
  };
  const unsubscribe = engine.subscribe((event) => {
    if (event.type === 'run-ended') refresh();
  });
  const timer = setInterval(refresh, options.everyMs ?? 60_000);
  timer.unref();
  return async () => {
    clearInterval(timer);
    unsubscribe();
    await writing;
  };
}
