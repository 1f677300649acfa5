package dev.coldspy.python;

import dev.coldspy.fix.FixOptions;
import dev.coldspy.fix.FixPlanner;
import dev.coldspy.rules.FixKind;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Benchmark of the source model and the fix planner (a main, not a test: run by
 * {@code scripts/bench/source_model.sh}). For synthetic handler modules of 2,000 and 20,000 lines it prints
 * medians over repeated runs, after warm-up, of: a first parse, an incremental re-parse after a one-line
 * edit, the import index, planning every fix kind for one statement (`import yaml`, used 4 times per 2,000
 * lines; `from policyuniverse.policy import Policy`, used 83 times per 2,000 lines; the parse and import
 * index cached, as in the language server) and for every module-level import.
 * Times are the measuring thread's CPU time, so that other processes on a shared machine do not inflate them.
 */
public final class SourceModelBenchmark {
  private static final String[] LIBRARIES = {
    "json", "os", "re", "boto3", "yaml", "requests", "numpy as np", "pandas as pd", "hashlib", "logging",
    "datetime", "decimal", "typing", "uuid", "base64", "csv", "gzip", "itertools", "functools", "collections"
  };

  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  private SourceModelBenchmark() {}

  public static void main(String[] args) {
    int[] sizes = args.length > 0 ? Arrays.stream(args).mapToInt(Integer::parseInt).toArray() : new int[] {2_000, 20_000};
    System.out.printf(Locale.ROOT, "java %s, %d cores%n", System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
    System.out.println("CPU-time medians per operation");
    System.out.println(
        "lines   | first parse | incremental | import index | fixes: yaml stmt | fixes: Policy stmt |"
            + " all fixes (plans)");
    for (int lines : sizes) {
      run(lines);
    }
  }

  private static void run(int targetLines) {
    String source = syntheticModule(targetLines);
    int lines = (int) source.lines().count();
    int repeats = targetLines > 10_000 ? 12 : 40;
    int middle = source.indexOf("    return total\n", source.length() / 2);
    String edited = source.substring(0, middle) + "    total += 1\n" + source.substring(middle);
    double parse = median(repeats, () -> PythonModule.parse(source));
    PythonModule base = PythonModule.parse(source);
    double reparse = median(repeats, () -> base.reparse(edited));
    double index = median(repeats, () -> PythonModule.parse(source), m -> m.imports());
    FixPlanner planner = new FixPlanner(FixOptions.defaults().withTargetPython(dev.coldspy.engine.PythonVersion.PEP_810));
    double fewUses = median(repeats, () -> withImports(PythonModule.parse(source)), m -> planStatement(planner, m, "yaml"));
    double manyUses =
        median(repeats, () -> withImports(PythonModule.parse(source)), m -> planStatement(planner, m, "Policy"));
    int[] plans = new int[1];
    double fixes =
        median(
            repeats,
            () -> withImports(PythonModule.parse(source)),
            m -> {
              plans[0] = 0;
              for (ImportStatement statement : m.imports().moduleLevel()) {
                for (FixKind kind : FixKind.values()) {
                  planner.plan(m, statement, List.of(), kind);
                  plans[0]++;
                }
              }
              return m;
            });
    System.out.printf(
        Locale.ROOT,
        "%7d | %8.2f ms | %8.2f ms | %9.2f ms | %13.2f ms | %15.2f ms | %7.2f ms (%d)%n",
        lines, parse, reparse, index, fewUses, manyUses, fixes, plans[0]);
  }

  /** Every fix kind for the module-level statement binding {@code name}: what a quick-fix request costs. */
  private static PythonModule planStatement(FixPlanner planner, PythonModule module, String name) {
    ImportStatement statement = module.imports().bindingAtModuleLevel(name).get(0);
    for (FixKind kind : FixKind.values()) {
      planner.plan(module, statement, List.of(), kind);
    }
    return module;
  }

  private static PythonModule withImports(PythonModule module) {
    module.imports();
    return module;
  }

  private static double median(int repeats, Supplier<?> work) {
    return median(repeats, () -> null, ignored -> work.get());
  }

  /** Median milliseconds of {@code measured} applied to a fresh {@code setup()} result (setup not timed). */
  private static <T> double median(int repeats, Supplier<T> setup, java.util.function.Function<T, ?> measured) {
    for (int i = 0; i < 5; i++) {
      measured.apply(setup.get()); // warm-up
    }
    List<Double> times = new ArrayList<>();
    for (int i = 0; i < repeats; i++) {
      T input = setup.get();
      long start = CPU.getCurrentThreadCpuTime();
      measured.apply(input);
      times.add((CPU.getCurrentThreadCpuTime() - start) / 1e6);
    }
    times.sort(null);
    return times.get(times.size() / 2);
  }

  /**
   * A handler module of about {@code lines} lines: an import block, then functions and classes that use
   * the imports in branches, loops, comprehensions, annotations and decorators.
   */
  static String syntheticModule(int lines) {
    StringBuilder out = new StringBuilder("\"\"\"Synthetic handler module.\"\"\"\n");
    for (String library : LIBRARIES) {
      out.append("import ").append(library).append('\n');
    }
    out.append("from typing import Any, Optional\nfrom policyuniverse.policy import Policy\n\n");
    out.append("LOG = logging.getLogger(__name__)\n\n");
    int i = 0;
    while (out.chars().filter(c -> c == '\n').count() < lines) {
      String lib = LIBRARIES[i % LIBRARIES.length].replaceAll(".* as ", "");
      out.append("\n\n@functools.lru_cache(maxsize=None)\n")
          .append("def helper_").append(i).append("(event: dict, limit: int = 10) -> Optional[Any]:\n")
          .append("    \"\"\"Process part ").append(i).append(" of the event.\"\"\"\n")
          .append("    total = 0\n")
          .append("    for key, value in event.items():\n")
          .append("        if key.startswith('x') and value:\n")
          .append("            total += len(str(").append(lib).append("))\n")
          .append("        elif isinstance(value, list):\n")
          .append("            total += sum(len(v) for v in value if v)\n")
          .append("    names = [k.upper() for k in event if k]\n")
          .append("    if len(names) > limit:\n")
          .append("        policy = Policy({'Statement': names})\n")
          .append("        return policy\n")
          .append("    return total\n")
          .append("\n\nclass Worker").append(i).append(":\n")
          .append("    retries: int = 3\n\n")
          .append("    def run(self, payload: str) -> str:\n")
          .append("        data = json.loads(payload)\n")
          .append("        return base64.b64encode(hashlib.sha256(data).digest()).decode()\n");
      i++;
    }
    return out.toString();
  }
}
