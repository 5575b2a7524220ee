// Renders the tray and app icons from SVG with Chromium: `node scripts/make-icons.ts`.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const OUT = join(import.meta.dirname, '..', 'assets', 'icons');
const BOAT = '<path d="M12 2v12M12 3l7 9h-7" fill="none" stroke="COLOR" stroke-width="2" stroke-linejoin="round"/><path d="M3 15h18l-3 5H6z" fill="COLOR"/>';
const BADGES: Record<string, string> = {
  idle: '',
  running: '<circle cx="19" cy="6" r="4.5" fill="#2f81f7"/><path d="M17.2 6h3.6M19 4.2v3.6" stroke="#fff" stroke-width="1.4"/>',
  warning: '<path d="M19 1.5l4.5 8h-9z" fill="#d29922"/><path d="M19 4.2v2.6M19 7.8v.3" stroke="#fff" stroke-width="1.2"/>',
  error: '<circle cx="19" cy="6" r="4.5" fill="#e5534b"/><path d="M17.3 4.3l3.4 3.4M20.7 4.3l-3.4 3.4" stroke="#fff" stroke-width="1.4"/>',
  paused: '<circle cx="19" cy="6" r="4.5" fill="#8b949e"/><path d="M17.8 4.2v3.6M20.2 4.2v3.6" stroke="#fff" stroke-width="1.4"/>',
};
const THEMES = { dark: '#1f2328', light: '#f0f3f6' };

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
const page = await browser.newPage();
async function render(svg: string, size: number, file: string): Promise<void> {
  await page.setViewportSize({ width: size, height: size });
  await page.setContent(
    `<html><body style="margin:0;background:transparent"><svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 24 24">${svg}</svg></body></html>`,
  );
  await writeFile(join(OUT, file), await page.screenshot({ omitBackground: true }));
}
for (const [state, badge] of Object.entries(BADGES)) {
  for (const [theme, color] of Object.entries(THEMES)) {
    const svg = BOAT.replaceAll('COLOR', color) + badge;
    await render(svg, 22, `tray-${state}-${theme}.png`);
    await render(svg, 44, `tray-${state}-${theme}@2x.png`);
  }
}
const appIcon = `<rect width="24" height="24" rx="5" fill="#0b6bcb"/><g transform="translate(2.4 2.4) scale(0.8)">${BOAT.replaceAll('COLOR', '#ffffff')}</g>`;
for (const size of [256, 512]) await render(appIcon, size, `app-${size}.png`);
await browser.close();
console.log(`icons written to ${OUT}`);
