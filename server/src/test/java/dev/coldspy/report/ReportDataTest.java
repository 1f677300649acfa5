package dev.coldspy.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coldspy.engine.Analysis;
import dev.coldspy.engine.AppSources;
import dev.coldspy.engine.Engine;
import dev.coldspy.engine.EngineSettings;
import dev.coldspy.engine.Knowledge;
import dev.coldspy.engine.StatementCost;
import dev.coldspy.profile.App;
import dev.coldspy.profile.CallTree;
import dev.coldspy.profile.ColdStart;
import dev.coldspy.profile.Environment;
import dev.coldspy.profile.Invocation;
import dev.coldspy.profile.ModuleImport;
import dev.coldspy.profile.ModuleUsage;
import dev.coldspy.profile.Phase;
import dev.coldspy.profile.Profile;
import dev.coldspy.profile.ProfileSet;
import dev.coldspy.profile.ProfileSource;
import dev.coldspy.profile.ProfilerSettings;
import dev.coldspy.profile.SourceKind;
import dev.coldspy.profile.Trigger;
import dev.coldspy.profile.UsageSignal;
import dev.coldspy.python.ModuleIdentity;
import dev.coldspy.python.PythonModule;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The report's data for a small app profiled in code: a handler that imports a heavy library at the top, a
 * helper package whose plotting part (and the plotting library it pulls in) never runs, and a module it imports
 * lazily for a rare event (in cold starts 0 and 2 of 4).
 */
class ReportDataTest {
  private static final String HANDLER =
      """
      import json
      import heavy
      from lib import util


      def handler(event, context):
          if event.get("rare"):
              import lazymod
              return lazymod.run()
          return json.dumps(util.f(event))
      """;
  private static final String SITE = "/opt/python/site-packages/";
  private static final long[] INIT_US = {400_000, 300_000, 500_000, 350_000};
  private static final long[] FIRST_CALL_US = {30_000, 10_000, 40_000, 20_000};

  private static ModuleImport init(String name, String parent, long selfUs, long cumulativeUs, Trigger trigger,
      long rss) {
    return new ModuleImport(name, parent, SITE + name.replace('.', '/') + ".py", selfUs, cumulativeUs, Phase.INIT,
        trigger, rss);
  }

  private static Trigger handlerLine(int line) {
    return new Trigger("/var/task/handler.py", line);
  }

  /** Four cold starts; {@code scale} maps each recorded duration (the "after" profiles are faster). */
  private static ProfileSet profiles(LongUnaryOperator scale) {
    List<ColdStart> coldStarts = new ArrayList<>();
    for (int i = 0; i < INIT_US.length; i++) {
      long jitter = i * 1_000;
      List<ModuleImport> modules = new ArrayList<>(List.of(
          init("json", null, 2_000, 3_000, handlerLine(1), 1_000),
          init("json.decoder", "json", 1_000, 1_000, new Trigger(SITE + "json/__init__.py", 3), 500),
          init("heavy", null, 100_000 + jitter, 160_000 + jitter, handlerLine(2), 4_000_000),
          init("heavy.core", "heavy", 60_000, 60_000, new Trigger(SITE + "heavy/__init__.py", 1), 2_000_000),
          init("lib", null, 1_000, 29_000, handlerLine(3), 0),
          init("lib.util", "lib", 5_000, 5_000, handlerLine(3), 0),
          init("lib.plot", "lib", 3_000, 23_000, new Trigger(SITE + "lib/__init__.py", 2), 0),
          init("plotlib", "lib.plot", 20_000, 20_000, new Trigger(SITE + "lib/plot.py", 1), 0)));
      boolean rare = i % 2 == 0;
      if (rare) {
        modules.add(new ModuleImport("lazymod", "handler", "/var/task/lazymod.py", 7_000 + jitter, 8_000 + jitter,
            Phase.EXECUTION, handlerLine(8), null));
      }
      TreeMap<String, ModuleUsage> usage = new TreeMap<>();
      usage.put("json", new ModuleUsage(3, true));
      usage.put("heavy", new ModuleUsage(0, false));
      usage.put("lib.util", new ModuleUsage(2, true));
      List<Invocation> invocations = List.of(
          new Invocation(0, "event.json", scale.applyAsLong(FIRST_CALL_US[i]), null, false, null,
              List.of("json", "lib.util"), 5),
          new Invocation(1, "event.json", scale.applyAsLong(5_000), null, false, null, List.of("json"), 1));
      coldStarts.add(new ColdStart(i, scale.applyAsLong(INIT_US[i]), null, 0, 6, modules, invocations, usage));
    }
    Profile profile = new Profile(
        new ProfileSource(Path.of("app.json"), SourceKind.JSON),
        new App("app", "handler.py:handler", "/var/task"),
        new Environment("3.11.7", "CPython", "Linux", "x86_64", true, 512),
        new ProfilerSettings(1_000L, "wall", UsageSignal.SETPROFILE, "rss", INIT_US.length),
        null, List.of(), coldStarts, CallTree.EMPTY, List.of(), List.of());
    return ProfileSet.of(List.of(profile));
  }

  private static Analysis analyze(ProfileSet profiles) {
    PythonModule parsed = PythonModule.parse(HANDLER, new ModuleIdentity("handler", false));
    return new Engine(Knowledge.bundled(), EngineSettings.DEFAULTS)
        .analyze(profiles, AppSources.of(List.of(new AppSources.Parsed("handler.py", "handler.py", parsed))));
  }

  private static JsonNode data(ProfileSet profiles, ProfileSet before) throws Exception {
    StringWriter out = new StringWriter();
    ReportData.write(analyze(profiles), profiles, before, "/home/me/app", out);
    return new ObjectMapper().readTree(out.toString());
  }

  private static Map<String, JsonNode> byName(JsonNode array) {
    Map<String, JsonNode> map = new HashMap<>();
    array.forEach(node -> map.put(node.get("name").asText(), node));
    return map;
  }

  private static int statementIndex(Analysis analysis, int line) {
    List<StatementCost> statements = analysis.statements();
    for (int i = 0; i < statements.size(); i++) {
      if (statements.get(i).oneBasedLine() == line) {
        return i;
      }
    }
    throw new AssertionError("no statement at line " + line);
  }

  @Test
  void eachModuleNamesTheStatementThatLoadedItWithItsMediansAndUsage() throws Exception {
    ProfileSet profiles = profiles(LongUnaryOperator.identity());
    Analysis analysis = analyze(profiles);
    Map<String, JsonNode> modules = byName(data(profiles, null).get("modules"));

    // heavy.core was imported by heavy, not by the app: it belongs to the statement that imported heavy.
    assertEquals(statementIndex(analysis, 2), modules.get("heavy").get("statement").asInt());
    assertEquals(statementIndex(analysis, 2), modules.get("heavy.core").get("statement").asInt());
    assertEquals(statementIndex(analysis, 3), modules.get("lib.util").get("statement").asInt());
    JsonNode heavy = modules.get("heavy");
    assertEquals(101.5, heavy.get("selfMs").asDouble(), 1e-9, "median of 100, 101, 102, 103 ms");
    assertEquals(161.5, heavy.get("cumulativeMs").asDouble(), 1e-9);
    assertEquals(4_000_000, heavy.get("rssBytes").asLong());
    assertEquals(4, heavy.get("importedAtInit").asInt());
    assertTrue(heavy.get("usageKnown").asBoolean());
    assertEquals(0, heavy.get("usedIn").asInt());
    assertEquals(12, modules.get("json").get("samples").asLong(), "3 samples in each of 4 cold starts");
    assertEquals(4, modules.get("lib.util").get("usedIn").asInt());

    JsonNode lazy = modules.get("lazymod");
    assertFalse(lazy.has("statement"), "imported during a call: no statement pays for it at init");
    assertEquals(2, lazy.get("imported").asInt());
    assertEquals(0, lazy.get("importedAtInit").asInt());
  }

  @Test
  void eachStatementsImportTreeSaysWhatRanAndStopsBelowWhatNeverRan() throws Exception {
    ProfileSet profiles = profiles(LongUnaryOperator.identity());
    Analysis analysis = analyze(profiles);
    JsonNode trees = data(profiles, null).get("importTrees");
    assertEquals(analysis.statements().size(), trees.get("statements").size(), "one tree per statement");

    JsonNode lib = trees.get("statements").get(statementIndex(analysis, 3));
    List<String> order = new ArrayList<>();
    lib.forEach(node -> order.add(node.get("module").asText()));
    assertEquals(List.of("lib", "lib.plot", "lib.util"), order,
        "parents first, children heaviest first; nothing below lib.plot, whose code never ran");
    JsonNode root = lib.get(0);
    assertEquals(-1, root.get("parent").asInt());
    assertEquals(29.0, root.get("costMs").asDouble(), 1e-9, "lib 1 + lib.util 5 + lib.plot 3 + plotlib 20");
    assertEquals(4, root.get("modules").asInt());
    assertEquals(4, root.get("ran").asInt(), "lib.util ran in every cold start, so lib's sub-tree did");
    assertFalse(root.has("importedAt"), "a root is imported by the statement itself");

    JsonNode plot = lib.get(1);
    assertEquals(0, plot.get("parent").asInt());
    assertEquals(23.0, plot.get("costMs").asDouble(), 1e-9, "cumulative: lib.plot 3 + plotlib 20");
    assertEquals(2, plot.get("modules").asInt());
    assertEquals(4, plot.get("loadedIn").asInt());
    assertEquals(List.of(0, 0, 0), List.of(plot.get("ranInCalls").asInt(), plot.get("ranAtInit").asInt(),
        plot.get("ran").asInt()));
    assertTrue(plot.get("observable").asBoolean());
    JsonNode file = trees.get("files").get(plot.get("importedAt").get(0).asInt());
    assertEquals(SITE + "lib/__init__.py", file.get("file").asText());
    assertEquals("lib/__init__.py", file.get("display").asText(), "named below site-packages");
    assertEquals(2, plot.get("importedAt").get(1).asInt());

    JsonNode util = lib.get(2);
    assertEquals(4, util.get("ranInCalls").asInt(), "the execution samples of lib.util");
    assertEquals(0, util.get("ranAtInit").asInt());

    JsonNode heavy = trees.get("statements").get(statementIndex(analysis, 2));
    assertEquals(1, heavy.size(), "heavy never ran: its root alone, heavy.core left out");
    assertEquals(161.5, heavy.get(0).get("costMs").asDouble(), 1e-9);
    assertEquals(0, heavy.get(0).get("ran").asInt());
  }

  @Test
  void importsMadeDuringACallLinkTheAppStatementThatMadeThem() throws Exception {
    ProfileSet profiles = profiles(LongUnaryOperator.identity());
    JsonNode imports = data(profiles, null).get("executionImports");

    assertEquals(1, imports.size(), "only lazymod was imported while the handler ran");
    JsonNode lazy = imports.get(0);
    assertEquals("lazymod", lazy.get("name").asText());
    assertEquals("handler.py", lazy.get("triggerFile").asText(), "the recorded /var/task path maps onto the app");
    assertEquals(8, lazy.get("triggerLine").asInt());
    assertFalse(lazy.has("trigger"));
    assertEquals(2, lazy.get("coldStarts").asInt());
    assertEquals(10.0, lazy.get("cumulativeMs").asDouble(), 1e-9, "upper median of 8 and 10 ms");
  }

  @Test
  void theModuleTreeSumsSelfTimesAndSamplesPerPackageParentsFirst() throws Exception {
    JsonNode packages = data(profiles(LongUnaryOperator.identity()), null).get("packages");
    Map<String, JsonNode> byName = byName(packages);
    List<String> order = new ArrayList<>();
    packages.forEach(p -> order.add(p.get("name").asText()));

    assertEquals(List.of("heavy", "heavy.core", "plotlib", "lib", "lib.util", "lib.plot", "lazymod", "json",
        "json.decoder"), order, "top-level names heaviest first, each followed by its subtree");
    JsonNode heavy = byName.get("heavy");
    assertEquals(-1, heavy.get("parent").asInt());
    assertEquals(161.5, heavy.get("selfMs").asDouble(), 1e-9, "heavy 101.5 + heavy.core 60");
    assertEquals(161.5, heavy.get("cumulativeMs").asDouble(), 1e-9);
    assertEquals(order.indexOf("heavy"), byName.get("heavy.core").get("parent").asInt());
    assertEquals(9.0, byName.get("lib").get("selfMs").asDouble(), 1e-9, "lib 1 + lib.util 5 + lib.plot 3");
    assertEquals(8, byName.get("lib").get("samples").asLong(), "lib.util's 2 samples in 4 cold starts");
    assertTrue(byName.get("json.decoder").get("module").asBoolean());
  }

  @Test
  void latencySeriesAreSortedAndEndToEndAddsTheColdInvocation() throws Exception {
    JsonNode latency = data(profiles(LongUnaryOperator.identity()), null).get("latency");

    assertEquals(List.of(300.0, 350.0, 400.0, 500.0), numbers(latency.get("initMs")));
    assertEquals(List.of(5.0, 5.0, 5.0, 5.0, 10.0, 20.0, 30.0, 40.0), numbers(latency.get("executionMs")),
        "every invocation");
    assertEquals(List.of(310.0, 370.0, 430.0, 540.0), numbers(latency.get("endToEndMs")),
        "init plus the first call of the same cold start");
    assertEquals(1, latency.get("profiles").asInt());
  }

  @Test
  void aComparisonAddsTheBeforeSeriesOnTheirOwn() throws Exception {
    ProfileSet after = profiles(us -> us / 2);
    ProfileSet before = profiles(LongUnaryOperator.identity());

    JsonNode compared = data(after, before);
    assertEquals(List.of(150.0, 175.0, 200.0, 250.0), numbers(compared.get("latency").get("initMs")));
    assertEquals(List.of(300.0, 350.0, 400.0, 500.0), numbers(compared.get("before").get("initMs")));
    assertNotEquals(compared.get("latency").get("endToEndMs"), compared.get("before").get("endToEndMs"));
    assertFalse(data(after, null).has("before"), "no comparison, no before series");
  }

  private static List<Double> numbers(JsonNode array) {
    List<Double> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asDouble()));
    return values;
  }
}
