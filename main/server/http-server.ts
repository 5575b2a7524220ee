import { timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { type Api, ApiError } from '../api/router.ts';
import { parseJsonBody } from './json-body.ts';

export const MAX_BODY_BYTES = 1024 * 1024;

export interface ServerOptions {
  api: Api;
  host: string;
  port: number;
  token: string;
  /** The built renderer (index.html and assets), if there is one. */
  staticDir: string | undefined;
  log?: ((line: string) => void) | undefined;
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

/**
 * The API contract over HTTP: calls are `POST /api/call/<name>` with JSON, events a
 * server-sent stream at `/api/events`. Every API request needs the token in the
 * Authorization header (never a cookie, so no other site can ride on it); requests from
 * another origin and with a foreign Host header (DNS rebinding) are refused.
 */
export function startServer(options: ServerOptions): Promise<RunningServer> {
  let port = options.port;
  const allowedHosts = () => new Set([`${options.host}:${port}`, `127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);

  const server = createServer(async (request, response) => {
    try {
      const host = request.headers.host ?? '';
      if (!allowedHosts().has(host)) {
        refuse(response, 403, 'wrong-host', `Requests must be addressed to this server (${options.host}:${port}).`);
        return;
      }
      const url = URL.parse(request.url ?? '/', `http://${host}`);
      if (!url || !decodable(url.pathname)) {
        refuse(response, 400, 'bad-url', 'The address is not valid (a % must be followed by two hex digits of valid UTF-8).');
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
      if (!tokenMatches(request.headers.authorization, options.token)) {
        refuse(response, 401, 'no-token', 'This needs the token printed by "lifeboat serve" (Authorization: Bearer <token>).');
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
      sendJson(response, 200, await options.api.call(call[1]!, input));
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
