import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { PROJECT_ROOT } from './lifeboat.ts';
import type { Served } from './serve.ts';

export const CHROMIUM = '/usr/bin/chromium';

/** Why a browser test cannot run here, or false. */
export function skipBrowser(): string | false {
  if (!existsSync(CHROMIUM)) return 'Debian chromium is not installed';
  if (!existsSync(join(PROJECT_ROOT, 'dist', 'renderer', 'index.html'))) return 'the renderer is not built (npm run build)';
  return false;
}

/** Debian's Chromium, headless and offline, closed when the test ends. */
export async function launchChromium(t: TestContext): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
  t.after(() => browser.close());
  return browser;
}

/** Chromium on the served UI, signed in with the token; `report` prints the page and serve's output, then rethrows. */
export async function openBrowser(t: TestContext, served: Served): Promise<{ page: Page; errors: string[]; report: (error: unknown) => Promise<never> }> {
  const browser = await launchChromium(t);
  const page = await browser.newPage({ viewport: { width: 1180, height: 900 } });
  page.setDefaultTimeout(30_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${served.base}#token=${served.token}`);
  const report = async (error: unknown): Promise<never> => {
    const text = await page
      .locator('main')
      .innerText({ timeout: 2000 })
      .catch(() => '(no page text)');
    console.log(`The page when the browser test failed (${page.url()}):\n${text.slice(0, 4000)}\n--- serve said:\n${served.output().slice(-3000)}`);
    throw error;
  };
  return { page, errors, report };
}

/**
 * The text a person sees in an element, read once the browser has drawn it. A dashboard card is
 * `content-visibility: auto`: until its first frame its words are not laid out, and `innerText`
 * reads '' although the element is there and counts as visible.
 */
export async function drawnText(locator: Locator): Promise<string> {
  await locator.scrollIntoViewIfNeeded();
  return locator.evaluate(
    (element: Drawn) =>
      new Promise<string>((resolve) => {
        const frame = (globalThis as unknown as { requestAnimationFrame: (then: () => void) => void }).requestAnimationFrame;
        const read = () => (element.checkVisibility({ contentVisibilityAuto: true }) ? resolve(element.innerText) : frame(read));
        read();
      }),
  );
}

/** What drawnText uses of an element (the tests' types leave out the DOM). */
type Drawn = { innerText: string; checkVisibility(options: { contentVisibilityAuto: boolean }): boolean };
