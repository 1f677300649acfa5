#!/usr/bin/env bash
# Java 17 and Maven (present on the machine image; installed from Debian when missing).
set -euo pipefail
if ! command -v mvn >/dev/null || ! command -v javac >/dev/null; then
  apt-get update -q
  apt-get install -y -q openjdk-17-jdk-headless maven
fi
cd "$(dirname "$0")/../.."
mvn -q -B dependency:go-offline -DskipTests >/dev/null
