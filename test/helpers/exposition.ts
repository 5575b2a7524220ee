import { spawnSync } from 'node:child_process';

/** Prometheus' own parser (`promtool check metrics`) on an exposition: exit 0 and no output when it is clean. */
export function promtoolCheck(text: string): { code: number | null; output: string } {
  const result = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  if (result.error) throw result.error;
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

/** The value of one series of the exposition, by its exact name and labels; undefined when it is absent. */
export function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}
