#!/usr/bin/env bash
# Java engine, CLI and language server: unit, service, protocol and packaged-jar tests; builds coldspy.jar.
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -ntp install
