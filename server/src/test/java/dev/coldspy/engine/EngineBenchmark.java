package dev.coldspy.engine;

import dev.coldspy.profile.ProfileLoader;
import dev.coldspy.profile.ProfileSet;
import dev.coldspy.python.ModuleIdentity;
import dev.coldspy.python.PythonModule;
import dev.coldspy.settings.Settings;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Load + analyse benchmark (not a test): {@code scripts/bench/engine.sh} runs it on the profile written by
 * {@code scripts/bench/engine_profile.py}, in a fresh JVM with {@code -Xmx256m}. Prints the first run (cold
 * JVM) and the median of the following runs, and the peak heap used.
 *
 * <p>Usage: {@code EngineBenchmark APP_DIR [RUNS]} where APP_DIR holds handler.py and profile.json.
 */
public final class EngineBenchmark {
  private EngineBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path app = Path.of(args[0]);
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 6;
    Path handler = app.resolve("handler.py");
    long[] load = new long[runs];
    long[] analyse = new long[runs];
    long[] analyseCpu = new long[runs];
    java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    int findings = 0;
    for (int run = 0; run < runs; run++) {
      long start = System.nanoTime();
      ProfileLoader.Result loaded = ProfileLoader.load(List.of(app.resolve("profile.json")), null);
      ProfileSet profiles = loaded.profiles().orElseThrow(() -> new IllegalStateException(loaded.errors().toString()));
      long loadedAt = System.nanoTime();
      long cpuAtLoad = threads.getCurrentThreadCpuTime();
      PythonModule module = PythonModule.parse(Files.readString(handler), ModuleIdentity.forFile(handler));
      List<SourceFile> sources =
          AppSources.of(new ArrayList<>(List.of(new AppSources.Parsed("handler.py", "handler.py", module))));
      Analysis analysis = new Engine(Knowledge.bundled(), EngineSettings.of(Settings.DEFAULTS)).analyze(profiles, sources);
      long analysedAt = System.nanoTime();
      analyseCpu[run] = threads.getCurrentThreadCpuTime() - cpuAtLoad;
      load[run] = loadedAt - start;
      analyse[run] = analysedAt - loadedAt;
      findings = analysis.findings().size();
      if (run == 0) {
        System.out.printf(Locale.ROOT, "profile: %d cold starts, %d call-tree nodes, %d samples; %d findings%n",
            profiles.coldStartCount(), profiles.callTree().nodeCount(),
            profiles.callTree().totalImportSamples() + profiles.callTree().totalExecutionSamples(), findings);
      }
    }
    System.out.printf(Locale.ROOT, "first run: load %.0f ms, analyse %.0f ms, total %.0f ms%n",
        ms(load[0]), ms(analyse[0]), ms(load[0] + analyse[0]));
    System.out.printf(Locale.ROOT, "warm median of %d: load %.0f ms, analyse %.0f ms (analyse CPU %.0f ms)%n",
        runs - 1, ms(median(load)), ms(median(analyse)), ms(median(analyseCpu)));
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    System.out.printf(Locale.ROOT, "peak heap used: %.0f MB (max heap %.0f MB)%n", peak / 1e6,
        Runtime.getRuntime().maxMemory() / 1e6);
  }

  private static double median(long[] values) {
    long[] warm = java.util.Arrays.copyOfRange(values, 1, values.length);
    java.util.Arrays.sort(warm);
    return warm[warm.length / 2];
  }

  private static double ms(double nanos) {
    return nanos / 1e6;
  }
}
