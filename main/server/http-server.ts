import { timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { hostname, networkInterfaces } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { ApiError } from '../api/api-error.ts';
import type { Api } from '../api/router.ts';
import { parseJsonBody } from './json-body.ts';
import { serveMetrics } from './metrics-route.ts';
import { CODE_TTL_MS, Sessions } from './sessions.ts';

export const MAX_BODY_BYTES = 1024 * 1024;

export interface ServerOptions {
  api: Api;
  host: string;
  port: number;
  token: string;
  /** The built renderer (index.html and assets), if there is one. */
  staticDir: string | undefined;
  log?: ((line: string) => void) | undefined;
  /** The clock for one-time sign-in codes (tests pass a fake one). */
  now?: (() => number) | undefined;
  /** The Prometheus exposition `/metrics` answers (with the token only); no `/metrics` without it. */
  metrics?: (() => Promise<string>) | undefined;
  /** `settings.metrics.loopbackWithoutToken`, asked per request: loopback may scrape `/metrics` without the token. */
  metricsWithoutToken?: (() => boolean) | undefined;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; object-src 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
};

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}

function refuse(response: ServerResponse, status: number, code: string, message: string): void {
  sendJson(response, status, { error: { status, code, message } });
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const expected = Buffer.from(`Bearer ${token}`);
  const given = Buffer.from(header ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** `/metrics`, with or without a query (Prometheus adds none, a person might). */
function metricsPath(requestUrl: string | undefined): boolean {
  return /^\/metrics(?:\?|$)/.test(requestUrl ?? '');
}

function isLoopback(address: string | undefined): boolean {
  return address !== undefined && (address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.'));
}

function decodable(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false; // broken percent-encoding
  }
}

async function readBody(request: IncomingMessage): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new ApiError(413, 'too-large', `The request is larger than ${MAX_BODY_BYTES} bytes.`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/**
 * The names a request may give in its Host header, with the port: loopback's, the address served
 * on, and, served on every address (0.0.0.0, ::), this computer's own addresses and name, as a
 * browser elsewhere on the network names it. Any other name that leads here is refused: that is
 * how a page from another site would reach Lifeboat (DNS rebinding). Asked per request, as
 * addresses change (a new network).
 */
function acceptedHosts(bound: string, port: number): Set<string> {
  const bracketed = (address: string) => (address.includes(':') ? `[${address}]` : address);
  const everywhere = bound === '0.0.0.0' || bound === '::';
  const own = everywhere
    ? [
        ...Object.values(networkInterfaces())
          .flat()
          .flatMap((entry) => (entry ? [bracketed(entry.address)] : [])),
        hostname(),
      ]
    : [bracketed(bound)];
  return new Set(['127.0.0.1', 'localhost', '[::1]', ...own].map((name) => `${name.toLowerCase()}:${port}`));
}

/**
 * The API contract over HTTP: calls are `POST /api/call/<name>` with JSON, events a
 * server-sent stream at `/api/events`. Every API request needs the token in the
 * Authorization header, or the session cookie a one-time code bought (`/auth?code=…`,
 * minted by `POST /api/session-code` with the token). The cookie is HttpOnly and
 * SameSite=Strict and counts only on same-origin requests; requests from another origin and
 * with a foreign Host header (DNS rebinding) are refused either way.
 */
export function startServer(options: ServerOptions): Promise<RunningServer> {
  let port = options.port;
  const allowedHosts = () => acceptedHosts(options.host, port);
  const sessions = new Sessions(options.now);
  const linkBase = () => {
    const host = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
    return `http://${host.includes(':') ? `[${host}]` : host}:${port}/`;
  };
  // Cookies are not told apart by port: each server has its own name.
  const cookieName = () => `lifeboat-session-${port}`;

  const server = createServer(async (request, response) => {
    try {
      const host = request.headers.host ?? '';
      // A scraper on the LAN names this machine as it knows it: /metrics checks its token (or loopback) itself.
      if (options.metrics && metricsPath(request.url)) {
        const loopbackHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
        const openToLoopback = (options.metricsWithoutToken?.() ?? false) && isLoopback(request.socket.remoteAddress) && loopbackHosts.has(host);
        return await serveMetrics(request, response, options.token, options.metrics, { withoutToken: openToLoopback });
      }
      const accepted = allowedHosts();
      if (!accepted.has(host.toLowerCase())) {
        refuse(
          response,
          403,
          'wrong-host',
          `Requests must name this computer (${[...accepted].join(', ')}). Another name that leads here is refused: a page from another site could use one to reach Lifeboat.`,
        );
        return;
      }
      const url = URL.parse(request.url ?? '/', `http://${host}`);
      if (!url || !decodable(url.pathname)) {
        refuse(response, 400, 'bad-url', 'The address is not valid (a % must be followed by two hex digits of valid UTF-8).');
        return;
      }
      if (url.pathname === '/auth' && request.method === 'GET') {
        signIn(url.searchParams.get('code') ?? '', response);
        return;
      }
      if (!url.pathname.startsWith('/api/')) {
        await serveStatic(url.pathname, response);
        return;
      }
      const origin = request.headers.origin;
      if (origin !== undefined && origin !== `http://${host}`) {
        refuse(response, 403, 'cross-origin', 'Requests from other sites are refused.');
        return;
      }
      const byToken = tokenMatches(request.headers.authorization, options.token);
      if (!byToken && !sessionAllowed(request, origin, host)) {
        refuse(
          response,
          401,
          'no-token',
          'Sign in first: run "lifeboat open" (it opens a one-time sign-in link), or send the token from the serve-token file as Authorization: Bearer <token>.',
        );
        return;
      }
      if (url.pathname === '/api/session-code' && request.method === 'POST') {
        // Only the token mints codes: a browser session cannot make more sessions.
        if (!byToken) {
          refuse(response, 401, 'no-token', 'A sign-in code needs the token (Authorization: Bearer <token>).');
          return;
        }
        const code = sessions.mintCode();
        sendJson(response, 200, { code, url: `${linkBase()}auth?code=${code}`, expiresInSeconds: CODE_TTL_MS / 1000 });
        return;
      }
      if (url.pathname === '/api/session' && request.method === 'GET') {
        sendJson(response, 200, { ok: true });
        return;
      }
      if (url.pathname === '/api/events' && request.method === 'GET') {
        streamEvents(request, response);
        return;
      }
      const call = /^\/api\/call\/([a-z]+\.[a-zA-Z]+)$/.exec(url.pathname);
      if (!call || request.method !== 'POST') {
        refuse(response, 404, 'not-found', 'There is no such API endpoint.');
        return;
      }
      if (!(request.headers['content-type'] ?? '').startsWith('application/json')) {
        refuse(response, 415, 'json-only', 'Send JSON (Content-Type: application/json).');
        return;
      }
      const input = parseJsonBody(await readBody(request));
      sendJson(response, 200, await options.api.receive(call[1]!, input));
    } catch (error) {
      if (error instanceof ApiError) {
        sendJson(response, error.status, {
          error: { status: error.status, code: error.code, message: error.message, ...(error.problems ? { problems: error.problems } : {}) },
        });
        return;
      }
      options.log?.(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (!response.headersSent) refuse(response, 500, 'internal', 'Lifeboat hit an internal error; the server log has the details.');
      else response.end();
    }
  });

  /** A session cookie counts only where a browser sent it itself: this site, this host, never a cross-site request. */
  function sessionAllowed(request: IncomingMessage, origin: string | undefined, host: string): boolean {
    if (!sessions.isSession(cookieValue(request.headers.cookie, cookieName()))) return false;
    const site = request.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin') return false;
    // Browsers send Origin with every POST; a cookie on a POST without it did not come from this page.
    if (request.method !== 'GET' && origin !== `http://${host}`) return false;
    return true;
  }

  function signIn(code: string, response: ServerResponse): void {
    const session = code ? sessions.redeem(code) : undefined;
    if (!session) {
      response.writeHead(403, { ...SECURITY_HEADERS, 'Content-Type': 'text/html; charset=utf-8' });
      response.end(
        '<!doctype html><title>Lifeboat</title><p>This sign-in link was already used or has expired (links work once, for 60 seconds). Run <code>lifeboat open</code> again.</p>',
      );
      return;
    }
    response.writeHead(303, {
      ...SECURITY_HEADERS,
      'Set-Cookie': `${cookieName()}=${session}; HttpOnly; SameSite=Strict; Path=/`,
      Location: '/',
    });
    response.end();
  }

  function streamEvents(request: IncomingMessage, response: ServerResponse): void {
    response.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
    response.write(': connected\n\n');
    const unsubscribe = options.api.subscribe((event) => {
      response.write(`event: ${event.name}\ndata: ${JSON.stringify(event.payload)}\n\n`);
    });
    const keepAlive = setInterval(() => response.write(': keep-alive\n\n'), 25_000);
    request.on('close', () => {
      clearInterval(keepAlive);
      unsubscribe();
    });
  }

  async function serveStatic(pathname: string, response: ServerResponse): Promise<void> {
    if (!options.staticDir) {
      response.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/html; charset=utf-8' });
      response.end(
        '<!doctype html><title>Lifeboat</title><p>The browser UI is not built yet. Run <code>npm run build</code>, then start <code>lifeboat serve</code> again.</p>',
      );
      return;
    }
    const root = resolve(options.staticDir);
    const relative = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
    const file = resolve(join(root, normalize(relative)));
    if (!file.startsWith(root + sep)) {
      refuse(response, 404, 'not-found', 'Not found.');
      return;
    }
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) {
      refuse(response, 404, 'not-found', 'Not found.');
      return;
    }
    response.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' });
    response.end(await readFile(file));
  }

  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      const address = server.address();
      port = typeof address === 'object' && address ? address.port : options.port;
      const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host;
      resolvePromise({
        url: `http://${shownHost}:${port}/`,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
