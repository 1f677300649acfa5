#!/usr/bin/env bash
# Benchmark of the profile readers and the merged view (server/src/test/.../ProfileBenchmark.java):
# a 1M-sample / 200k-node profile read and merged under a 256 MB heap, and 1,000 cold-start profiles merged.
# Figures go into docs/benchmarks.md ("Engine: loading and merging profiles").
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -q -B -o -pl server test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt \
  || mvn -q -B -pl server test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt
classpath="server/target/test-classes:server/target/classes:$(cat server/target/bench-classpath.txt)"
java -Xmx256m -cp "$classpath" dev.coldspy.profile.ProfileBenchmark
