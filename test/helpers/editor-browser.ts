import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, launchChromium } from './browser-page.ts';
import { PROJECT_ROOT, type Setup, writeSetup } from './lifeboat.ts';
import { waitFor } from './processes.ts';
import { type Served, startServe } from './serve.ts';
import { tempDir } from './temp.ts';

const built = existsSync(join(PROJECT_ROOT, 'dist', 'renderer', 'index.html'));
/** Why a browser test cannot run here, or false. */
export const browserSkip = (!existsSync(CHROMIUM) && 'Debian chromium is not installed') || (!built && 'the renderer is not built (vite build)');

export interface EditorSession {
  root: string;
  setup: Setup;
  served: Served;
  browser: Browser;
  page: Page;
  errors: string[];
  /** Another page in the same browser, logged in to the same serve. */
  newPage: () => Promise<Page>;
}

/** `lifeboat serve` with the given plans (one local repository), and one Chromium page logged in. */
export async function openSession(t: TestContext, plans: Array<Record<string, unknown>>): Promise<EditorSession> {
  const root = await tempDir(t);
  const setup = await writeSetup(join(root, 'setup'), plans);
  const served = await startServe(t, setup);
  const browser = await launchChromium(t);
  const errors: string[] = [];
  const newPage = async () => {
    const page = await browser.newPage({ viewport: { width: 1180, height: 900 } });
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${served.base}#token=${served.token}`);
    return page;
  };
  const page = await newPage();
  return { root, setup, served, browser, page, errors, newPage };
}

/** Opens the plan editor of one plan and waits for its form. */
export async function openPlan(page: Page, planId: string): Promise<void> {
  await page.evaluate(`window.location.hash = ${JSON.stringify(`#/plans/${planId}`)}`);
  await page.getByRole('heading', { name: /^Plan: / }).waitFor();
}

/** Clicks Save and waits until the page says so and the file on disk has changed; returns the config written. */
// biome-ignore lint/suspicious/noExplicitAny: the test reads the JSON the file holds
export async function saveAndRead(session: EditorSession, page = session.page): Promise<any> {
  const before = await readFile(session.setup.configFile, 'utf8');
  await page.getByRole('button', { name: 'Save plan' }).first().click();
  await page.getByRole('status').getByText('Saved.').waitFor();
  let text = before;
  await waitFor(async () => {
    text = await readFile(session.setup.configFile, 'utf8');
    return text !== before;
  }, 'the config file to change');
  return JSON.parse(text);
}
