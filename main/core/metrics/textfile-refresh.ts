import type { Engine } from '../engine.ts';
import { errorMessage } from '../util/errors.ts';
import { currentExposition } from './plan-metrics.ts';
import { checkTextfileFolder, TEXTFILE_NAME, writeTextfile } from './textfile.ts';

/**
 * Keeps `DIR/lifeboat.prom` current for node_exporter: written now (a folder that is not there
 * fails here, at start), again after every run that ends, and every minute besides (a plan added
 * to the config shows up, and the file's age tells that the daemon still runs). A write that
 * fails is told once in the log. Returns the stop, which waits for a write under way.
 *
 * `folder` is a fixed folder (the `--textfile` flag), or a function asked before every write
 * (`settings.metrics.textfile`, which may change while the process runs): then a folder that is
 * missing is told in the log, never a reason to stop.
 */
export async function keepTextfileCurrent(
  engine: Engine,
  folder: string | (() => string | undefined),
  log: (line: string) => void,
  options: { everyMs?: number | undefined } = {},
): Promise<() => Promise<void>> {
  const current = typeof folder === 'string' ? () => folder : folder;
  let told: string | undefined;
  let failing: string | undefined;
  const write = async () => {
    const where = current();
    if (where === undefined) return;
    const file = await writeTextfile(where, await currentExposition(engine));
    if (told !== file) log(`metrics: writing ${file} after every run`);
    told = file;
    failing = undefined;
  };
  const tell = (error: unknown) => {
    const where = current() ?? '';
    if (failing !== where) log(`metrics: ${where}/${TEXTFILE_NAME} could not be written: ${errorMessage(error)}`); // told once, not every minute
    failing = where;
  };
  // Only a missing folder (a mistyped --textfile) stops the start. Other trouble (a folder not
  // writable, lifeboat.prom a folder) can be put right while the scheduler runs: told, never a
  // reason to stop it (under systemd that would be a restart loop).
  if (typeof folder === 'string') {
    await checkTextfileFolder(folder);
    await write().catch(tell);
  }
  let writing: Promise<void> = Promise.resolve();
  const refresh = () => {
    writing = writing.then(write).catch(tell);
  };
  if (typeof folder !== 'string') refresh();
  const unsubscribe = engine.subscribe(
    (event) => {
      if (event.type === 'run-ended') refresh();
    },
    { output: false },
  );
  const timer = setInterval(refresh, options.everyMs ?? 60_000);
  timer.unref();
  return async () => {
    clearInterval(timer);
    unsubscribe();
    await writing;
  };
}

/** The textfile folder a long-running process keeps: the `--textfile` flag wins over `settings.metrics.textfile`. */
export function textfileFolder(engine: Engine, flag: string | undefined): string | (() => string | undefined) {
  return flag ?? (() => engine.config.settings.metrics.textfile);
}
