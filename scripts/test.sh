#!/usr/bin/env bash
# Every check the project has: system packages, lint and format, types, then all tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh
echo "› lint and format (biome)"
biome check .
echo "› types (tsc)"
tsc -p tsconfig.json
echo "› tests (node --test)"
node --test --test-concurrency=2 'test/unit/*.test.ts' 'test/integration/*.test.ts'
