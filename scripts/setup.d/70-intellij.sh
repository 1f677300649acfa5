#!/usr/bin/env bash
# IntelliJ checks (intellij-plugin/checks, not a module of the root build): LSP4J and JetBrains'
# plugin-structure library with its Kotlin runtime, all from Maven Central.
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -q -B -f intellij-plugin/checks/pom.xml dependency:go-offline >/dev/null
