import type { Engine } from '../engine.ts';
import { errorMessage } from '../util/errors.ts';
import { currentExposition } from './plan-metrics.ts';
import { writeTextfile } from './textfile.ts';

/**
 * Keeps `DIR/lifeboat.prom` current for node_exporter: written now (a folder that is not there
 * fails here, at start) and again after every run that ends. Returns the stop, which waits for
 * a write under way.
 */
export async function keepTextfileCurrent(engine: Engine, folder: string, log: (line: string) => void): Promise<() => Promise<void>> {
  const file = await writeTextfile(folder, await currentExposition(engine));
  log(`metrics: writing ${file} after every run`);
  let writing: Promise<void> = Promise.resolve();
  const unsubscribe = engine.subscribe((event) => {
    if (event.type !== 'run-ended') return;
    writing = writing
      .then(async () => {
        await writeTextfile(folder, await currentExposition(engine));
      })
      .catch((error) => log(`metrics: ${file} could not be written: ${errorMessage(error)}`));
  });
  return async () => {
    unsubscribe();
    await writing;
  };
}
