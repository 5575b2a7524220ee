// Shared helpers of the benchmarks: statistics, temp folders and the result line the runner reads.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const PROJECT_ROOT = resolve(import.meta.dirname, '..', '..');
export const LIFEBOAT_BIN = join(PROJECT_ROOT, 'bin', 'lifeboat.js');
/** The line prefix a benchmark prints its result after, as one JSON value. */
export const RESULT_PREFIX = 'BENCH_RESULT ';

export interface Figure {
  name: string;
  unit: string;
  /** One value per run (at least 5). */
  values: number[];
  /** The goal in words, e.g. "≤ 1.05". */
  goal?: string | undefined;
  /** Whether the goal is met, judged on `basis` of the values. */
  met?: boolean | undefined;
  /** The goal's number and which way is good, to say by how much a goal is missed. */
  limit?: { value: number; good: 'below' | 'above' } | undefined;
  /** What the goal is judged on: the median (default) or the largest value. */
  basis?: 'median' | 'max' | undefined;
  /** Shown as a note under the figure. */
  note?: string | undefined;
}

export interface BenchResult {
  id: string;
  title: string;
  setup: string;
  figures: Figure[];
  notes: string[];
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Nearest-rank percentile, p in 0..100. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

export function printResult(result: BenchResult): void {
  for (const figure of result.figures) {
    const m = median(figure.values);
    const range = `${Math.min(...figure.values)}–${Math.max(...figure.values)}`;
    const goal = figure.goal ? ` (goal ${figure.goal}: ${figure.met ? 'met' : 'MISSED'})` : '';
    console.log(`${result.id} ${figure.name}: median ${round(m)} ${figure.unit}, range ${range}, n=${figure.values.length}${goal}`);
  }
  console.log(`${RESULT_PREFIX}${JSON.stringify(result)}`);
}

export function round(value: number, digits = 3): number {
  if (!Number.isFinite(value)) return value;
  const magnitude = Math.abs(value);
  const places = magnitude >= 100 ? 1 : magnitude >= 1 ? 2 : digits;
  return Number(value.toFixed(places));
}

export async function withTempDir<T>(prefix: string, body: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), `lifeboat-bench-${prefix}-`));
  try {
    return await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface Exec {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a command to its end, timing it from spawn to close. */
export function exec(file: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<Exec> {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(file, args, { env: options.env ?? process.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr, ms: performance.now() - started }));
  });
}

export async function execOk(file: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<Exec> {
  const result = await exec(file, args, options);
  if (result.code !== 0) throw new Error(`${file} ${args.join(' ')} exited ${result.code}:\n${result.stderr.slice(-2000)}\n${result.stdout.slice(-2000)}`);
  return result;
}

/** A small deterministic PRNG (mulberry32), so generated data is the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function runsArg(fallback: number): number {
  const index = process.argv.indexOf('--runs');
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  return Math.max(5, Number.isFinite(value) ? value : fallback);
}
