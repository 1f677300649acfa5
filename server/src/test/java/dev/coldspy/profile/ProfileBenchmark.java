package dev.coldspy.profile;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Benchmark of loading and merging profiles (not a test: run it with {@code scripts/bench/profiles.sh}).
 *
 * <ol>
 *   <li>A synthetic profile of 1,000,000 samples over 200,000 call-tree nodes (10 cold starts of 1,500
 *       modules each): read it and build the merged view, reporting time and retained heap.
 *   <li>1,000 single-cold-start profiles of one app (400 modules, a 300-node call tree each): load the
 *       directory and merge them.
 * </ol>
 * Every profile is generated with a fixed seed, so runs compare like with like.
 */
public final class ProfileBenchmark {
  private static final JsonFactory JSON = JsonFactory.builder().build();


  private ProfileBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("coldspy-bench-");
    try {
      Path large = dir.resolve("large_app.json");
      writeProfile(large, "large_app", 10, 1_500, 200_000, 1_000_000, 1);
      System.out.printf("large profile: %.1f MB, 200,000 nodes, 1,000,000 samples, 10 cold starts x 1,500 modules%n",
          Files.size(large) / 1e6);
      List<Long> times = new ArrayList<>();
      List<Long> cpuTimes = new ArrayList<>();
      ProfileSet set = null;
      for (int run = 0; run < 6; run++) {
        set = null;
        long start = System.nanoTime();
        long cpuStart = processCpuNanos();
        set = ProfileSet.of(List.of(ProfileReader.read(large)));
        cpuTimes.add((processCpuNanos() - cpuStart) / 1_000_000);
        times.add((System.nanoTime() - start) / 1_000_000);
      }
      report("read + merged view", times, cpuTimes);
      System.out.printf("  retained heap with the view loaded: %.0f MB (max heap %d MB)%n", usedHeapMb(),
          Runtime.getRuntime().maxMemory() / (1024 * 1024));
      check(set.callTree().totalImportSamples() + set.callTree().totalExecutionSamples() == 1_000_000);
      set = null;

      Path many = Files.createDirectory(dir.resolve("many"));
      for (int i = 0; i < 1_000; i++) {
        writeProfile(many.resolve(String.format("small_app-%04d.json", i)), "small_app", 1, 400, 300, 2_000, 1000 + i);
      }
      System.out.println("1,000 profiles of one cold start each (400 modules, 300 call-tree nodes)");
      times.clear();
      cpuTimes.clear();
      ProfileLoader.Result result = null;
      for (int run = 0; run < 4; run++) {
        result = null;
        long start = System.nanoTime();
        long cpuStart = processCpuNanos();
        result = ProfileLoader.load(List.of(many), null);
        cpuTimes.add((processCpuNanos() - cpuStart) / 1_000_000);
        times.add((System.nanoTime() - start) / 1_000_000);
      }
      ProfileSet merged = result.profiles().orElseThrow();
      check(merged.coldStartCount() == 1_000 && result.errors().isEmpty());
      report("load + merge", times, cpuTimes);
      System.out.printf("  retained heap with the merged set loaded: %.0f MB; %d modules, %d merged call-tree nodes%n",
          usedHeapMb(), merged.modules().size(), merged.callTree().nodeCount());
    } finally {
      try (var walk = Files.walk(dir)) {
        for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(path);
        }
      }
    }
    System.out.println("java " + System.getProperty("java.version") + " " + ManagementFactory.getRuntimeMXBean()
        .getInputArguments() + ", " + Runtime.getRuntime().availableProcessors() + " processors, load average "
        + ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  /**
   * Writes a schema-valid profile: {@code modules} modules per cold start in packages of ten, a call tree of
   * {@code nodes} nodes whose sample counts add up to {@code samples}.
   */
  static void writeProfile(Path file, String app, int coldStarts, int modules, int nodes, int samples, long seed)
      throws IOException {
    Random random = new Random(seed);
    int files = modules + 1;
    try (JsonGenerator json = JSON.createGenerator(Files.newBufferedWriter(file))) {
      json.writeStartObject();
      json.writeStringField("format", "coldspy-profile");
      json.writeNumberField("schemaVersion", 1);
      json.writeObjectFieldStart("agent");
      json.writeStringField("name", "coldspy");
      json.writeStringField("version", "bench");
      json.writeEndObject();
      json.writeObjectFieldStart("app");
      json.writeStringField("handler", "handler.py:handler");
      json.writeStringField("root", "/var/task");
      json.writeStringField("name", app);
      json.writeEndObject();
      json.writeObjectFieldStart("environment");
      json.writeStringField("pythonVersion", "3.12.1");
      json.writeStringField("implementation", "CPython");
      json.writeStringField("platform", "Linux");
      json.writeStringField("machine", "x86_64");
      json.writeBooleanField("lambda", false);
      json.writeNullField("memoryLimitMb");
      json.writeEndObject();
      json.writeObjectFieldStart("settings");
      json.writeNumberField("sampleIntervalUs", 1000);
      json.writeStringField("clock", "wall");
      json.writeStringField("usageSignal", "sys.monitoring");
      json.writeStringField("memoryMethod", "rss");
      json.writeNumberField("coldStarts", coldStarts);
      json.writeEndObject();
      json.writeArrayFieldStart("files");
      json.writeString("/var/task/handler.py");
      for (int m = 0; m < modules; m++) {
        json.writeString("/var/task/" + moduleName(m).replace('.', '/') + ".py");
      }
      json.writeEndArray();
      json.writeArrayFieldStart("coldStarts");
      for (int c = 0; c < coldStarts; c++) {
        writeColdStart(json, c, modules, samples / coldStarts, random);
      }
      json.writeEndArray();
      json.writeObjectFieldStart("callTree");
      int frames = Math.max(1, nodes / 5);
      json.writeArrayFieldStart("frames");
      for (int f = 0; f < frames; f++) {
        json.writeStartArray();
        json.writeNumber(f % files);
        json.writeString(f % 7 == 0 ? "<module>" : "function_" + f);
        json.writeNumber(1 + f % 500);
        json.writeString(f % files == 0 ? "handler" : moduleName(f % files - 1));
        json.writeEndArray();
      }
      json.writeEndArray();
      int[] importSelf = new int[nodes];
      int[] executionSelf = new int[nodes];
      for (int s = 0; s < samples; s++) {
        int node = 1 + random.nextInt(nodes - 1);
        if (node % 2 == 0) {
          importSelf[node]++;
        } else {
          executionSelf[node]++;
        }
      }
      json.writeArrayFieldStart("nodes");
      writeNode(json, -1, -1, 0, 0);
      for (int n = 1; n < nodes; n++) {
        // Mostly extend a recent path (deep stacks), sometimes branch off near the root.
        int parent = random.nextInt(10) == 0 ? random.nextInt(Math.min(n, 50)) : Math.max(0, n - 1 - random.nextInt(Math.min(n, 20)));
        writeNode(json, parent, random.nextInt(frames), importSelf[n], executionSelf[n]);
      }
      json.writeEndArray();
      json.writeEndObject();
      json.writeArrayFieldStart("errors");
      json.writeEndArray();
      json.writeEndObject();
    }
  }

  private static void writeColdStart(JsonGenerator json, int index, int modules, int samples, Random random)
      throws IOException {
    json.writeStartObject();
    json.writeNumberField("index", index);
    json.writeNumberField("initUs", 500_000 + random.nextInt(100_000));
    json.writeNumberField("initPeakRssBytes", 80_000_000);
    json.writeObjectFieldStart("samples");
    json.writeNumberField("import", samples / 2);
    json.writeNumberField("execution", samples - samples / 2);
    json.writeEndObject();
    json.writeArrayFieldStart("modules");
    for (int m = 0; m < modules; m++) {
      long self = 50 + random.nextInt(5_000);
      json.writeStartObject();
      json.writeStringField("name", moduleName(m));
      if (m % 10 == 0) {
        json.writeNullField("parent");
      } else {
        json.writeStringField("parent", moduleName(m - m % 10));
      }
      json.writeNumberField("file", m + 1);
      json.writeNumberField("selfUs", self);
      json.writeNumberField("cumulativeUs", self * (m % 10 == 0 ? 10 : 1));
      json.writeStringField("phase", "init");
      json.writeObjectFieldStart("trigger");
      json.writeNumberField("file", m % 10 == 0 ? 0 : m - m % 10 + 1);
      json.writeNumberField("line", 1 + m % 10);
      json.writeEndObject();
      json.writeNumberField("rssDeltaBytes", self * 100);
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeArrayFieldStart("invocations");
    List<String> executed = new ArrayList<>();
    for (int m = 0; m < modules; m += 4) {
      executed.add(moduleName(m));
    }
    executed.sort(null);
    for (int i = 0; i < 3; i++) {
      json.writeStartObject();
      json.writeNumberField("index", i);
      json.writeStringField("event", "event-" + i + ".json");
      json.writeNumberField("durationUs", 1_000 + random.nextInt(10_000));
      json.writeNullField("peakRssBytes");
      json.writeStringField("outcome", "return");
      json.writeNullField("exceptionType");
      json.writeArrayFieldStart("modulesExecuted");
      for (String name : executed) {
        json.writeString(name);
      }
      json.writeEndArray();
      json.writeNumberField("samples", samples / 6);
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeObjectFieldStart("moduleUsage");
    for (String name : executed) {
      json.writeObjectFieldStart(name);
      json.writeNumberField("samples", random.nextInt(100));
      json.writeBooleanField("executed", true);
      json.writeEndObject();
    }
    json.writeEndObject();
    json.writeEndObject();
  }

  private static void writeNode(JsonGenerator json, int parent, int frame, int importSamples, int executionSamples)
      throws IOException {
    json.writeStartArray();
    json.writeNumber(parent);
    json.writeNumber(frame);
    json.writeNumber(importSamples);
    json.writeNumber(executionSamples);
    json.writeEndArray();
  }

  private static String moduleName(int m) {
    return m % 10 == 0 ? "pkg" + m / 10 : "pkg" + m / 10 + ".mod" + m % 10;
  }

  private static void report(String what, List<Long> wallMs, List<Long> cpuMs) {
    System.out.printf("  %s: first %d ms, then median %d ms wall / %d ms CPU of the process, all threads and GC"
        + " included (wall runs: %s, CPU runs: %s)%n", what, wallMs.get(0), median(wallMs.subList(1, wallMs.size())),
        median(cpuMs.subList(1, cpuMs.size())), wallMs, cpuMs);
  }

  /** CPU time of the whole process: robust against other processes competing for the cores. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static long median(List<Long> values) {
    long[] sorted = values.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static double usedHeapMb() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    Runtime runtime = Runtime.getRuntime();
    return (runtime.totalMemory() - runtime.freeMemory()) / (1024.0 * 1024.0);
  }

  private static void check(boolean condition) {
    if (!condition) {
      throw new IllegalStateException("benchmark self-check failed");
    }
  }
}
