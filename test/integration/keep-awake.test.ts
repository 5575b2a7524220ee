import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Engine } from '../../main/core/engine.ts';
import { SystemdInhibit } from '../../main/core/platform/systemd-inhibit.ts';
import type { RunRecord } from '../../main/core/runs/run-record.ts';
import { processIsAlive } from '../../main/core/util/process-alive.ts';
import { lifeboatHere } from '../helpers/cli-in-process.ts';
import { LIFEBOAT_BIN, type Setup, writeSetup } from '../helpers/lifeboat.ts';
import { waitFor } from '../helpers/processes.ts';

/**
 * A stand-in for systemd-inhibit: it writes its arguments to calls/<pid>.args, runs the command
 * after its options as a child with its own input (as the real one does), notes the child's pid in
 * calls/<pid>.child, and lives as long as the child does. The child starts once its pid is noted, so
 * whoever hears from it can read the note.
 */
function fakeInhibit(calls: string): string {
  return `#!/bin/sh
mkdir -p '${calls}'
for arg in "$@"; do printf '%s\\n' "$arg"; done > '${calls}'/$$.args
while [ $# -gt 0 ]; do case "$1" in --*) shift ;; *) break ;; esac; done
exec 3<&0
(until [ -e '${calls}'/$$.child ]; do sleep 0.01; done; exec "$@") <&3 3<&- &
child=$!
echo "$child" > '${calls}'/$$.child.new && mv '${calls}'/$$.child.new '${calls}'/$$.child
wait "$child"
`;
}

interface Inhibitor {
  pid: number;
  child: number;
  args: string[];
}

async function inhibitors(calls: string): Promise<Inhibitor[]> {
  const found: Inhibitor[] = [];
  for (const name of (await readdir(calls).catch(() => [] as string[])).filter((file) => file.endsWith('.args')).sort()) {
    const pid = Number(name.replace('.args', ''));
    const args = (await readFile(join(calls, name), 'utf8')).split('\n').slice(0, -1);
    const child = Number(await readFile(join(calls, `${pid}.child`), 'utf8').catch(() => '0'));
    found.push({ pid, child, args });
  }
  return found;
}

/** Neither the inhibitor nor the child holding it is left in /proc. */
async function assertGone(inhibitor: Inhibitor | undefined): Promise<void> {
  assert.ok(inhibitor, 'an inhibitor was started');
  assert.ok(inhibitor.child > 0, 'the inhibitor started its child');
  await waitFor(() => !processIsAlive(inhibitor.pid) && !processIsAlive(inhibitor.child), `inhibitor ${inhibitor.pid} to be gone`, 5000);
}

/**
 * A system bus address for the stand-in systemd-inhibit (which never connects): with none, a machine
 * without a system bus (this one may be a container) is told apart before systemd-inhibit starts.
 */
const BUS = { DBUS_SYSTEM_BUS_ADDRESS: 'unix:path=/run/lifeboat-test/no-such-bus' };

describe('the machine is kept awake for the length of every run (systemd-inhibit)', () => {
  let root: string;
  let calls: string;
  let fakeBin: string;
  let setup: Setup;
  let env: NodeJS.ProcessEnv;
  let engine: Engine;
  let seen = 0;

  /** The inhibitors started since the last call. */
  async function newInhibitors(): Promise<Inhibitor[]> {
    const all = await inhibitors(calls);
    const fresh = all.slice(seen);
    seen = all.length;
    return fresh;
  }

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'lifeboat-awake-'));
    calls = join(root, 'calls');
    fakeBin = join(root, 'bin');
    await mkdir(fakeBin);
    await writeFile(join(fakeBin, 'systemd-inhibit'), fakeInhibit(calls));
    await chmod(join(fakeBin, 'systemd-inhibit'), 0o755);
    const source = join(root, 'docs');
    await mkdir(source);
    await writeFile(join(source, 'letter.txt'), 'dear grandma\n');
    const probe = {
      id: 'probe',
      on: ['run.start'],
      // biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansion, not a template
      script: { command: 'for f in "$CALLS"/*.args; do p=${f##*/}; [ -d "/proc/${p%.args}" ] && echo "${p%.args}"; done > "$OUT"' },
      env: { CALLS: calls, OUT: join(root, 'held-during-run') },
    };
    setup = await writeSetup(root, [
      { id: 'docs', name: 'Documents', sources: [source], hooks: [probe] },
      { id: 'failing', name: 'Failing', sources: [source], hooks: [{ id: 'no', on: ['run.start'], script: { command: 'exit 1' } }] },
      {
        id: 'slow',
        name: 'Slow',
        sources: [source],
        hooks: [{ id: 'wait', on: ['run.start'], script: { command: `echo $$ > '${join(root, 'slow-hook')}'; sleep 60` } }],
      },
    ]);
    assert.equal((await lifeboatHere(setup, 'init', 'local')).code, 0);
    env = { ...process.env, ...setup.env, ...BUS, PATH: `${fakeBin}${delimiter}${process.env.PATH ?? ''}` };
    engine = await Engine.open({ configFile: setup.configFile, dataDir: setup.dataDir, env });
  });
  after(() => rm(root, { recursive: true, force: true }));

  test('a backup holds the lock from start to end with the plan in --why, records "systemd-inhibit", and lets go when it succeeds', async () => {
    const run = await engine.runPlan('docs');
    assert.equal(run.status, 'success', run.reason ?? '');
    assert.equal(run.keepAwake, 'systemd-inhibit');
    const [inhibitor, ...others] = await newInhibitors();
    assert.deepEqual(others, []);
    assert.deepEqual(inhibitor?.args.slice(0, 4), ['--what=sleep:idle', '--who=Lifeboat', '--why=Lifeboat: backing up Documents', '--mode=block']);
    assert.equal((await readFile(join(root, 'held-during-run'), 'utf8')).trim(), String(inhibitor?.pid), 'held while the run.start hook ran');
    await assertGone(inhibitor);
    const stored = (await engine.history.get(run.id)) as RunRecord;
    assert.equal(stored.keepAwake, 'systemd-inhibit', 'the history says what kept the machine awake');
  });

  test('a failed run lets go', async () => {
    const run = await engine.runPlan('failing');
    assert.equal(run.status, 'failure');
    assert.equal(run.keepAwake, 'systemd-inhibit');
    const [inhibitor] = await newInhibitors();
    assert.equal(inhibitor?.args[2], '--why=Lifeboat: backing up Failing');
    await assertGone(inhibitor);
  });

  test('a cancelled run lets go', async () => {
    await rm(join(root, 'slow-hook'), { force: true });
    const controller = new AbortController();
    const running = engine.runPlan('slow', { signal: controller.signal });
    await waitFor(async () => (await readFile(join(root, 'slow-hook'), 'utf8').catch(() => '')) !== '', 'the slow hook to start');
    controller.abort();
    const run = await running;
    assert.equal(run.status, 'cancelled');
    await assertGone((await newInhibitors())[0]);
  });

  test('a hook runner that throws fails the run, and the run lets go', async () => {
    const throwing = await Engine.open({
      configFile: setup.configFile,
      dataDir: setup.dataDir,
      env,
      hooks: {
        dispatch: async () => {
          throw new Error('the hook runner broke');
        },
      },
    });
    const run = await throwing.runPlan('docs');
    assert.equal(run.status, 'failure');
    assert.match(run.reason ?? '', /the hook runner broke/);
    await assertGone((await newInhibitors())[0]);
  });

  test('restores and restore checks hold it too, in their own words; a hook test does not', async () => {
    const target = join(root, 'restored');
    const restore = await engine.restore('docs', 'latest', { target });
    assert.equal(restore.status, 'success', restore.reason ?? '');
    assert.equal(restore.keepAwake, 'systemd-inhibit');
    const verify = await engine.verifyPlan('docs', { sample: 1 });
    assert.equal(verify.status, 'success', verify.reason ?? '');
    assert.equal(verify.keepAwake, 'systemd-inhibit');
    const [forRestore, forVerify, ...more] = await newInhibitors();
    assert.deepEqual(more, []);
    assert.equal(forRestore?.args[2], '--why=Lifeboat: restoring Documents');
    assert.equal(forVerify?.args[2], '--why=Lifeboat: verifying a restore of Documents');
    await assertGone(forRestore);
    await assertGone(forVerify);

    await engine.testHook('failing', 'no');
    assert.deepEqual(await newInhibitors(), [], 'a hook test never keeps the machine awake');
  });

  test('when the process running the run is killed, the inhibitor goes with it', async () => {
    await rm(join(root, 'slow-hook'), { force: true });
    const child = spawn(process.execPath, [LIFEBOAT_BIN, ...setup.args('run', 'slow')], { env, stdio: 'ignore' });
    try {
      await waitFor(async () => (await readFile(join(root, 'slow-hook'), 'utf8').catch(() => '')) !== '', 'the slow hook to start');
      const [inhibitor] = await newInhibitors();
      assert.ok(inhibitor && processIsAlive(inhibitor.pid), 'held while the hook runs');
      child.kill('SIGKILL');
      await assertGone(inhibitor);
    } finally {
      child.kill('SIGKILL');
      // The hook itself outlives a SIGKILLed Lifeboat (its own process group): stop it here.
      const hook = Number(await readFile(join(root, 'slow-hook'), 'utf8').catch(() => '0'));
      if (hook > 0) {
        try {
          process.kill(-hook, 'SIGKILL');
        } catch {
          // gone already
        }
      }
    }
  });
});

describe('where systemd-inhibit cannot keep the machine awake, the run goes on and says why', () => {
  test('not installed, no logind on the bus, or no answer: "unavailable: <why>", quickly, and nothing is left running', async (t) => {
    const root = await mkdtemp(join(tmpdir(), 'lifeboat-awake-none-'));
    t.after(() => rm(root, { recursive: true, force: true }));
    const missing = await new SystemdInhibit({ ...BUS, PATH: root }).keepAwake('Lifeboat: backing up Documents');
    assert.equal(missing.via, 'unavailable: systemd-inhibit is not installed');
    await missing.release();

    await writeFile(join(root, 'systemd-inhibit'), '#!/bin/sh\necho "Failed to connect to bus: No such file or directory" >&2\nexit 1\n');
    await chmod(join(root, 'systemd-inhibit'), 0o755);
    const started = Date.now();
    // A minute to take the lock: its exit is noticed at once, long before that (a loaded machine may take seconds to start it).
    const noBus = await new SystemdInhibit({ ...BUS, PATH: `${root}${delimiter}/usr/bin${delimiter}/bin` }, { takeMs: 60_000 }).keepAwake(
      'Lifeboat: backing up Documents',
    );
    assert.equal(noBus.via, 'unavailable: systemd-inhibit: Failed to connect to bus: No such file or directory');
    assert.ok(Date.now() - started < 30_000, 'a failure is noticed at once, not after a timeout');

    // A hostile plan name reaches systemd-inhibit as one argument, on one line, never through a shell.
    const calls = join(root, 'calls');
    await writeFile(join(root, 'systemd-inhibit'), fakeInhibit(calls));
    const hostile = await new SystemdInhibit({ ...BUS, PATH: `${root}${delimiter}/usr/bin${delimiter}/bin` }).keepAwake(
      `Lifeboat: backing up it's "$(touch pwned)" \`x\`\nsecond line`,
    );
    assert.equal(hostile.via, 'systemd-inhibit');
    const [inhibitor] = await inhibitors(calls);
    assert.equal(inhibitor?.args[2], `--why=Lifeboat: backing up it's "$(touch pwned)" \`x\` second line`);
    await hostile.release();
    await assertGone(inhibitor);
    await assert.rejects(readFile(join(root, 'pwned')));
    await assert.rejects(readFile(join(process.cwd(), 'pwned')), 'nothing in the name ran');

    await writeFile(join(root, 'systemd-inhibit'), `#!/bin/sh\necho $$ > '${join(root, 'silent')}'\nexec sleep 60\n`);
    const silent = await new SystemdInhibit({ ...BUS, PATH: `${root}${delimiter}/usr/bin${delimiter}/bin` }, { takeMs: 300 }).keepAwake('x');
    assert.equal(silent.via, 'unavailable: systemd-inhibit did not take the lock within 0.3 s');
    const pid = Number(await readFile(join(root, 'silent'), 'utf8'));
    await waitFor(() => !processIsAlive(pid), 'the silent inhibitor to be stopped', 5000);
  });

  test('with no system bus at all, systemd-inhibit is not even started: the run says so at once', async (t) => {
    const root = await mkdtemp(join(tmpdir(), 'lifeboat-awake-nobus-'));
    t.after(() => rm(root, { recursive: true, force: true }));
    const calls = join(root, 'calls');
    await writeFile(join(root, 'systemd-inhibit'), fakeInhibit(calls));
    await chmod(join(root, 'systemd-inhibit'), 0o755);
    const PATH = `${root}${delimiter}/usr/bin${delimiter}/bin`;
    const bus = join(root, 'system_bus_socket');
    const none = await new SystemdInhibit({ PATH }, { systemBus: bus }).keepAwake('Lifeboat: backing up Documents');
    await none.release();
    assert.equal(none.via, `unavailable: no system bus (${bus}), so logind cannot hold a lock`);
    await writeFile(bus, 'a file where the socket should be');
    const plainFile = await new SystemdInhibit({ PATH }, { systemBus: bus }).keepAwake('x');
    await plainFile.release();
    assert.equal(plainFile.via, none.via, 'a plain file is no bus');
    assert.deepEqual(await inhibitors(calls), [], 'systemd-inhibit was never started');
    // A bus socket there, or an address given: systemd-inhibit is asked.
    await rm(bus);
    const server = createServer().listen(bus);
    await once(server, 'listening');
    t.after(() => server.close());
    const held = await new SystemdInhibit({ PATH }, { systemBus: bus }).keepAwake('Lifeboat: backing up Documents');
    assert.equal(held.via, 'systemd-inhibit');
    await held.release();
    const addressed = await new SystemdInhibit({ ...BUS, PATH }, { systemBus: join(root, 'missing') }).keepAwake('x');
    assert.equal(addressed.via, 'systemd-inhibit');
    await addressed.release();
    assert.equal((await inhibitors(calls)).length, 2);
  });

  test('once logind cannot be reached, later runs of the same process do not start systemd-inhibit again, until ten minutes have passed', async (t) => {
    const root = await mkdtemp(join(tmpdir(), 'lifeboat-awake-memory-'));
    t.after(() => rm(root, { recursive: true, force: true }));
    const starts = join(root, 'starts');
    await writeFile(
      join(root, 'systemd-inhibit'),
      `#!/bin/sh\necho x >> '${starts}'\necho "Failed to connect to bus: No such file or directory" >&2\nexit 1\n`,
    );
    await chmod(join(root, 'systemd-inhibit'), 0o755);
    let now = 1_000_000;
    const inhibit = new SystemdInhibit({ ...BUS, PATH: `${root}${delimiter}/usr/bin${delimiter}/bin` }, { now: () => now });
    const startCount = async () => (await readFile(starts, 'utf8').catch(() => '')).split('\n').filter(Boolean).length;
    const first = await inhibit.keepAwake('Lifeboat: backing up Documents');
    assert.equal(first.via, 'unavailable: systemd-inhibit: Failed to connect to bus: No such file or directory');
    now += 9 * 60_000;
    const second = await inhibit.keepAwake('Lifeboat: backing up Documents');
    assert.equal(second.via, first.via, 'the same answer');
    assert.equal(await startCount(), 1, 'without starting systemd-inhibit again');
    now += 2 * 60_000;
    await inhibit.keepAwake('Lifeboat: backing up Documents');
    assert.equal(await startCount(), 2, 'asked again after ten minutes');
    // Once it works, it is used at once.
    const calls = join(root, 'calls');
    await writeFile(join(root, 'systemd-inhibit'), fakeInhibit(calls));
    now += 11 * 60_000;
    const held = await inhibit.keepAwake('Lifeboat: backing up Documents');
    assert.equal(held.via, 'systemd-inhibit');
    await held.release();
    const again = await inhibit.keepAwake('Lifeboat: backing up Documents');
    assert.equal(again.via, 'systemd-inhibit', 'a lock that worked is taken anew for every run');
    await again.release();
    for (const inhibitor of await inhibitors(calls)) await assertGone(inhibitor);
  });
});
