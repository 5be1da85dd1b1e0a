#!/usr/bin/env bash
# `npm test`: every check the project has, in order of cost. Stops at the first failing stage and
# ends with one summary line, "tests: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
mkdir -p test-results

stage() {
  local name="$1"
  shift
  echo
  echo "── $name ──"
  local start=$SECONDS
  if ! "$@"; then
    echo "✗ $name failed (after $((SECONDS - start)) s)"
    node scripts/summarize-tests.mjs || true
    exit 1
  fi
  echo "✓ $name ($((SECONDS - start)) s)"
}

stage "type check" npx tsc --noEmit
stage "lint" npx eslint --max-warnings 0 .
stage "format" npx prettier --check --log-level warn .
stage "unit and integration tests (vitest)" npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json
stage "chromium" bash scripts/ensure-chromium.sh
stage "production build" npx next build
stage "browser tests (playwright)" npx playwright test
node scripts/summarize-tests.mjs
