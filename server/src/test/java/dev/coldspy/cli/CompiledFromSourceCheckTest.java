package dev.coldspy.cli;

import static dev.coldspy.cli.CheckRunner.check;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CS107 "modules compiled from source on every cold start" through {@code coldspy check}, on rules_engine's
 * golden profile recorded by Python 3.12 with its libraries built by 3.11 (only {@code cpython-311} bytecode)
 * and variants of it edited the way other environments record: everything from cache, a cache written by the
 * first cold start, a read-only folder, stale caches.
 */
class CompiledFromSourceCheckTest {
  private static final Path FIXTURES = Path.of("../fixtures").toAbsolutePath().normalize();
  private static final Path APP = FIXTURES.resolve("apps/rules_engine");
  private static final Path LAYER_PROFILE = FIXTURES.resolve("profiles/rules_engine.py312-layer311.json");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void modulesCompiledInEveryColdStartAreReportedOnTheHandlerWithTheMeasuredCompileTime() throws Exception {
    CheckRunner.Run run = check("--profile", LAYER_PROFILE.toString(), APP.toString());

    JsonNode profile = JSON.readTree(LAYER_PROFILE.toFile());
    double compileMs = median(perColdStart(profile, true)) / 1000;
    long modules = Math.round(median(perColdStart(profile, false)));
    double initMs = median(initTimes(profile)) / 1000;
    assertEquals(APP.resolve("handler.py") + ":81:1: CS107 " + modules
        + " modules compiled from source on every cold start: " + String.format(Locale.ROOT, "%.1f ms (%.0f %% of init)",
            compileMs, compileMs / initMs * 100) + " — coldspy precompile saves it", findingLine(run.out()));
    assertTrue(run.out().contains(String.format(Locale.ROOT,
        "\n  compiling modules from source %.1f ms per cold start\n", compileMs)), run.out());
    // the packages, the cause and the estimate's basis are the finding's detail (the hover, --format json)
    String detail = detail(LAYER_PROFILE);
    assertTrue(detail.startsWith("Largest: pathlib2 "), detail);
    assertTrue(detail.contains(". Cause: bytecode only for another Python version (this runtime reads cpython-312);"
        + " no bytecode, and the interpreter does not write it (PYTHONDONTWRITEBYTECODE or -B)."), detail);
    assertTrue(detail.endsWith(String.format(Locale.ROOT, "saves ~%.1f ms per cold start (the measured compile time,"
        + " median over 10 cold starts).", compileMs)), detail);
  }

  @Test
  void aShareOfInitBelowOnePercentDoesNotReadAsNone() throws Exception {
    // the same compile time in cold starts whose init took 100 times as long: a share of a fraction of a percent
    JsonNode profile = JSON.readTree(LAYER_PROFILE.toFile());
    for (JsonNode coldStart : profile.get("coldStarts")) {
      ((ObjectNode) coldStart).put("initUs", coldStart.get("initUs").asLong() * 100);
    }
    Path slowInit = dir.resolve("slow-init.json");
    JSON.writeValue(slowInit.toFile(), profile);

    String line = findingLine(check("--profile", slowInit.toString(), APP.toString()).out());

    assertTrue(line.endsWith(" ms (<1 % of init) — coldspy precompile saves it"), line);
  }

  @Test
  void noqaOnTheHandlersDefSilencesIt() throws Exception {
    Path app = dir.resolve("rules_engine");
    FixCommandTest.copy(APP, app);
    Path handler = app.resolve("handler.py");
    String source = Files.readString(handler);
    String def = source.lines().skip(80).findFirst().orElseThrow();
    assertTrue(def.startsWith("def "), def);
    Files.writeString(handler, source.replace(def + "\n", def + "  # noqa: CS107\n"));

    CheckRunner.Run run = check("--format", "json", "--profile", LAYER_PROFILE.toString(), app.toString());

    JsonNode analysis = JSON.readTree(run.out()).get("analyses").get(0);
    assertFalse(analysis.has("compile"), run.out());
    assertEquals(0.0, analysis.get("summary").get("compileMs").asDouble());
    Files.writeString(handler, source.replace(def + "\n", def + "  # noqa: CS101\n"));
    assertTrue(check("--profile", LAYER_PROFILE.toString(), app.toString()).out().contains(":81:1: CS107 "));
  }

  private String detail(Path profile) throws IOException {
    return JSON.readTree(check("--format", "json", "--profile", profile.toString(), APP.toString()).out())
        .get("analyses").get(0).get("compile").get("detail").asText();
  }

  @Test
  void theJsonAndSarifOutputsCarryTheFindingAndItsPackages() throws Exception {
    JsonNode analysis = JSON.readTree(check("--format", "json", "--profile", LAYER_PROFILE.toString(),
        APP.toString()).out()).get("analyses").get(0);
    JsonNode compile = analysis.get("compile");
    assertEquals("CS107", compile.get("code").asText());
    assertEquals(81, compile.get("line").asInt());
    assertEquals(10, compile.get("coldStarts").asInt());
    assertEquals(compile.get("compileMs").asDouble(), analysis.get("summary").get("compileMs").asDouble());
    List<String> packages = new ArrayList<>();
    compile.get("packages").forEach(p -> packages.add(p.get("name").asText()));
    assertEquals(List.of("pathlib2", "six", "policyuniverse"), packages);
    assertEquals("[\"other-version\",\"not-written\"]", compile.get("causes").toString());

    JsonNode sarif = JSON.readTree(check("--format", "sarif", "--profile", LAYER_PROFILE.toString(),
        APP.toString()).out());
    List<String> rules = new ArrayList<>();
    sarif.get("runs").get(0).get("results").forEach(r -> rules.add(r.get("ruleId").asText()));
    assertTrue(rules.contains("CS107"), rules.toString());
  }

  @Test
  void noFindingWhenEveryModuleCameFromCachedBytecode() throws Exception {
    Path cached = edited("cached.json", (coldStart, module) -> {
      if (module.has("bytecode")) {
        module.set("bytecode", JSON.createObjectNode().put("from", "cache"));
      }
    });

    CheckRunner.Run run = check("--format", "json", "--profile", cached.toString(), APP.toString());

    JsonNode analysis = JSON.readTree(run.out()).get("analyses").get(0);
    assertFalse(analysis.has("compile"), run.out());
    assertEquals(0.0, analysis.get("summary").get("compileMs").asDouble());
  }

  @Test
  void aCacheTheFirstColdStartWroteIsNotCompiledOnEveryColdStart() throws Exception {
    Path writable = edited("writable.json", (coldStart, module) -> {
      if (module.has("bytecode") && module.get("bytecode").get("from").asText().equals("source")) {
        if (coldStart == 0) {
          ((ObjectNode) module.get("bytecode")).put("cause", "none").put("cacheWritten", true);
        } else {
          module.set("bytecode", JSON.createObjectNode().put("from", "cache"));
        }
      }
    });

    assertFalse(check("--profile", writable.toString(), APP.toString()).out().contains("CS107"));
  }

  @Test
  void aReadOnlyFolderAndStaleCachesAreNamedAsTheCause() throws Exception {
    Path readOnly = edited("read-only.json", (coldStart, module) -> {
      if (module.has("bytecode") && module.get("bytecode").get("from").asText().equals("source")) {
        boolean app = module.get("name").asText().equals("handler") || module.get("name").asText().startsWith("rules");
        ((ObjectNode) module.get("bytecode")).put("cause", app ? "stale" : "none");
      }
    });
    JsonNode tree = JSON.readTree(readOnly.toFile());
    ((ObjectNode) tree.get("environment")).put("dontWriteBytecode", false);
    JSON.writeValue(readOnly.toFile(), tree);

    String detail = detail(readOnly);

    assertTrue(detail.contains(". Cause: no bytecode, and the folder is not writable (as a Lambda deployment is"
        + " read-only); stale bytecode (the source's time or size differs from the one recorded in the .pyc)."),
        detail);
  }

  @Test
  void belowMinMsThereIsNoFinding() {
    CheckRunner.Run run = check("--min-ms", "1000", "--profile", LAYER_PROFILE.toString(), APP.toString());

    assertFalse(run.out().contains("CS107"), run.out());
  }

  @Test
  void profilesWithoutBytecodeRecordsHaveNoFinding() {
    CheckRunner.Run run = check("--profile", FIXTURES.resolve("profiles/rules_engine.json").toString(),
        APP.toString());

    assertFalse(run.out().contains("CS107"), run.out());
    assertFalse(run.out().contains("compiling modules from source"), run.out());
  }

  /** The layer profile with each module record changed by {@code edit(coldStartIndex, module)}. */
  private Path edited(String name, BiConsumer<Integer, ObjectNode> edit) throws Exception {
    JsonNode profile = JSON.readTree(LAYER_PROFILE.toFile());
    JsonNode coldStarts = profile.get("coldStarts");
    for (int c = 0; c < coldStarts.size(); c++) {
      for (JsonNode module : coldStarts.get(c).get("modules")) {
        edit.accept(c, (ObjectNode) module);
      }
    }
    Path path = dir.resolve(name);
    JSON.writeValue(path.toFile(), profile);
    return path;
  }

  private static String findingLine(String out) {
    return out.lines().filter(l -> l.contains(": CS107 ")).findFirst().orElseThrow(() -> new AssertionError(out));
  }

  /**
   * Per cold start, over the init-phase modules compiled from source outside the interpreter's standard library
   * (python3.12/ but not site-packages): the summed compile time, or their number.
   */
  private static long[] perColdStart(JsonNode profile, boolean time) {
    JsonNode files = profile.get("files");
    List<Long> values = new ArrayList<>();
    for (JsonNode coldStart : profile.get("coldStarts")) {
      long sum = 0;
      for (JsonNode module : coldStart.get("modules")) {
        JsonNode bytecode = module.get("bytecode");
        String file = module.get("file").isNull() ? "" : files.get(module.get("file").asInt()).asText();
        boolean standardLibrary = file.contains("/python3.12/") && !file.contains("-packages/");
        if (bytecode != null && bytecode.get("from").asText().equals("source")
            && module.get("phase").asText().equals("init") && !standardLibrary) {
          sum += time ? bytecode.get("compileUs").asLong() : 1;
        }
      }
      values.add(sum);
    }
    return values.stream().mapToLong(Long::longValue).toArray();
  }

  private static long[] initTimes(JsonNode profile) {
    List<Long> values = new ArrayList<>();
    profile.get("coldStarts").forEach(c -> values.add(c.get("initUs").asLong()));
    return values.stream().mapToLong(Long::longValue).toArray();
  }

  private static double median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
  }
}
