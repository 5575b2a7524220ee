/**
 * The plan and hook editors' model-based browser test, long form: thousands of random edit
 * sequences in one Chromium page against one `lifeboat serve`.
 *
 *   ./node_modules/.bin/vite build --logLevel warn
 *   LIFEBOAT_MODEL_RUNS=5000 ./node_modules/.bin/node scripts/gui-model-long.ts
 *
 * It prints its seed; replay a failure with LIFEBOAT_MODEL_SEED=<seed> (and LIFEBOAT_MODEL_PATH=<path>
 * from the failure to go straight to the failing sequence; LIFEBOAT_MODEL_SHRINK=1 to shrink it).
 */
import { test } from 'node:test';
import { browserSkip, openSession } from '../test/helpers/editor-browser.ts';
import { initialState, planJson, runModel } from '../test/helpers/editor-model.ts';

const RUNS = Number(process.env.LIFEBOAT_MODEL_RUNS ?? 2000);

test(`${RUNS} random edit sequences in the plan and hook editors save exactly what the model expects`, {
  skip: browserSkip,
  timeout: RUNS * 30_000,
}, async (t) => {
  const session = await openSession(t, [planJson(initialState())]);
  session.page.setDefaultTimeout(8000);
  await runModel(session, RUNS);
  if (session.errors.length) throw new Error(`script errors in the page: ${session.errors.join('; ')}`);
});
