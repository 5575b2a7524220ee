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
echo "› CLI bundle (rolldown: what \`lifeboat\` runs while it matches the sources; the tests below run it)"
node scripts/build-cli.ts
echo "› tests (node --test): engine, CLI, reliability and security; beside them the restic 0.18 leg and the browser tests"
# Three legs run at the same time, because many tests wait on processes, timers, the disk and Chromium rather
# than use a core: the tests (two files at a time), the restic 0.18 leg and the browser tests (one file at a time
# each). The two side legs report after the first, each in one piece, so their lines never interleave.
# A test that hangs fails after 7 minutes instead of holding the whole run; the slowest real test takes under 2.
# --test-force-exit: a file ends when its tests have, even if a failed test left a timer or a server behind.
# scripts/restic-018.sh fetches restic 0.18 once into a cache, or says what to do; LIFEBOAT_TEST_RESTIC makes the tests use it.
# Every leg: the spec output on stdout, and beside it scripts/test-reporter.ts, which fails the leg, naming the file,
# when a test file's process ended before it reported all its tests (the runner itself lets that pass). Each test
# file's process loads scripts/test-report-pipe.ts: its results go to the runner through a blocking pipe, because
# --test-force-exit drops whatever is still queued for a runner that reads late (a loaded machine).
checks=(--test-reporter=spec --test-reporter-destination=stdout
  --test-reporter=./scripts/test-reporter.ts --test-reporter-destination=stderr
  --import ./scripts/test-report-pipe.ts)
restic_018=$(bash scripts/restic-018.sh)
logs=$(mktemp -d)
leg_018=
leg_browser=
# Stopped with the script (a failure, Ctrl-C): no leg outlives it.
trap 'for leg in $leg_018 $leg_browser; do kill "$leg" 2>/dev/null || true; done; rm -rf "$logs"' EXIT
# The restic 0.18 leg: the engine, hook, restore, copy, verify, diff and retention tests again, against Debian 13's
# restic 0.18 (the retention preview through retention-what-if, whose run then removes exactly what it previewed).
# Skipped there: tests whose outcome is settled before restic runs (refusals, hooks alone), so no restic version
# changes it.
LIFEBOAT_TEST_RESTIC="$restic_018" node --test --test-concurrency=1 --test-timeout=420000 --test-force-exit "${checks[@]}" \
  --test-skip-pattern='^(injection: |restore refuses targets|the API refuses the same restore targets|a script path that is missing|lifeboat hooks test runs one hook|a source path that does not exist|a missing restic|refused with a sentence, before restic runs|a draft with problems gets the same field problems|--sample outside 1–1000 is refused)' \
  test/integration/restic-versions.test.ts test/integration/backup-restore.test.ts test/integration/restic-driver.test.ts \
  test/integration/restic-errors.test.ts test/integration/locks.test.ts test/integration/remote-repository.test.ts \
  test/integration/hook-scripts.test.ts test/security/restore-safety.test.ts \
  test/integration/run-changes.test.ts test/integration/diff.test.ts test/integration/restore-preview.test.ts \
  test/integration/copy-to.test.ts test/integration/append-only.test.ts test/integration/verify.test.ts \
  test/integration/verify-corrupt.test.ts test/integration/retention-what-if.test.ts \
  test/integration/restore-which-snapshot.test.ts \
  >"$logs/restic-018" 2>&1 &
leg_018=$!
# The browser tests: a real Chromium against its own lifeboat serve, one file at a time.
node --test --test-concurrency=1 --test-timeout=420000 --test-force-exit "${checks[@]}" 'test/e2e/*.test.ts' >"$logs/browser" 2>&1 &
leg_browser=$!
status=0
node --test --test-concurrency=2 --test-timeout=420000 --test-force-exit "${checks[@]}" \
  'test/unit/*.test.ts' 'test/integration/*.test.ts' 'test/reliability/*.test.ts' 'test/security/*.test.ts' || status=$?
leg_018_status=0
wait "$leg_018" || leg_018_status=$?
leg_018=
echo "› restic 0.18 leg (node --test, beside the tests above, against $("$restic_018" version | cut -d' ' -f1-2))"
cat "$logs/restic-018"
browser_status=0
wait "$leg_browser" || browser_status=$?
leg_browser=
echo "› browser tests (node --test, beside the tests above: a real Chromium against lifeboat serve)"
cat "$logs/browser"
for leg_status in "$status" "$leg_018_status" "$browser_status"; do
  [ "$leg_status" -eq 0 ] || exit "$leg_status"
done
