#!/usr/bin/env bash
# IntelliJ integration, as far as this machine allows: the LSP4IJ template (intellij-plugin/template) starts
# the packaged server and gets diagnostics for a fixture over stdio, and JetBrains' plugin-structure library
# accepts the plugin's descriptor and layout (intellij-plugin/checks). The plugin's Gradle build needs
# JetBrains' repositories and is not run here: see intellij-plugin/README.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -f server/target/coldspy.jar ]; then
  mvn -B -ntp -q -pl server -am package -DskipTests
fi
mvn -B -ntp -f intellij-plugin/checks/pom.xml verify
# Every check is a core check: a skipped test (a JUnit assumption) fails this script like a failed one.
reports=intellij-plugin/checks/target/surefire-reports
ls "$reports"/TEST-*.xml >/dev/null || { echo "70-intellij: FAILED: no test reports in $reports" >&2; exit 1; }
skipped=$(grep -ho 'skipped="[1-9][0-9]*"' "$reports"/TEST-*.xml || true)
if [ -n "$skipped" ]; then
  echo "70-intellij: FAILED: tests were skipped:" >&2
  grep -ho -A1 '<skipped[^>]*>' "$reports"/TEST-*.xml >&2 || true
  exit 1
fi
