import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { formatProblem, validateConfig } from '../../main/core/config/validate.ts';
import { loadHookTemplates } from '../../main/core/hooks/templates.ts';

const EXPECTED = [
  'battery-minimum',
  'btrfs-snapshot',
  'docker-compose-pause',
  'drive-mounted',
  'lvm-snapshot',
  'mysql-dump',
  'notify-linux',
  'notify-macos',
  'notify-windows',
  'postgresql-dump',
  'repository-reachable',
  'sqlite-dump',
  'systemd-service',
  'zfs-snapshot',
];

test('the gallery holds every template, and each one validates inside a plan', async () => {
  const templates = await loadHookTemplates();
  assert.deepEqual(
    templates.map((t) => t.id),
    EXPECTED,
  );
  for (const template of templates) {
    const config = {
      version: 1,
      repositories: [{ id: 'nas', url: '/srv/restic', passwordEnv: 'PW' }],
      plans: [{ id: 'docs', repository: 'nas', sources: ['/home/me'], hooks: template.hooks }],
    };
    const result = validateConfig(config);
    assert.ok(result.ok, `${template.id}: ${result.ok ? '' : result.problems.map(formatProblem).join('; ')}`);
  }
});

test('every shell script of the gallery parses (sh -n) and starts with #!', async () => {
  for (const template of await loadHookTemplates()) {
    for (const hook of template.hooks) {
      const inline = hook.script?.inline;
      if (inline === undefined || inline.startsWith('#!/usr/bin/env pwsh')) continue;
      assert.ok(inline.startsWith('#!/bin/sh'), `${template.id}/${hook.id} starts with #!/bin/sh`);
      execFileSync('/bin/sh', ['-n', '-c', inline]);
    }
  }
});

test('snapshot templates pair a before-hook that prints LIFEBOAT_SNAPSHOT_PATH with an after-hook that cleans up', async () => {
  for (const template of (await loadHookTemplates()).filter((t) => t.id.endsWith('-snapshot'))) {
    const before = template.hooks.find((hook) => hook.on.includes('backup.before'));
    const after = template.hooks.find((hook) => hook.on.includes('backup.after'));
    assert.match(before?.script?.inline ?? '', /echo "LIFEBOAT_SNAPSHOT_PATH=/, template.id);
    assert.ok(after?.script, `${template.id} cleans up after the backup`);
  }
});
