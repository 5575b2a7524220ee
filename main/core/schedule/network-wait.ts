import { Socket } from 'node:net';
import { repositoryEndpoint } from '../conditions/online.ts';

/**
 * After a wake-up the network is often not back yet. For a remote repository this waits
 * until its host answers a TCP connect (probing every few seconds), for at most `limitMs`;
 * a local repository does not wait.
 */
export async function waitForRepository(url: string, limitMs = 120_000, probeEveryMs = 3000): Promise<boolean> {
  const endpoint = repositoryEndpoint(url);
  if (!endpoint) return true;
  const deadline = Date.now() + limitMs;
  for (;;) {
    if (await reachable(endpoint.host, endpoint.port, Math.min(probeEveryMs, 3000))) return true;
    if (Date.now() + probeEveryMs > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, probeEveryMs));
  }
}

function reachable(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.connect(port, host);
  });
}
