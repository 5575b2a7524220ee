import { type FSWatcher, watch } from 'node:fs';
import { basename, dirname } from 'node:path';

export interface ConfigWatch {
  close(): void;
}

/**
 * Calls `onChange` shortly after the config file changes on disk. The folder is watched, not
 * the file: editors and atomic saves replace the file (a rename), which a watch on the file
 * itself would lose. Several events in a row (a save is often a write, a chmod and a rename)
 * make one call. The watch never keeps the process alive on its own.
 */
export function watchConfigFile(
  file: string,
  onChange: () => void,
  options: { debounceMs?: number | undefined; log?: ((line: string) => void) | undefined } = {},
): ConfigWatch {
  const name = basename(file);
  const debounceMs = options.debounceMs ?? 300;
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher;
  try {
    watcher = watch(dirname(file), { persistent: false }, (_event, changed) => {
      if (changed !== null && changed !== name) return;
      clearTimeout(timer);
      timer = setTimeout(onChange, debounceMs);
      timer.unref();
    });
  } catch (error) {
    options.log?.(`Changes to ${file} are not followed (${(error as Error).message}); restart Lifeboat after editing it.`);
    return { close: () => undefined };
  }
  watcher.on('error', (error) => options.log?.(`Changes to ${file} are no longer followed (${error.message}); restart Lifeboat after editing it.`));
  return {
    close: () => {
      clearTimeout(timer);
      watcher.close();
    },
  };
}
