package dev.coldspy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coldspy.profile.App;
import dev.coldspy.profile.CallTree;
import dev.coldspy.profile.ColdStart;
import dev.coldspy.profile.Environment;
import dev.coldspy.profile.Invocation;
import dev.coldspy.profile.ModuleImport;
import dev.coldspy.profile.ModuleLevelStatement;
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
import dev.coldspy.rules.RuleCode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * An import inside a function that module-level code calls at init runs at init: it is used at init, never
 * "never used" (CS101) nor "rarely used" (CS102). The shape: {@code OTHER = models.load()} at the top of the
 * handler, {@code load()} imports heavylib and calls it. Profiled with {@code sys.setprofile} (Python 3.11),
 * which records no use at init: heavylib's render ran between samples, so neither signal saw it run — only
 * the profile's record of the statement (the trigger is the import inside {@code load()}) or the source
 * tells.
 */
class UsedAtInitInFunctionTest {
  private static final String ROOT = "/var/task";
  private static final String SITE = "/var/lang/lib/python3.11/site-packages/";
  private static final int COLD_STARTS = 3;

  private static SourceFile file(String relative, String source) {
    String module = relative.replace(".py", "").replace('/', '.');
    PythonModule parsed = PythonModule.parse(source, new ModuleIdentity(module, false));
    return AppSources.of(List.of(new AppSources.Parsed(relative, relative, parsed))).get(0);
  }

  /** How the profile records heavylib's import. */
  private enum Record {
    /** The trigger is the import inside load(), the statement behind it handler.py's line 3. */
    TRIGGER_IN_FUNCTION,
    /** No trigger (an -X importtime log, an old agent): only the source can tell. */
    NO_TRIGGER
  }

  private static ProfileSet profiles(Record record) {
    List<ColdStart> coldStarts = new ArrayList<>();
    for (int i = 0; i < COLD_STARTS; i++) {
      ModuleLevelStatement statement = new ModuleLevelStatement(ROOT + "/handler.py", 3,
          List.of(new ModuleLevelStatement.Call(ROOT + "/models.py", 2, "load")), 0);
      List<ModuleImport> modules = List.of(
          new ModuleImport("models", null, ROOT + "/models.py", 200, 200, Phase.INIT,
              new Trigger(ROOT + "/handler.py", 1), null, null),
          record == Record.TRIGGER_IN_FUNCTION
              ? new ModuleImport("heavylib", null, SITE + "heavylib/__init__.py", 110_000, 110_000, Phase.INIT,
                  new Trigger(ROOT + "/models.py", 2), null, statement)
              : new ModuleImport("heavylib", "models", SITE + "heavylib/__init__.py", 110_000, 110_000, Phase.INIT,
                  null, null, null));
      SortedMap<String, ModuleUsage> usage = new TreeMap<>();
      usage.put("heavylib", new ModuleUsage(0, false));
      usage.put("models", new ModuleUsage(0, false));
      List<Invocation> invocations = List.of(new Invocation(0, "e.json", 1000, null, false, null,
          List.of("handler"), 0));
      coldStarts.add(new ColdStart(i, 200_000, null, 0, 0, modules, invocations, usage));
    }
    Profile profile = new Profile(
        new ProfileSource(Path.of("app.json"), SourceKind.JSON),
        new App("app", "handler.py:handler", ROOT),
        new Environment("3.11.7", "CPython", "Linux", "x86_64", false, null),
        new ProfilerSettings(1_000L, "cpu", UsageSignal.SETPROFILE, "rss", COLD_STARTS),
        null, List.of(), coldStarts, CallTree.EMPTY, List.of(), List.of());
    return ProfileSet.of(List.of(profile));
  }

  private static Analysis analyze(Record record, String models) {
    String handler = """
        import models

        OTHER = models.load()


        def handler(event, context):
            return {"other": OTHER, "x": event["x"]}
        """;
    return new Engine(Knowledge.bundled(), EngineSettings.DEFAULTS)
        .analyze(profiles(record), List.of(file("handler.py", handler), file("models.py", models)), () -> { });
  }

  private static StatementCost heavylib(Analysis analysis) {
    return analysis.statements().stream()
        .filter(s -> s.file().equals("models.py") && s.oneBasedLine() == 2).findFirst().orElseThrow();
  }

  private static final String LOAD = """
      def load():
          import heavylib
          return heavylib.render([1, 2])
      """;

  @Test
  void theProfilesRecordOfTheImportInsideACalledFunctionIsUseAtInit() {
    Analysis analysis = analyze(Record.TRIGGER_IN_FUNCTION, LOAD);
    assertEquals(List.of(), analysis.findings());
    StatementCost heavylib = heavylib(analysis);
    assertEquals(110_000, heavylib.costMedianUs(), 0.001);
    assertEquals(COLD_STARTS, heavylib.initUse().coldStarts());
    assertEquals(List.of("handler"), List.copyOf(heavylib.initUse().callers()));
    assertTrue(heavylib.usedAtInitOnly());
  }

  @Test
  void withoutTheRecordAFunctionTheModulesOwnTopLevelCodeCallsRunsAtInit() {
    Analysis analysis = analyze(Record.NO_TRIGGER, LOAD + "\n\nDEFAULT = load()\n");
    assertEquals(List.of(), analysis.findings());
    assertEquals(110_000, heavylib(analysis).costMedianUs(), 0.001);
  }

  @Test
  void aFunctionNothingAtModuleLevelCallsIsJudgedOnItsUse() {
    // the same import with neither the record nor a module-level call: whatever charged it, nothing says it ran
    Analysis analysis = analyze(Record.NO_TRIGGER, LOAD);
    assertEquals(List.of(RuleCode.NEVER_USED), analysis.findings().stream().map(Finding::rule).toList());
  }
}
