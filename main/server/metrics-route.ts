import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** What Prometheus expects of a scrape answer (text exposition format 0.0.4). */
export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * `GET /metrics`: the exposition for a scraper that sends the serve token as
 * `Authorization: Bearer <token>` (Prometheus' scrape `authorization`); 401 to anything else.
 * No cookie counts: a browser session is not a scraper. `withoutToken` is the caller's verdict
 * that this request may go without (loopback, with `settings.metrics.loopbackWithoutToken`).
 */
export async function serveMetrics(
  request: IncomingMessage,
  response: ServerResponse,
  token: string,
  exposition: () => Promise<string>,
  options: { withoutToken?: boolean | undefined } = {},
): Promise<void> {
  const plain = { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };
  if (!options.withoutToken && !bearerMatches(request.headers.authorization, token)) {
    response.writeHead(401, { ...plain, 'WWW-Authenticate': 'Bearer' });
    response.end('Send the token from the serve-token file as Authorization: Bearer <token>.\n');
    return;
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { ...plain, Allow: 'GET, HEAD' });
    response.end('Metrics are read with GET.\n');
    return;
  }
  let text: string;
  try {
    text = await exposition();
  } catch {
    response.writeHead(500, plain);
    response.end('The metrics could not be read; see the serve log.\n');
    return;
  }
  response.writeHead(200, { ...plain, 'Content-Type': EXPOSITION_CONTENT_TYPE });
  response.end(request.method === 'HEAD' ? undefined : text);
}

/** Compares digests so the time taken tells nothing of the token, its length included. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return token.length > 0 && timingSafeEqual(digest(header ?? ''), digest(`Bearer ${token}`));
}
