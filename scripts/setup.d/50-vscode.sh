#!/usr/bin/env bash
# VS Code extension: its npm packages, and a real VS Code host for its end-to-end test
# (code-server 4.100.3 from the npm registry, built locally without GitHub downloads, driven by Debian's Chromium).
set -euo pipefail
cd "$(dirname "$0")/../.."

# Node.js 20 is part of the machine image (code-server 4.100.3 needs exactly the 20 line).
if ! command -v node >/dev/null || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  echo "50-vscode: Node.js 20 is required (found: $(node --version 2>/dev/null || echo none))" >&2
  exit 1
fi

# Chromium for playwright-core (and an emoji font for the ⏱ of the inlay hints in screenshots); ripgrep (pre-seeds @vscode/ripgrep); compilers and headers for code-server's
# native modules (argon2, node-pty, kerberos).
packages="chromium fonts-noto-color-emoji ripgrep libkrb5-dev pkg-config build-essential python3"
. scripts/setup-lib.sh
apt_install_missing $packages
npm_ci_once vscode-client
# Into ~/.cache/coldspy/vscode-host (COLDSPY_VSHOST_DIR), outside the repository; does nothing when present.
sh vscode-client/e2e/install-code-server.sh
