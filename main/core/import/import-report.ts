/** One thing from the other tool's config that Lifeboat did not take, and why. */
export interface NotMapped {
  /** Where it is in the foreign file, e.g. `locations.home.options.backup.iexclude`. */
  path: string;
  reason: string;
}

/** Collects what an importer could not map, in the order it met them. */
export class ImportNotes {
  readonly items: NotMapped[] = [];
  private static readonly LIMIT = 1000;
  private dropped = 0;

  private readonly seen = new Set<string>();

  notMapped(path: string, reason: string): void {
    const item = { path: printable(path), reason: printable(reason) };
    const key = JSON.stringify(item);
    if (this.seen.has(key)) return; // a location with several backends meets the same option once per backend
    if (this.items.length < ImportNotes.LIMIT) {
      this.seen.add(key);
      this.items.push(item);
    } else this.dropped += 1;
  }

  /** Every note, with one line for those past the limit (a hostile file can hold millions). */
  list(): NotMapped[] {
    return this.dropped ? [...this.items, { path: '', reason: `${this.dropped} more not listed` }] : [...this.items];
  }
}

export interface ImportSummary {
  tool: string;
  file: string;
  /** Where the config is (or would be) written. */
  configFile: string;
  dryRun: boolean;
  written: boolean;
  /** Ids given to what was imported. */
  repositories: string[];
  plans: string[];
  /** How many imported hooks there are: every one saved with `enabled: false`. */
  hooksDisabled: number;
  /** An imported repository that is one the config already had (same location): reused, not copied. */
  reused: Array<{ repository: string; existing: string }>;
  /** Imported plans the config already has with the same content (the file was imported before): not added again. */
  alreadyImported: Array<{ plan: string; origin: string }>;
  /** Private files that hold passwords the foreign config had inline. */
  passwordFiles: string[];
  notMapped: NotMapped[];
}

/** Control characters (a newline in a profile name) would forge report lines; they are shown escaped. */
function printable(text: string): string {
  const short = text.length > 300 ? `${text.slice(0, 297)}…` : text;
  return short.replace(/\p{Cc}/gu, (char) => JSON.stringify(char).slice(1, -1));
}

export function formatSummary(summary: ImportSummary): string {
  const lines: string[] = [];
  const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const counts = `${count(summary.repositories.length, 'repository', 'repositories')}, ${count(summary.plans.length, 'plan', 'plans')}, ${count(summary.hooksDisabled, 'hook', 'hooks')}`;
  // A real import that wrote nothing (everything already there, or nothing usable) says so, not what it "would" do.
  if (summary.written) lines.push(`✔ Imported from ${summary.tool}: ${counts}.`);
  else if (summary.dryRun) lines.push(`• Would import from ${summary.tool}: ${counts}.`);
  else lines.push(`• Nothing imported from ${summary.tool}.`);
  if (summary.plans.length) lines.push(`  Plans: ${summary.plans.join(', ')}`);
  if (summary.repositories.length) lines.push(`  Repositories: ${summary.repositories.join(', ')}`);
  for (const { plan, origin } of summary.alreadyImported) lines.push(`  ${origin} is already imported, as plan "${plan}": left as it is.`);
  for (const { repository, existing } of summary.reused) lines.push(`  ${repository} is your repository "${existing}" (same location): plans use that one.`);
  if (summary.hooksDisabled)
    lines.push(`  Every imported hook is off: read each one, then turn it on in the hook editor (or set "enabled": true). Your own hooks are unchanged.`);
  for (const file of summary.passwordFiles)
    lines.push(`  A password from the imported file ${summary.written ? 'is stored' : 'would be stored'} in ${file} (private, 0600).`);
  if (summary.notMapped.length) {
    lines.push(`  Not imported (${summary.notMapped.length}):`);
    for (const item of summary.notMapped) lines.push(`    ${item.path ? `${item.path}: ` : ''}${item.reason}`);
  }
  if (summary.written) lines.push(`  Saved to ${summary.configFile}. Check it with "lifeboat validate".`);
  return `${lines.join('\n')}\n`;
}
