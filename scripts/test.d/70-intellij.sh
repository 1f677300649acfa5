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
# Surefire counts skipped tests without saying why; the reason matters here (e.g. no `serve` in the jar yet).
reports=intellij-plugin/checks/target/surefire-reports
if grep -q 'Assumption failed: ' "$reports"/*.xml 2>/dev/null; then
  echo "SKIPPED:"
  grep -ho 'Assumption failed: .*' "$reports"/*.xml | sed 's/^Assumption failed: /  /'
fi
