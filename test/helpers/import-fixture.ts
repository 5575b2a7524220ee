import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { cliHere as cli } from './cli-in-process.ts';
import { PROJECT_ROOT } from './lifeboat.ts';
import { tempDir } from './temp.ts';

export interface ImportSetup {
  root: string;
  /** The other tool's config, copied in with REPO_DIR and SOURCE_DIR filled in. */
  file: string;
  configFile: string;
  dataDir: string;
  repo: string;
  source: string;
  env: NodeJS.ProcessEnv;
  args: (...rest: string[]) => string[];
}

/** A copy of test/fixtures/import/<name> in a fresh folder, pointing at a repository and a source folder there. */
export async function importSetup(t: TestContext, name: string, options: { folder?: string; fileName?: string } = {}): Promise<ImportSetup> {
  const root = await tempDir(t, 'lifeboat-import-');
  const folder = join(root, options.folder ?? 'foreign');
  const repo = join(root, 'repo');
  const source = join(root, 'source');
  await mkdir(folder, { recursive: true });
  await mkdir(source, { recursive: true });
  await writeFile(join(source, 'a.txt'), 'imported plans back this up\n');
  const text = (await readFile(join(PROJECT_ROOT, 'test', 'fixtures', 'import', name), 'utf8')).replaceAll('REPO_DIR', repo).replaceAll('SOURCE_DIR', source);
  const file = join(folder, options.fileName ?? name);
  await writeFile(file, text);
  const configFile = join(root, 'lifeboat', 'config.json');
  const dataDir = join(root, 'lifeboat');
  return {
    root,
    file,
    configFile,
    dataDir,
    repo,
    source,
    env: { RESTIC_CACHE_DIR: join(root, 'cache') },
    args: (...rest) => ['--config', configFile, '--data-dir', dataDir, ...rest],
  };
}

export interface ImportReportJson {
  written: boolean;
  repositories: string[];
  plans: string[];
  hooksDisabled: number;
  passwordFiles: string[];
  reused: Array<{ repository: string; existing: string }>;
  alreadyImported: Array<{ plan: string; origin: string }>;
  notMapped: Array<{ path: string; reason: string }>;
  config?: ConfigJson;
}

export interface ConfigJson {
  repositories: Array<Record<string, unknown> & { id: string; url: string }>;
  plans: Array<Record<string, unknown> & { id: string; hooks?: Array<Record<string, unknown>> }>;
  settings?: Record<string, unknown>;
}

export { cli };

/** Imports with --json and returns the report; fails the test on a non-zero exit. */
export async function importJson(setup: ImportSetup, tool: string, ...flags: string[]): Promise<ImportReportJson> {
  const result = await cli(setup.args('import', tool, setup.file, '--json', ...flags), setup.env);
  if (result.code !== 0) throw new Error(`import exited ${result.code}: ${result.stdout}${result.stderr}`);
  return JSON.parse(result.stdout) as ImportReportJson;
}

export async function readConfig(setup: ImportSetup): Promise<ConfigJson> {
  return JSON.parse(await readFile(setup.configFile, 'utf8')) as ConfigJson;
}

export function plan(config: ConfigJson, id: string) {
  const found = config.plans.find((entry) => entry.id === id);
  if (!found) throw new Error(`no plan ${id} in ${config.plans.map((entry) => entry.id).join(', ')}`);
  return found;
}

export function hooksOf(config: ConfigJson): Array<Record<string, unknown>> {
  return config.plans.flatMap((entry) => entry.hooks ?? []);
}

/** The notes' paths, to check that what did not map is listed. */
export function notedPaths(report: ImportReportJson): string[] {
  return report.notMapped.map((item) => item.path);
}
