import assert from 'node:assert/strict';
import { test } from 'node:test';
import { launchChromium, skipBrowser } from '../helpers/browser-page.ts';
import { writeSetup } from '../helpers/lifeboat.ts';
import { startServe } from '../helpers/serve.ts';
import { tempDir } from '../helpers/temp.ts';

const HOSTILE_NAME = `<img src=x onerror="alert(1)"> "Tom's" $(rm -rf ~) & more`;

test('in a real browser, the first screen asks for its data once, draws every card with its real content, and a refused token shows how to sign in', {
  skip: skipBrowser(),
  timeout: 120_000,
}, async (t) => {
  const root = await tempDir(t);
  const plans = [
    { id: 'docs', name: 'Documents', sources: ['/tmp/docs'], schedule: { cron: '30 2 * * *' } },
    { id: 'hostile', name: HOSTILE_NAME, sources: ['/tmp/a b'], schedule: { cron: '0 12 * * *' } },
    { id: 'photos', name: 'Photos', sources: ['/tmp/photos'] },
  ];
  const setup = await writeSetup(root, plans);
  const served = await startServe(t, setup);
  const browser = await launchChromium(t);

  const page = await browser.newPage();
  page.setDefaultTimeout(30_000);
  const asked: string[] = [];
  const problems: string[] = [];
  page.on('request', (request) => asked.push(new URL(request.url()).pathname));
  page.on('pageerror', (error) => problems.push(error.message));
  // A script or worker the page's Content-Security-Policy refused is told here ("Refused to …"); a
  // missing favicon or a dropped event stream is not this test's business.
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(message.text());
  });
  await page.goto(`${served.base}#token=${served.token}`);
  for (const plan of plans) await page.getByRole('heading', { name: plan.name, exact: true }).waitFor();

  assert.equal(await page.locator('article.plan').count(), plans.length);
  const hostile = page.locator('article[aria-labelledby="plan-hostile"]');
  assert.equal(await hostile.getByRole('heading').textContent(), HOSTILE_NAME, 'the name is text, never markup');
  assert.equal(await page.locator('article.plan img').count(), 0);
  assert.match((await hostile.textContent()) ?? '', /\/tmp\/a b/);
  // "Next" is a date in the browser's words, made by the date formatter the page prepared as it started.
  const next = await page.locator('article[aria-labelledby="plan-docs"] dt:text-is("Next") + dd').textContent();
  assert.match(next ?? '', /\d{4}/);
  assert.equal(await hostile.getByRole('link', { name: 'History' }).getAttribute('href'), '#/history?plan=hostile');
  await hostile.getByRole('button', { name: 'Back up now' }).waitFor();

  const count = (path: string) => asked.filter((each) => each === path).length;
  assert.equal(count('/api/call/app.status'), 1, 'app.status once');
  assert.equal(count('/api/call/plans.list'), 1, 'plans.list once: the dashboard takes the answer asked for as the page started');
  assert.equal(count('/api/session'), 0, 'an answered app.status proves the session: no separate check');
  assert.ok(
    asked.some((path) => /\/assets\/locale-worker-[^/]*\.js$/.test(path)),
    'the worker that loads the date data started (the page is allowed to start it)',
  );
  assert.deepEqual(problems, []);
  // The dashboard needs no script beyond those index.html names: the entry, and the start chunk it
  // preloads at once (vite.config.ts) rather than when main.tsx asks for it.
  const html = await (await fetch(served.base)).text();
  const named = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+\.js)"/g)].map((match) => `/${match[1]}`);
  assert.ok(
    named.some((path) => /\/assets\/start-app-[^/]*\.js$/.test(path)),
    `index.html preloads the start chunk: ${named.join(', ')}`,
  );
  const scripts = asked.filter((path) => path.endsWith('.js') && !/\/locale-worker-/.test(path));
  assert.deepEqual([...new Set(scripts)].sort(), [...new Set(named)].sort(), 'the first screen loads the scripts index.html names, and no other');

  const refused = await browser.newPage();
  const refusedAsked: string[] = [];
  refused.on('request', (request) => refusedAsked.push(new URL(request.url()).pathname));
  await refused.goto(`${served.base}#token=not-the-token`);
  await refused.getByText('This browser is not signed in').waitFor();
  assert.match((await refused.textContent('main')) ?? '', /lifeboat open/);
  assert.ok(refusedAsked.includes('/api/session'), 'a refused app.status asks whether this browser is signed in');
  assert.equal(await refused.locator('article.plan').count(), 0);
});
