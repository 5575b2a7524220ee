import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { protocol } from 'electron';
import { CSP } from './window.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** Must run before the app is ready: `lifeboat:` is a standard, secure scheme for the renderer. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: 'lifeboat', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** Serves the built renderer from disk under lifeboat://app/, with the CSP on every response. */
export function serveRenderer(rendererDir: string): void {
  const root = resolve(rendererDir);
  protocol.handle('lifeboat', async (request) => {
    const url = new URL(request.url);
    const file = resolve(join(root, normalize(decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname))));
    if (url.host !== 'app' || !file.startsWith(root + sep)) return new Response('Not found', { status: 404 });
    try {
      return new Response(await readFile(file), {
        headers: { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Security-Policy': CSP },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
}
