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
echo "› tests (node --test)"
node --test --test-concurrency=2 'test/unit/*.test.ts' 'test/integration/*.test.ts' 'test/reliability/*.test.ts' 'test/security/*.test.ts'
echo "› browser test (node --test, alone: a real Chromium against lifeboat serve)"
node --test 'test/e2e/*.test.ts'
