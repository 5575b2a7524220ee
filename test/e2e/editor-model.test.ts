import { test } from 'node:test';
import { browserSkip, openSession } from '../helpers/editor-browser.ts';
import { initialState, planJson, runModel } from '../helpers/editor-model.ts';

const RUNS = Number(process.env.LIFEBOAT_MODEL_RUNS ?? 100);

test(`random edit sequences in the plan and hook editors (${RUNS} of them) save exactly what the model expects, by identity`, {
  skip: browserSkip,
  timeout: 20 * 60_000,
}, async (t) => {
  const session = await openSession(t, [planJson(initialState())]);
  session.page.setDefaultTimeout(8000);
  await runModel(session, RUNS);
  if (session.errors.length) throw new Error(`script errors in the page: ${session.errors.join('; ')}`);
});
