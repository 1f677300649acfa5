package dev.coldspy.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.coldspy.python.ImportStatement;
import dev.coldspy.python.ModuleIdentity;
import dev.coldspy.python.PythonModule;
import dev.coldspy.rules.FixKind;
import dev.coldspy.text.SpanEdit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bounded, seeded fuzzer for the source model and the fix planner: random modules
 * ({@link PythonSourceGenerator}) and mutations of them and of the fix corpus's files (lines deleted,
 * duplicated, swapped, re-indented, stray brackets, quotes, keywords, CR, BOM, truncation) are parsed and
 * indexed, and every fix kind is planned for every import statement, one by one and all together. Nothing
 * may throw, every fixed text must parse again, and a fixed file must compile (with {@code python3}) when the
 * original did.
 *
 * <p>In {@code mvn test}: {@value #DEFAULT_ITERATIONS} sources, well under a minute. Longer:
 * {@code -Dcoldspy.fuzz.iterations=20000}; another seed: {@code -Dcoldspy.fuzz.seed=N} (a failure names the
 * seed and the source's number, so it can be replayed).
 */
class FixPlannerFuzzTest {
  static final int DEFAULT_ITERATIONS = 400;
  private static final String[] INSERTIONS = {
    "(", ")", ":", "\"", "'''", "\\", "\t", "\r", "\uFEFF", "match ", "case ", "lazy ", "import ", " as ", ",",
    "\n", "    ", "#", "async ", "*", "if TYPE_CHECKING:\n    ",
  };

  @Test
  void everyFixIsPlannedWithoutErrorAndEveryFixedFileCompiles(@TempDir Path dir) throws Exception {
    int iterations = Integer.getInteger("coldspy.fuzz.iterations", DEFAULT_ITERATIONS);
    long seed = Long.getLong("coldspy.fuzz.seed", 20261202L);
    Random random = new Random(seed);
    List<String> corpus = corpusSources();
    FixPlanner planner = new FixPlanner(FixOptions.defaults());
    List<String> errors = new ArrayList<>();
    int plans = 0;
    int safe = 0;
    for (int i = 0; i < iterations; i++) {
      String source = switch (random.nextInt(4)) {
        case 0 -> mutate(corpus.get(random.nextInt(corpus.size())), random);
        case 1 -> mutate(new PythonSourceGenerator(random.nextLong()).generate(), random);
        default -> new PythonSourceGenerator(random.nextLong()).generate();
      };
      ModuleIdentity identity = random.nextInt(5) == 0
          ? new ModuleIdentity("pkg.mod" + i, random.nextBoolean()) : ModuleIdentity.UNKNOWN;
      Path sourceDir = dir.resolve(String.valueOf(i));
      Files.createDirectories(sourceDir);
      Files.writeString(sourceDir.resolve("original.py"), source, StandardCharsets.UTF_8);
      try {
        PythonModule module = PythonModule.parse(source, identity);
        List<FixRequest> all = new ArrayList<>();
        for (ImportStatement statement : module.imports().statements()) {
          all.add(new FixRequest(statement.index(), Set.of(), Arrays.asList(FixKind.values())));
          for (FixKind kind : FixKind.values()) {
            plans++;
            if (planner.plan(module, statement, List.of(), kind) instanceof FixPlan.Safe plan) {
              safe++;
              String fixed = SpanEdit.applyAll(source, plan.edits());
              PythonModule.parse(fixed, identity).imports();
              if (kind != FixKind.PEP810_LAZY) {
                Files.writeString(sourceDir.resolve("fix-" + statement.profileLine() + "-" + kind + ".py"), fixed,
                    StandardCharsets.UTF_8);
              }
            }
          }
        }
        String together = new FixApplier(planner).apply(module, all).module().source();
        Files.writeString(sourceDir.resolve("fix-all.py"), together, StandardCharsets.UTF_8);
      } catch (RuntimeException | StackOverflowError e) {
        errors.add("seed " + seed + ", source " + i + ": " + e + "\n" + source);
      }
    }
    assertEquals(List.of(), errors.stream().limit(3).toList(), errors.size() + " sources made the planner fail");
    assertTrue(safe > 0, "no fix was planned in " + plans + " plans: the generator exercises nothing");
    List<String> compileFailures = compileFailures(dir);
    // One line for docs/benchmarks.md when run in the longer mode.
    System.out.printf("fix planner fuzz: seed %d, %d sources, %d plans, %d safe, %d fixed files not compiling%n",
        seed, iterations, plans, safe, compileFailures.size());
    assertEquals(List.of(), compileFailures.stream().limit(3).toList(),
        compileFailures.size() + " fixed files do not compile though their original does (seed " + seed + ")");
  }

  /** The inputs of the fix corpus, as material to mutate. */
  private static List<String> corpusSources() throws IOException {
    List<String> sources = new ArrayList<>();
    try (Stream<Path> files = Files.walk(FixCorpus.root())) {
      for (Path file : files.filter(p -> p.getFileName().toString().equals("input.py")).sorted().toList()) {
        sources.add(Files.readString(file, StandardCharsets.UTF_8));
      }
    }
    return sources;
  }

  static String mutate(String source, Random random) {
    List<String> lines = new ArrayList<>(Arrays.asList(source.split("\n", -1)));
    int mutations = 1 + random.nextInt(3);
    for (int m = 0; m < mutations && !lines.isEmpty(); m++) {
      int at = random.nextInt(lines.size());
      switch (random.nextInt(7)) {
        case 0 -> lines.remove(at);
        case 1 -> lines.add(at, lines.get(at));
        case 2 -> {
          int other = random.nextInt(lines.size());
          String line = lines.get(at);
          lines.set(at, lines.get(other));
          lines.set(other, line);
        }
        case 3 -> lines.set(at, (random.nextBoolean() ? "    " : "") + lines.get(at).stripLeading());
        case 4 -> {
          String line = lines.get(at);
          int column = line.isEmpty() ? 0 : random.nextInt(line.length() + 1);
          lines.set(at, line.substring(0, column) + INSERTIONS[random.nextInt(INSERTIONS.length)]
              + line.substring(column));
        }
        case 5 -> lines.subList(at, lines.size()).clear();
        default -> {
          String line = lines.get(at);
          lines.set(at, line.substring(0, random.nextInt(line.length() + 1)));
        }
      }
    }
    return String.join("\n", lines);
  }

  /**
   * Compiles every source's original and fixed files in one {@code python3}: the fixed files of a source
   * whose original compiles must compile too. Returns "file: error (original)" per failure.
   */
  private static List<String> compileFailures(Path dir) throws Exception {
    Process probe;
    try {
      probe = new ProcessBuilder("python3", "--version").start();
    } catch (IOException e) {
      assumeTrue(false, "python3 is not on the PATH");
      return List.of();
    }
    assumeTrue(probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0, "python3 does not run");
    String script = String.join("\n",
        "import os, sys",
        "root = sys.argv[1]",
        "def compiles(path):",
        "    try:",
        "        compile(open(path, 'rb').read(), path, 'exec', dont_inherit=True)",
        "        return None",
        "    except (SyntaxError, ValueError) as e:",
        "        return '%s: %s' % (type(e).__name__, e)",
        "for name in sorted(os.listdir(root)):",
        "    folder = os.path.join(root, name)",
        "    if compiles(os.path.join(folder, 'original.py')) is not None:",
        "        continue",
        "    original = open(os.path.join(folder, 'original.py'), encoding='utf-8', errors='replace').read()",
        "    for fixed in sorted(os.listdir(folder)):",
        "        error = compiles(os.path.join(folder, fixed)) if fixed != 'original.py' else None",
        "        if error:",
        "            print(repr('%s/%s: %s\\n%s' % (name, fixed, error, original)))",
        "");
    Process process = new ProcessBuilder("python3", "-B", "-c", script, dir.toString())
        .redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "compiling the fuzzed files took over 2 minutes");
    assertEquals(0, process.exitValue(), output);
    return output.lines().toList();
  }
}
