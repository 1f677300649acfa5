#!/usr/bin/env bash
# VS Code extension: unit tests of the client logic, the .vsix build, and the end-to-end test in a real VS Code
# host (code-server + Chromium). Needs scripts/setup.d/50-vscode.sh (run by scripts/setup.sh), and server/target/coldspy.jar from 10-java.sh.
set -euo pipefail
cd "$(dirname "$0")/../../vscode-client"

if [ ! -d node_modules ]; then
  echo "50-vscode: vscode-client/node_modules is missing: run scripts/setup.sh (or npm ci in vscode-client)" >&2
  exit 1
fi
npm test
npm run package

# A server that does not answer `initialize` fails here with a clear message (never a skipped scenario).
if ! node e2e/jar-speaks-lsp.js ../server/target/coldspy.jar; then
  echo "50-vscode: FAILED: coldspy.jar does not answer an LSP initialize ('serve')" >&2
  exit 1
fi
sh e2e/run-e2e.sh
