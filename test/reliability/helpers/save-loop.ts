/**
 * Saves two configs over one file, alternately, forever, through the product's own
 * saveConfig (the path the API's config.save takes). Prints "saving" before the first
 * write so the parent knows when killing it lands in the middle of a save.
 * Usage: node save-loop.ts FILE A.json B.json
 */
import { readFileSync } from 'node:fs';
import { saveConfig } from '../../../main/core/config/store.ts';

const [file, first, second] = process.argv.slice(2) as [string, string, string];
const versions = [JSON.parse(readFileSync(first, 'utf8')), JSON.parse(readFileSync(second, 'utf8'))];
process.stdout.write('saving\n');
for (let i = 0; ; i += 1) await saveConfig(file, versions[i % 2]);
