# Shared by the setup steps (sourced, not run).

# npm ci in DIR unless its node_modules was installed from the same package-lock.json (npm ci deletes and
# rebuilds node_modules every time: a stamp of the lock file's hash keeps a second setup run fast).
npm_ci_once() {
  local dir=$1 stamp="$1/node_modules/.coldspy-lock-sha256" want
  want=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    echo "$dir: node_modules up to date"
    return 0
  fi
  (cd "$dir" && npm ci --no-audit --no-fund)
  echo "$want" > "$stamp"
}

# Debian packages that are not installed yet (apt-get update runs only when something is missing).
apt_install_missing() {
  local missing="" package
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing="$missing $package"
  done
  if [ -n "$missing" ]; then
    apt-get update -q
    apt-get install -y -q --no-install-recommends $missing
  fi
}

# pip into the machine's python3 (installing pip from Debian when it lacks one). A Debian-managed python3
# refuses plain installs (PEP 668); CI machines are throwaway, so it installs anyway.
pip_install() {
  python3 -m pip --version >/dev/null 2>&1 || apt_install_missing python3-pip
  python3 -m pip install --quiet --disable-pip-version-check "$@" \
    || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages "$@"
}
