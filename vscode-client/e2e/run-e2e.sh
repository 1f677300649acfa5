#!/bin/sh
# Runs the end-to-end test of the ColdSpy extension in a real VS Code host (code-server + Chromium).
# Needs: e2e/install-code-server.sh run once, `npm ci`, and `npm run package` (dist/coldspy-<version>.vsix).
# Extra arguments go to node --test (e.g. --test-name-pattern=...).
# Screenshots, the code-server log, the ColdSpy output channel and metrics.json go to test-artifacts/e2e/.
set -eu
cd "$(dirname "$0")/.."
exec node --test --test-concurrency=1 "$@" e2e/extension.e2e.js
