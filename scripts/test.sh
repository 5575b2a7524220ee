#!/usr/bin/env bash
# Every check the project has: system packages, lint and format, types, then all tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh
echo "› lint and format (biome)"
biome check .
echo "› types (tsc: engine, CLI, server, tests; the renderer; the Electron shell against Electron's types)"
tsc -p tsconfig.json
tsc -p renderer/tsconfig.json
tsc -p tsconfig.electron.json --noEmit
echo "› renderer build (vite)"
vite build --logLevel warn
echo "› tests (node --test), with the restic 0.18 leg beside them"
# A test that hangs fails after 7 minutes instead of holding the whole run; the slowest real test takes under 2.
# The restic 0.18 leg (engine, hook, restore, copy, verify, diff and retention tests again, against Debian 13's
# restic 0.18) runs at the same time: many tests wait on processes, timers and the disk, so two legs keep both
# cores busy. Its report is printed after the first leg's, so the two never interleave.
# scripts/restic-018.sh fetches restic 0.18 once into a cache, or says what to do; LIFEBOAT_TEST_RESTIC makes the tests use it.
restic_018=$(bash scripts/restic-018.sh)
leg_018_log=$(mktemp)
leg_018=
# Stopped with the script (a failure above, Ctrl-C): the leg never outlives it.
trap '[ -z "$leg_018" ] || kill "$leg_018" 2>/dev/null; rm -f "$leg_018_log"' EXIT
# Skipped there: tests whose outcome is settled before restic runs (refusals, hooks alone), so no restic version changes it.
LIFEBOAT_TEST_RESTIC="$restic_018" node --test --test-concurrency=1 --test-timeout=420000 \
  --test-skip-pattern='^(injection: |restore refuses targets|the API refuses the same restore targets|a script path that is missing|lifeboat hooks test runs one hook|a source path that does not exist|a missing restic|refused with a sentence, before restic runs|a draft with problems gets the same field problems|retention preview refuses a wrong word|--sample outside 1–1000 is refused)' \
  test/integration/restic-versions.test.ts test/integration/backup-restore.test.ts test/integration/restic-driver.test.ts \
  test/integration/restic-errors.test.ts test/integration/locks.test.ts test/integration/remote-repository.test.ts \
  test/integration/hook-scripts.test.ts test/security/restore-safety.test.ts \
  test/integration/run-changes.test.ts test/integration/diff.test.ts test/integration/restore-preview.test.ts \
  test/integration/copy-to.test.ts test/integration/append-only.test.ts test/integration/verify.test.ts \
  test/integration/verify-corrupt.test.ts test/integration/retention-what-if.test.ts test/integration/retention-preview.test.ts \
  >"$leg_018_log" 2>&1 &
leg_018=$!
status=0
node --test --test-concurrency=2 --test-timeout=420000 'test/unit/*.test.ts' 'test/integration/*.test.ts' 'test/reliability/*.test.ts' 'test/security/*.test.ts' || status=$?
leg_018_status=0
wait "$leg_018" || leg_018_status=$?
leg_018=
echo "› restic 0.18 leg (node --test, run beside the tests above, against $("$restic_018" version | cut -d' ' -f1-2))"
cat "$leg_018_log"
[ "$status" -eq 0 ] || exit "$status"
[ "$leg_018_status" -eq 0 ] || exit "$leg_018_status"
echo "› browser tests (node --test, two at a time: each a real Chromium against its own lifeboat serve)"
node --test --test-concurrency=2 --test-timeout=420000 'test/e2e/*.test.ts'
