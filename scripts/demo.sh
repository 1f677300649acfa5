#!/usr/bin/env bash
# The demo: build ColdSpy, profile a fixture app through real cold starts with the agent embedded in the
# jar, and show the ranked findings on its import lines. Usage: scripts/demo.sh [APP] (default rules_engine).
set -euo pipefail
cd "$(dirname "$0")/.."
app="${1:-rules_engine}"
app_dir="fixtures/apps/$app"
[ -d "$app_dir" ] || { echo "demo: no fixture app '$app' (see fixtures/apps/)" >&2; exit 2; }

if ! python3 -c 'import sys' 2>/dev/null; then
  echo "demo: python3 is needed to run the handler" >&2; exit 2
fi
# The app's own libraries, into the python3 that runs it. A Debian-managed python3 (PEP 668) refuses that
# unless asked; run the demo inside a virtual environment to keep your system Python clean.
if [ -f "$app_dir/requirements.txt" ] && ! python3 -m pip install -q -r "$app_dir/requirements.txt" \
    && ! python3 -m pip install -q --break-system-packages -r "$app_dir/requirements.txt"; then
  echo "demo: could not install $app_dir/requirements.txt" >&2; exit 2
fi

echo "== building server/target/coldspy.jar"
mvn -q -B -ntp package -DskipTests

profile="$app_dir/.coldspy/profiles/demo.json"
mkdir -p "$(dirname "$profile")"
echo "== profiling $app_dir/handler.py:handler (10 cold starts)"
java -jar server/target/coldspy.jar profile "$app_dir/handler.py:handler" --event "$app_dir/events" \
  --cold-starts 10 -o "$profile"

echo "== coldspy check $app_dir"
set +e
java -jar server/target/coldspy.jar check --profile "$profile" "$app_dir"
status=$?
set -e
# check exits 1 when it has findings: that is the expected outcome of the demo, not a failure.
[ "$status" -le 1 ] || exit "$status"
echo "== the profile is in $profile; open $app_dir in VS Code with the ColdSpy extension to see it on the lines"
