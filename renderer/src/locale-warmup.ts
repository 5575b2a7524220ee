/**
 * The first date formatter a page makes loads the locale's data: 50–200 ms of the main thread
 * (more on a busy machine). That data is shared by the page's whole process, so a worker loads it
 * while the page's code starts and its first answers are on their way; when the dashboard draws
 * its first date, the data is there. main.tsx imports this module first, so it runs before React's
 * code is evaluated. Where no worker can start, the first date loads the data, as it did before.
 */
try {
  const worker = new Worker(new URL('./locale-worker.ts', import.meta.url), { type: 'module' });
  const done = () => worker.terminate();
  worker.addEventListener('message', done);
  worker.addEventListener('error', done);
} catch {
  // No workers here, or not allowed: the first formatted date loads the data instead.
}
