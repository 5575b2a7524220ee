import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { writeSetup } from '../helpers/lifeboat.ts';
import { waitFor } from '../helpers/processes.ts';
import { startServe } from '../helpers/serve.ts';
import { tempDir } from '../helpers/temp.ts';

interface Preview {
  testId: string;
  stream: string;
  line: string;
  linesLeftOut?: number;
  charsLeftOut?: number;
}

test("hooks.test answers with the test's whole bounded output; its live hook-test.output events are a bounded preview that counts what it left out", async (t) => {
  const root = await tempDir(t);
  const setup = await writeSetup(join(root, 'setup'), [{ id: 'docs', sources: ['/tmp/src'] }]);
  const served = await startServe(t, setup);
  const controller = new AbortController();
  t.after(() => controller.abort());
  const response = await fetch(`${served.base}api/events`, { headers: { Authorization: `Bearer ${served.token}` }, signal: controller.signal });
  const events: Preview[] = [];
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body!) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        const blocks = buffer.split('\n\n');
        buffer = blocks.pop()!;
        for (const block of blocks) {
          if (!block.startsWith('event: hook-test.output\n')) continue;
          events.push(JSON.parse(block.slice(block.indexOf('data: ') + 6)));
        }
      }
    } catch {
      // aborted at the end of the test
    }
  })();

  const script = 'seq 1 200000; head -c 100000 /dev/zero | tr "\\0" "A"; echo; echo END-MARK >&2';
  const hook = { id: 'flood', on: ['backup.before'], script: { inline: script } };
  const tested = await served.call('hooks.test', { plan: 'docs', hook, testId: 'flood-1' });
  assert.equal(tested.status, 200, JSON.stringify(tested.body));
  const output: string = tested.body.output;
  assert.match(output, /stderr END-MARK\n$/, output.slice(-300));
  assert.match(output, /\[… \d+ lines \(\d+ bytes\) left out …\]\n/);
  assert.ok(output.length <= 1024 * 1024 + 200, `the answer is bounded: ${output.length} characters`);

  // The preview is sent before the answer; the event stream may still be carrying it.
  await waitFor(() => events.some((event) => event.testId === 'flood-1' && event.line === 'END-MARK'), 'the last line of the preview');
  const preview = events.filter((event) => event.testId === 'flood-1');
  const total = preview.length + preview.reduce((sum, event) => sum + (event.linesLeftOut ?? 0), 0);
  // 200,000 lines, the long line cut by the engine into two pieces (64 KiB at most), and END-MARK.
  assert.equal(total, 200_000 + 2 + 1, 'every line is either sent or counted as left out');
  assert.ok(preview.length < 20_000, `the preview is bounded: ${preview.length} lines sent`);
  assert.ok(
    preview.every((event) => event.line.length <= 2000),
    'no preview line is longer than 2000 characters',
  );
  const cut = preview.filter((event) => event.charsLeftOut);
  assert.ok(
    cut.length > 0 && cut.every((event) => event.line.length + event.charsLeftOut! <= 64 * 1024),
    JSON.stringify(cut.map((event) => event.charsLeftOut)),
  );
  assert.deepEqual(preview.at(-1), { testId: 'flood-1', stream: 'stderr', line: 'END-MARK' });
});
