import { join } from 'node:path';
import { runRoute } from '../api/notification-actions.ts';
import { openInBrowser } from './browser.ts';
import { askForLink } from './commands/open.ts';

/**
 * "Open log" from a headless notification: the browser UI at that run, through the one-time
 * sign-in link `lifeboat open` uses, when `serve` is running; otherwise where the log is.
 */
export async function openRunLog(dataDir: string, env: NodeJS.ProcessEnv, runId: string, planId: string, log: (line: string) => void): Promise<void> {
  const where = runId
    ? `the log of run ${runId} is in ${join(dataDir, 'history', 'logs', `${runId}.json`)} ("lifeboat history ${planId}" lists the runs)`
    : `"lifeboat plans" and "lifeboat history ${planId}" show how ${planId} is doing`;
  const link = await askForLink(dataDir, env).catch(() => undefined);
  if (!link) {
    log(`no browser UI is running ("lifeboat serve" starts one); ${where}`);
    return;
  }
  const opened = await openInBrowser(`${link.url}#${runRoute(runId)}`, env);
  if (opened.ok) log(`opened ${runId ? `run ${runId}` : 'Lifeboat'} in the browser (${link.base})`);
  else log(`could not open a browser: ${opened.why}; ${where}`);
}
