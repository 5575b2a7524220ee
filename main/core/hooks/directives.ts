/** Lines a hook prints on stdout to steer the run (SPEC §4). */
export type Directive = { kind: 'snapshot-path'; source?: string | undefined; path: string } | { kind: 'warning'; text: string };

export function parseDirective(line: string): Directive | undefined {
  if (line.startsWith('LIFEBOAT_WARNING=')) return { kind: 'warning', text: line.slice('LIFEBOAT_WARNING='.length) };
  const path = /^LIFEBOAT_SNAPSHOT_PATH(?:\[([^\]]+)\])?=(.+)$/.exec(line);
  if (path) return { kind: 'snapshot-path', source: path[1], path: path[2]! };
  return undefined;
}
