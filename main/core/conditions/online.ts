import { Socket } from 'node:net';
import { MAX_NAME_LENGTH, MAX_PATH_LENGTH } from '../config/limits.ts';
import { CONDITION_FACTS } from '../config/vocabulary.ts';
import { defineCondition } from './condition.ts';

const FALLBACK = { host: '1.1.1.1', port: 443 };
const DEFAULT_TIMEOUT_MS = 3000;

/** The host and port of a repository URL worth probing, if it is remote. */
export function repositoryEndpoint(url: string): { host: string; port: number } | undefined {
  const rest = /^rest:(https?):\/\/(?:[^@/]*@)?([^/:]+|\[[^\]]+\])(?::(\d+))?/i.exec(url);
  if (rest) return { host: rest[2]!.replace(/^\[|\]$/g, ''), port: Number(rest[3] ?? (rest[1]!.toLowerCase() === 'https' ? 443 : 80)) };
  const sftp = /^sftp:(?:\/\/)?(?:[^@/]*@)?([^:/]+)(?::(\d+))?/i.exec(url);
  if (sftp) return { host: sftp[1]!, port: Number(sftp[2] ?? 22) };
  const s3 = /^s3:(?:https?:\/\/)?([^/:]+)(?::(\d+))?/i.exec(url);
  if (s3) return { host: s3[1]!, port: Number(s3[2] ?? 443) };
  return undefined;
}

function tcpConnect(host: string, port: number, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (error?: string) => {
      socket.destroy();
      resolve(error);
    };
    socket.setTimeout(timeoutMs, () => done(`no answer within ${timeoutMs / 1000} s`));
    socket.once('connect', () => done());
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
    socket.connect(port, host);
  });
}

async function httpProbe(url: string, timeoutMs: number): Promise<string | undefined> {
  // node:https brings TLS with it (~100 ms at start-up): loaded only when a condition asks a URL.
  const { request: send } = url.startsWith('https:') ? await import('node:https') : await import('node:http');
  return new Promise((resolve) => {
    const request = send(url, { method: 'HEAD', timeout: timeoutMs }, (response) => {
      response.resume();
      resolve(undefined); // any answer at all means the network and the server are there
    });
    request.once('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    request.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    request.end();
  });
}

export const online = defineCondition({
  type: 'online',
  schema: ({ z, fields: { durationField, longerThan } }) =>
    z.strictObject({
      type: z.literal('online'),
      url: z
        .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
        .max(MAX_PATH_LENGTH, longerThan(MAX_PATH_LENGTH))
        .optional(),
      host: z.string().min(1).max(MAX_NAME_LENGTH, longerThan(MAX_NAME_LENGTH)).optional(),
      port: z.number().int().min(1).max(65535).optional(),
      timeout: durationField().optional(),
    }),
  ...CONDITION_FACTS.online,
  async evaluate(condition, { repositoryUrl }) {
    const timeoutMs = condition.timeout?.ms ?? DEFAULT_TIMEOUT_MS;
    if (condition.url) {
      const error = await httpProbe(condition.url, timeoutMs);
      return error
        ? { pass: false, reason: `Offline: ${condition.url} did not answer (${error})` }
        : { pass: true, reason: `Online: ${condition.url} answered` };
    }
    const target = condition.host ? { host: condition.host, port: condition.port ?? 443 } : (repositoryEndpoint(repositoryUrl) ?? FALLBACK);
    const error = await tcpConnect(target.host, target.port, timeoutMs);
    const where = `${target.host}:${target.port}`;
    return error ? { pass: false, reason: `Offline: cannot reach ${where} (${error})` } : { pass: true, reason: `Online: ${where} is reachable` };
  },
});
