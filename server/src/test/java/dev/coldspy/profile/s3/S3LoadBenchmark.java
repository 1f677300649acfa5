package dev.coldspy.profile.s3;

import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * Benchmark of reading collected profiles from S3 (not a test: run it with {@code scripts/bench/s3_profiles.sh},
 * which starts moto's server, uploads the objects and points the SDK at it through the environment). Loads
 * {@code s3://bucket/prefix} (the first argument) with {@link S3ProfileLoader}'s defaults a few times and
 * reports wall time, process CPU and the heap retained by the merged set.
 */
public final class S3LoadBenchmark {
  private S3LoadBenchmark() {}

  public static void main(String[] args) throws Exception {
    S3Location location = S3Location.parse(args[0]);
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    try (var client = S3Clients.fromEnvironment()) {
      for (int run = 1; run <= runs; run++) {
        long wall = System.nanoTime();
        long cpu = os.getProcessCpuTime();
        S3ProfileLoader.Result result = new S3ProfileLoader(client).load(List.of(location), null);
        long wallMs = (System.nanoTime() - wall) / 1_000_000;
        long cpuMs = (os.getProcessCpuTime() - cpu) / 1_000_000;
        System.gc();
        Runtime heap = Runtime.getRuntime();
        long retained = heap.totalMemory() - heap.freeMemory();
        System.out.printf("run %d: %d objects, %d cold starts, %d errors; %d ms wall, %d ms CPU; heap after GC"
            + " %.0f MB (the merged set held)%n", run, result.objectsRead(),
            result.profiles().map(p -> p.coldStartCount()).orElse(0), result.errors().size(), wallMs, cpuMs,
            retained / 1e6);
      }
    }
  }
}
