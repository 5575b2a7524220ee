import { execFileSync } from 'node:child_process';
import { basename, delimiter, dirname, resolve } from 'node:path';

/**
 * The restic the tests drive. LIFEBOAT_TEST_RESTIC=/path/to/restic picks another one than the
 * restic on PATH (scripts/test.sh runs a leg against restic 0.18 this way): importing this
 * module puts that binary's folder first on PATH, so every lifeboat and restic a test starts
 * runs it. Imported by temp.ts, so every test that makes a folder has it.
 */
const chosen = process.env.LIFEBOAT_TEST_RESTIC;
if (chosen) {
  if (basename(chosen) !== 'restic')
    throw new Error(`LIFEBOAT_TEST_RESTIC=${chosen}: the binary must be named "restic" (it is found on PATH by that name); link it as …/restic.`);
  const folder = dirname(resolve(chosen));
  if ((process.env.PATH ?? '').split(delimiter)[0] !== folder) process.env.PATH = `${folder}${delimiter}${process.env.PATH ?? ''}`;
}

let version: [number, number, number] | undefined;

/** `restic version` of the restic under test, as [major, minor, patch]. */
export function testResticVersion(): [number, number, number] {
  if (!version) {
    const text = execFileSync('restic', ['version'], { encoding: 'utf8' });
    const match = /restic (\d+)\.(\d+)\.(\d+)/.exec(text);
    if (!match) throw new Error(`"restic version" printed ${JSON.stringify(text)}, not a restic version`);
    version = [Number(match[1]), Number(match[2]), Number(match[3])];
  }
  return version;
}

/** Whether the restic under test is `minor` (of 0.x) or newer. */
export function resticAtLeast(minor: number): boolean {
  const [major, found] = testResticVersion();
  return major > 0 || found >= minor;
}
