// B1p: the peers' row for B1. borgmatic (a wrapper of borg, as Lifeboat is of restic) with a before_backup and
// an after_backup hook running `true`, against the same `borg create` called directly, on the same unchanged
// tree as B1, paired, order alternated. Skipped (no result) when borg or borgmatic is not installed
// (Debian: `apt-get install borgmatic`). Usage: node bench/peers.ts [--runs N] [--files N] [--mb N]
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type BenchResult, exec, execOk, median, printResult, round, runsArg, withTempDir } from './lib/common.ts';
import { generateTree } from './lib/tree.ts';

const argNumber = (name: string, fallback: number) => {
  const index = process.argv.indexOf(name);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
};
const runs = runsArg(7);
const fileCount = argNumber('--files', 10_000);
const totalMb = argNumber('--mb', 117);
const PASSPHRASE = 'bench passphrase for borg';

const versions = await Promise.all([exec('borg', ['--version']).catch(() => undefined), exec('borgmatic', ['--version']).catch(() => undefined)]);
if (versions.some((version) => version?.code !== 0)) {
  console.error('B1p: borg or borgmatic is not installed (apt-get install borgmatic); nothing measured.');
  process.exit(1);
}
const [borgVersion, borgmaticVersion] = versions.map((version) => version!.stdout.trim());

const result = await withTempDir('b1p', async (root) => {
  const tree = join(root, 'tree');
  const bytes = await generateTree(tree, fileCount, totalMb);
  const env = { ...process.env, BORG_PASSPHRASE: PASSPHRASE, BORG_BASE_DIR: join(root, 'borg-base'), BORG_RELOCATED_REPO_ACCESS_IS_OK: 'yes' };
  const direct = join(root, 'direct');
  const wrapped = join(root, 'wrapped');
  for (const repo of [direct, wrapped]) await execOk('borg', ['init', '--encryption', 'repokey', repo], { env });
  const configFile = join(root, 'borgmatic.yaml');
  await writeFile(
    configFile,
    [
      'location:',
      `  source_directories: [${JSON.stringify(tree)}]`,
      `  repositories: [${JSON.stringify(wrapped)}]`,
      'storage:',
      `  encryption_passphrase: ${JSON.stringify(PASSPHRASE)}`,
      'hooks:',
      '  before_backup: ["true"]',
      '  after_backup: ["true"]',
      '',
    ].join('\n'),
  );
  let archive = 0;
  const borg = async () => {
    archive += 1;
    return (await execOk('borg', ['create', `${direct}::a${archive}`, tree], { env })).ms;
  };
  const borgmatic = async () => (await execOk('borgmatic', ['--config', configFile, 'create'], { env })).ms;
  // The first backup of each, untimed: every timed run is of an unchanged tree.
  await borg();
  await borgmatic();
  const borgMs: number[] = [];
  const borgmaticMs: number[] = [];
  for (let r = 0; r < runs; r += 1) {
    if (r % 2 === 0) {
      borgmaticMs.push(await borgmatic());
      borgMs.push(await borg());
    } else {
      borgMs.push(await borg());
      borgmaticMs.push(await borgmatic());
    }
    console.error(`B1p run ${r + 1}/${runs}: borgmatic ${Math.round(borgmaticMs.at(-1)!)} ms, borg ${Math.round(borgMs.at(-1)!)} ms`);
  }
  const ratio = borgmaticMs.map((value, index) => round(value / borgMs[index]!));
  const summary: BenchResult = {
    id: 'B1p',
    title: "Peers: borgmatic's overhead over borg",
    setup: `The B1 tree (${fileCount} files, ${(bytes / 1024 / 1024).toFixed(1)} MiB, same seed), unchanged (each repository already holds it). \`borgmatic --config FILE create\` with a before_backup and an after_backup hook running \`true\`, against \`borg create REPO::ARCHIVE TREE\`; repokey encryption on both. ${borgVersion}, ${borgmaticVersion}. ${runs} runs, order alternated. For comparison with B1's Lifeboat / restic ratio of the unchanged backup.`,
    figures: [
      { name: 'borgmatic create', unit: 'ms', values: borgmaticMs.map(Math.round) },
      { name: 'borg create', unit: 'ms', values: borgMs.map(Math.round) },
      { name: 'ratio (borgmatic / borg, same run)', unit: '×', values: ratio },
      { name: 'absolute overhead (borgmatic − borg, same run)', unit: 'ms', values: borgmaticMs.map((value, index) => Math.round(value - borgMs[index]!)) },
    ],
    notes: [`Median ratio ${median(ratio)} ×.`],
  };
  return summary;
});

printResult(result);
