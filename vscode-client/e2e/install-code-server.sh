#!/bin/sh
# Installs code-server 4.100.3 (VS Code 1.100.3, the last code-server release that runs on Node 20) from the
# npm registry, without any download from GitHub, into a cache folder outside the repository:
#   COLDSPY_VSHOST_DIR (default ~/.cache/coldspy/vscode-host) / cs
# Idempotent: does nothing when that version is already installed there. ~70 s and ~300 MB when cold.
# Needs (Debian): ripgrep build-essential python3 libkrb5-dev pkg-config (see scripts/setup.d/50-vscode.sh).
# Adapted from the team's verified recipe (shared/design/vscode-host).
set -eu
CODE_SERVER_VERSION=4.100.3
VSHOST_DIR=${COLDSPY_VSHOST_DIR:-$HOME/.cache/coldspy/vscode-host}
PREFIX=$VSHOST_DIR/cs
export TMPDIR="$VSHOST_DIR/tmp"
mkdir -p "$PREFIX" "$TMPDIR"
if XDG_CONFIG_HOME="$TMPDIR/xdg" "$PREFIX/bin/code-server" --version 2>/dev/null | grep -q "^$CODE_SERVER_VERSION "; then
  echo "code-server $CODE_SERVER_VERSION already installed in $PREFIX"
  exit 0
fi
# node-gyp must use the headers of the node that runs it (<prefix>/include/node) instead of downloading them from
# nodejs.org; the prefix is the one of the node on PATH (Debian's /usr, or e.g. an nvm or /usr/local install).
if [ -z "${npm_config_nodedir:-}" ]; then
  node_bin=$(command -v node) || { echo "install-code-server: node is not on PATH" >&2; exit 1; }
  npm_config_nodedir=$(dirname "$(dirname "$(readlink -f "$node_bin")")")
fi
if [ ! -f "$npm_config_nodedir/include/node/node.h" ]; then
  echo "install-code-server: $npm_config_nodedir/include/node/node.h is missing: install the headers of this node" \
    "(Debian's nodejs package has them) or set npm_config_nodedir to a folder with include/node/node.h" >&2
  exit 1
fi
export npm_config_nodedir
# 1) @vscode/ripgrep's postinstall downloads rg from GitHub: pre-seed its download cache with Debian's rg
#    (cache path = os.tmpdir()/vscode-ripgrep-cache-<pkgver>/ripgrep-<tag>-<target>.tar.gz)
RG_CACHE="$TMPDIR/vscode-ripgrep-cache-1.15.11"
mkdir -p "$RG_CACHE" "$TMPDIR/rgpack"
cp "$(command -v rg)" "$TMPDIR/rgpack/rg"
tar czf "$RG_CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$TMPDIR/rgpack" rg
# 2) install without code-server's postinstall (its nested npm breaks under npm 11 with TAR_ENTRY_ERROR)
npm install -g --ignore-scripts --no-audit --no-fund --prefix "$PREFIX" "code-server@$CODE_SERVER_VERSION"
CS="$PREFIX/lib/node_modules/code-server"
# 3) argon2's prebuilt binary is on GitHub: build it from source
(cd "$CS/node_modules/argon2" && ../.bin/node-pre-gyp rebuild)
# 4) code-server's postinstall by hand (node-pty's postinstall runs `npx node-gyp`: needs npm_config_yes)
cd "$CS/lib/vscode"
npm_config_yes=true npm install --omit=dev --no-audit --no-fund
ln -sfn node_modules node_modules.asar
(cd bin/remote-cli && ln -sfn code-linux.sh code-server)
(cd bin/helpers && ln -sfn browser-linux.sh browser.sh)
(cd extensions && npm install --omit=dev --no-audit --no-fund)
test -x node_modules/@vscode/ripgrep/bin/rg
XDG_CONFIG_HOME="$TMPDIR/xdg" "$PREFIX/bin/code-server" --version
