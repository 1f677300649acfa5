package dev.coldspy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import dev.coldspy.rules.FixKind;
import dev.coldspy.rules.RuleCode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The engine on the thesis's StreamAlert case: a rule file imports policyuniverse at the top but uses it only
 * for one rare event; pathlib2 is imported and never used. Profiles are built in code with an exact usage
 * signal: 40 cold starts, policyuniverse used in 3.
 */
class EngineTest {
  private static final String HANDLER =
      """
      import json
      import pathlib2
      from rules import public_resources
      from policyuniverse import arn  # noqa: CS102


      def handler(event, context):
          return json.dumps(public_resources.check(event))
      """;
  private static final String RULE =
      """
      from policyuniverse.policy import Policy


      def check(record):
          if record.get("eventName") == "PutBucketPolicy":
              return Policy(record["policy"]).is_internet_accessible()
          return False
      """;

  private static SourceFile file(String relative, String source) {
    String module = relative.replace(".py", "").replace('/', '.').replace(".__init__", "");
    PythonModule parsed = PythonModule.parse(source, new ModuleIdentity(module, relative.endsWith("__init__.py")));
    return AppSources.of(List.of(new AppSources.Parsed(relative, relative, parsed))).get(0);
  }

  private static ModuleImport module(String name, String parent, long selfUs, Trigger trigger) {
    return new ModuleImport(name, parent, "/var/task/" + name.replace('.', '/') + ".py", selfUs, selfUs,
        Phase.INIT, trigger, null);
  }

  /** 40 cold starts; policyuniverse used in cold starts 0, 10 and 20. */
  private static ProfileSet streamAlertProfiles() {
    return streamAlertProfiles(null);
  }

  /**
   * The same, with {@code policyStatement} recorded as the module-level statement behind policyuniverse.policy's
   * import (null: the import statement ran at module level itself).
   */
  private static ProfileSet streamAlertProfiles(ModuleLevelStatement policyStatement) {
    return streamAlertProfiles(policyStatement, new Environment("3.11.7", "CPython", "Linux", "x86_64", true, 512));
  }

  private static ProfileSet streamAlertProfiles(ModuleLevelStatement policyStatement, Environment environment) {
    return streamAlertProfiles(policyStatement, environment, 40, 0);
  }

  /** The same with {@code served} such cold starts, and {@code idle} more whose environment served no invocation. */
  private static ProfileSet streamAlertProfiles(ModuleLevelStatement policyStatement, Environment environment,
      int served, int idle) {
    List<ColdStart> coldStarts = new ArrayList<>();
    for (int i = 0; i < served + idle; i++) {
      long jitter = i % 4 * 10_000;
      List<ModuleImport> modules = List.of(
          module("pathlib2", null, 200_000 + jitter, null), // no trigger: matched by name
          module("rules", "handler", 1_000, null),
          module("rules.public_resources", "rules", 2_000, new Trigger("/var/task/handler.py", 3)),
          module("policyuniverse", "rules.public_resources", 900_000 + jitter,
              new Trigger("/var/task/rules/public_resources.py", 1)),
          module("policyuniverse.arn", "policyuniverse", 100_000, null),
          new ModuleImport("policyuniverse.policy", "rules.public_resources", "/var/task/policyuniverse/policy.py",
              200_000, 200_000, Phase.INIT, new Trigger("/var/task/rules/public_resources.py", 1), null,
              policyStatement));
      boolean used = i % 10 == 0 && i < 30;
      SortedMap<String, ModuleUsage> usage = new TreeMap<>();
      usage.put("rules.public_resources", new ModuleUsage(0, true));
      usage.put("policyuniverse.policy", new ModuleUsage(0, used));
      List<Invocation> invocations = List.of(new Invocation(0, "event.json", 1000, null, false, null,
          used ? List.of("policyuniverse.policy", "rules.public_resources") : List.of("rules.public_resources"),
          0));
      if (i >= served) { // init sampled (1 ms), then no request
        coldStarts.add(new ColdStart(i, 1_500_000, null, 1_500, 0, modules, List.of(), new TreeMap<>()));
        continue;
      }
      coldStarts.add(new ColdStart(i, 1_500_000, null, 0, 0, modules, invocations, usage));
    }
    Profile profile = new Profile(
        new ProfileSource(Path.of("streamalert.json"), SourceKind.JSON),
        new App("streamalert", "handler.py:handler", "/var/task"),
        environment,
        new ProfilerSettings(1_000L, "wall", UsageSignal.SETPROFILE, "none", served + idle),
        null, List.of(), coldStarts, CallTree.EMPTY, List.of(), List.of());
    return ProfileSet.of(List.of(profile));
  }

  private static Analysis analyze() {
    List<SourceFile> files = List.of(file("handler.py", HANDLER), file("rules/public_resources.py", RULE));
    return new Engine(Knowledge.bundled(), EngineSettings.DEFAULTS).analyze(streamAlertProfiles(), files);
  }

  @Test
  void coldStartsRestoredFromASnapStartSnapshotAreNamedInTheSummary() {
    List<SourceFile> files = List.of(file("handler.py", HANDLER), file("rules/public_resources.py", RULE));
    Engine engine = new Engine(Knowledge.bundled(), EngineSettings.DEFAULTS);
    Environment snapStart = new Environment("3.12.3", "CPython", "Linux", "x86_64", true, 512, "cpython-312", true,
        null, "snap-start");
    List<String> notes = engine.analyze(streamAlertProfiles(null, snapStart), files).summary().notes();
    assertTrue(notes.contains("restored from a SnapStart snapshot: 40 of 40 cold starts. A snapshot's init runs"
        + " once, when the snapshot is made, and a restore takes its place in every cold start restored from it: the"
        + " savings shown shorten that init and the snapshot to restore, not the restored cold starts themselves"),
        notes.toString());
    Environment onDemand = new Environment("3.12.3", "CPython", "Linux", "x86_64", true, 512, "cpython-312", true,
        null, "on-demand");
    assertTrue(engine.analyze(streamAlertProfiles(null, onDemand), files).summary().notes().stream()
        .noneMatch(note -> note.contains("SnapStart")));
  }

  @Test
  void coldStartsInitializedAheadOfRequestsAreNamedInTheSummary() {
    List<SourceFile> files = List.of(file("handler.py", HANDLER), file("rules/public_resources.py", RULE));
    Engine engine = new Engine(Knowledge.bundled(), EngineSettings.DEFAULTS);
    for (String initializationType : List.of("lambda-managed-instances", "provisioned-concurrency")) {
      Environment ahead = new Environment("3.13.1", "CPython", "Linux", "x86_64", true, 2048, "cpython-313", true,
          null, initializationType);
      List<String> notes = engine.analyze(streamAlertProfiles(null, ahead), files).summary().notes();
      assertTrue(notes.contains("initialized ahead of requests (provisioned concurrency, Lambda Managed Instances):"
          + " 40 of 40 cold starts. No caller waited for their init: deferring an import that requests use moves"
          + " its cost into those requests, and what the savings shown shorten there is the time until a new"
          + " environment is ready"), notes.toString());
    }
    for (String initializationType : List.of("on-demand", "snap-start")) {
      Environment other = new Environment("3.13.1", "CPython", "Linux", "x86_64", true, 512, "cpython-313", true,
          null, initializationType);
      assertTrue(engine.analyze(streamAlertProfiles(null, other), files).summary().notes().stream()
          .noneMatch(note -> note.contains("ahead of requests")), initializationType);
    }
  }

  @Test
  void coldStartsThatServedNoInvocationAreLeftOutOfUsageAndNamedInTheSummary() {
    List<SourceFile> files = List.of(file("handler.py", HANDLER), file("rules/public_resources.py", RULE));
    Engine engine = new Engine(Knowledge.bundled(), EngineSettings.DEFAULTS);
    Environment ahead = new Environment("3.13.1", "CPython", "Linux", "x86_64", true, 2048, "cpython-313", true,
        null, "lambda-managed-instances");
    // 20 more workers that got no request: policyuniverse is still used in 3 of the 40 that served, not 3 of 60
    Analysis analysis = engine.analyze(streamAlertProfiles(null, ahead, 40, 20), files);
    Finding first = analysis.findings().get(0);
    assertEquals(RuleCode.RARELY_USED, first.rule());
    assertEquals("policyuniverse used in 3/40 cold starts — lazy-load saves ~1124 ms", first.message());
    assertTrue(analysis.summary().notes().contains("20 of 60 cold starts served no invocation (initialized ahead"
        + " of requests that did not come, or ended during init): their init is counted, not in how often a module"
        + " is used"), analysis.summary().notes().toString());
    Analysis allIdle = engine.analyze(streamAlertProfiles(null, ahead, 0, 20), files);
    // Nothing said of use without an invocation: policyuniverse's cost is reported as of unknown use
    assertTrue(allIdle.findings().stream().noneMatch(finding -> finding.rule() == RuleCode.NEVER_USED
        || finding.rule() == RuleCode.RARELY_USED), allIdle.findings().toString());
    assertTrue(allIdle.findings().stream().anyMatch(finding -> finding.rule() == RuleCode.USAGE_UNKNOWN
        && finding.message().startsWith("policyuniverse")
        && finding.detail().contains("no cold start of the profiles served an invocation")),
        allIdle.findings().toString());
    assertTrue(allIdle.summary().notes().stream().anyMatch(note -> note.startsWith(
        "no cold start served an invocation: usage unknown")), allIdle.summary().notes().toString());
  }

  @Test
  void rarelyUsedPolicyuniverseInTheRuleFileIsRankedFirst() {
    Finding first = analyze().findings().get(0);
    assertEquals("rules/public_resources.py", first.file());
    assertEquals(1, first.oneBasedLine());
    assertEquals(1, first.oneBasedColumn());
    assertEquals(RuleCode.RARELY_USED, first.rule());
    // policyuniverse (900 ms + jitter, median 915 ms), policyuniverse.arn and policyuniverse.policy
    assertEquals(1_215_000, first.cost().costMedianUs(), 0.001);
    assertEquals(1_215_000 * 37 / 40.0, first.savingUs(), 0.001);
    assertEquals("policyuniverse used in 3/40 cold starts — lazy-load saves ~1124 ms", first.message());
    assertTrue(first.detail().contains("used in 3 of 40 cold starts (3 of 40 invocations)"), first.detail());
    assertEquals(List.of(FixKind.LAZY_LOAD), first.fixes());
  }

  @Test
  void onAPythonWithPep810TheLazyImportIsOfferedBeforeMovingTheImport() {
    List<SourceFile> files = List.of(file("handler.py", HANDLER), file("rules/public_resources.py", RULE));
    dev.coldspy.settings.Settings target315 = dev.coldspy.settings.SettingsParser.apply(
        dev.coldspy.settings.Settings.DEFAULTS, java.util.Map.of("target-python", "3.15"), "test").settings();
    Finding first = new Engine(Knowledge.bundled(), EngineSettings.of(target315))
        .analyze(streamAlertProfiles(), files).findings().get(0);
    assertEquals(RuleCode.RARELY_USED, first.rule());
    assertEquals(List.of(FixKind.PEP810_LAZY, FixKind.LAZY_LOAD), first.fixes());
  }

  @Test
  void unreferencedPathlib2IsNeverUsedMatchedByNameWithoutATrigger() {
    Finding pathlib2 = analyze().findings().get(1);
    assertEquals("handler.py", pathlib2.file());
    assertEquals(2, pathlib2.oneBasedLine());
    // Never used and a backport: both save the whole cost; removing it is the simpler fix.
    assertEquals(RuleCode.NEVER_USED, pathlib2.rule());
    assertEquals("pathlib2 never used in 40 cold starts — remove it (saves ~215 ms)", pathlib2.message());
    assertTrue(pathlib2.detail().contains("nothing in the code refers to it: remove it"), pathlib2.detail());
    assertEquals(List.of(FixKind.REMOVE), pathlib2.fixes());
  }

  @Test
  void aStatementWhoseModuleWasAlreadyLoadedCostsNothingAndSaysWhoPaid() {
    StatementCost arn = analyze().statements().stream()
        .filter(s -> s.file().equals("handler.py") && s.oneBasedLine() == 4).findFirst().orElseThrow();
    assertEquals(0, arn.costMedianUs(), 0.001);
    assertEquals(
        List.of(new PaidBy("policyuniverse", "rules/public_resources.py", 1),
            new PaidBy("policyuniverse.arn", "rules/public_resources.py", 1)),
        arn.paidBy());
  }

  @Test
  void anAppModuleImportPaysOnlyForItselfItsImportsPayForThemselves() {
    StatementCost rules = analyze().statements().stream()
        .filter(s -> s.file().equals("handler.py") && s.oneBasedLine() == 3).findFirst().orElseThrow();
    assertEquals(3_000, rules.costMedianUs(), 0.001);
  }

  @Test
  void anImportInsertedAboveTheRecordedTriggerLineDoesNotTakeTheCost() {
    // The profile recorded policyuniverse at line 1; since then the user inserted a cheap import there.
    String edited = "import base64\n" + RULE;
    List<SourceFile> files = List.of(file("handler.py", HANDLER), file("rules/public_resources.py", edited));
    Analysis analysis = new Engine(Knowledge.bundled(), EngineSettings.DEFAULTS).analyze(streamAlertProfiles(), files);
    StatementCost base64 = analysis.statements().stream()
        .filter(s -> s.file().equals("rules/public_resources.py") && s.oneBasedLine() == 1).findFirst().orElseThrow();
    assertEquals(0, base64.costMedianUs(), 0.001);
    Finding first = analysis.findings().get(0);
    assertEquals("rules/public_resources.py", first.file());
    assertEquals(2, first.oneBasedLine());
    assertEquals(RuleCode.RARELY_USED, first.rule());
    assertEquals(1_215_000, first.cost().costMedianUs(), 0.001);
  }

  @Test
  void aNameUsedOnlyInEvaluatedAnnotationsIsTypingOnlyAndTheGuardQuotesTheAnnotation() {
    String handler =
        """
        import json
        from policyuniverse.policy import Policy


        def describe(policy: Policy) -> str:
            return json.dumps(policy)


        def handler(event, context):
            return describe(event)
        """;
    PythonModule parsed = PythonModule.parse(handler, new ModuleIdentity("handler", false));
    List<SourceFile> files =
        AppSources.of(List.of(new AppSources.Parsed("handler.py", "handler.py", parsed)));
    List<ColdStart> coldStarts = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      coldStarts.add(new ColdStart(i, 1_000_000, null, 0, 0,
          List.of(module("policyuniverse", null, 900_000, new Trigger("/var/task/handler.py", 2)),
              module("policyuniverse.policy", "policyuniverse", 100_000, null)),
          List.of(), new TreeMap<>()));
    }
    Profile profile = new Profile(
        new ProfileSource(Path.of("typed.json"), SourceKind.JSON),
        new App("typed", "handler.py:handler", "/var/task"),
        new Environment("3.12.1", "CPython", "Linux", "x86_64", true, 512),
        new ProfilerSettings(1_000L, "wall", UsageSignal.SETPROFILE, "none", 5),
        null, List.of(), coldStarts, CallTree.EMPTY, List.of(), List.of());

    Finding finding = new Engine(Knowledge.bundled(), EngineSettings.DEFAULTS)
        .analyze(ProfileSet.of(List.of(profile)), files).findings().get(0);
    assertEquals(2, finding.oneBasedLine());
    assertEquals(RuleCode.TYPING_ONLY, finding.rule());
    assertEquals(FixKind.TYPE_CHECKING_GUARD, finding.fixes().get(0));

    dev.coldspy.python.ImportStatement statement = parsed.imports().statements().get(1);
    dev.coldspy.fix.FixPlan plan = new dev.coldspy.fix.FixPlanner(dev.coldspy.fix.FixOptions.defaults())
        .plan(parsed, statement, List.of(), finding.fixes().get(0));
    dev.coldspy.fix.FixPlan.Safe safe = assertInstanceOf(dev.coldspy.fix.FixPlan.Safe.class, plan);
    String fixed = dev.coldspy.text.SpanEdit.applyAll(handler, safe.edits());
    assertTrue(fixed.contains("def describe(policy: \"Policy\") -> str:"), fixed);
    assertFalse(fixed.contains("__future__"), fixed);
    assertTrue(fixed.contains("if TYPE_CHECKING:\n    from policyuniverse.policy import Policy\n"), fixed);
  }

  @Test
  void noqaSuppressesOnlyTheNamedCode() {
    assertTrue(analyze().findings().stream().noneMatch(f -> f.file().equals("handler.py") && f.oneBasedLine() == 4));
  }

  @Test
  void summaryAddsUpFlaggedCostAndSaving() {
    HandlerSummary summary = analyze().summary();
    assertEquals(40, summary.coldStarts());
    assertEquals(1_500_000, summary.initUs().median(), 0.001);
    assertEquals(1_215_000 + 215_000, summary.attributableUs(), 0.001);
    assertEquals(1_215_000 * 37 / 40.0 + 215_000, summary.savingUs(), 0.001);
    assertEquals(new Estimate(1_215_000 + 215_000, 1_215_000 * 3 / 40.0), summary.saving(),
        "init saves both statements; policyuniverse's cost moves into the first call of the 3 cold starts using it");
  }

  @Test
  void aCancelledAnalysisStopsWithTheCancellersException() {
    List<SourceFile> files = List.of(file("handler.py", HANDLER), file("rules/public_resources.py", RULE));
    Engine engine = new Engine(Knowledge.bundled(), EngineSettings.DEFAULTS);
    int[] checks = {0};
    Runnable cancelAfterFirstColdStart = () -> {
      if (++checks[0] > 1) {
        throw new java.util.concurrent.CancellationException("request cancelled");
      }
    };
    assertThrows(java.util.concurrent.CancellationException.class,
        () -> engine.analyze(streamAlertProfiles(), files, cancelAfterFirstColdStart));
  }

  @Test
  void sameInputsGiveEqualResults() {
    assertEquals(analyze(), analyze());
  }

  private static Analysis analyzeWithRule(String rule) {
    List<SourceFile> files = List.of(file("handler.py", HANDLER), file("rules/public_resources.py", rule));
    return new Engine(Knowledge.bundled(), EngineSettings.DEFAULTS).analyze(streamAlertProfiles(), files);
  }

  private static final String RULE_LAZY =
      """


      def check(record):
          if record.get("eventName") == "PutBucketPolicy":
              from policyuniverse.policy import Policy
              return Policy(record["policy"]).is_internet_accessible()
          return False
      """;

  @Test
  void anImportMovedIntoAFunctionSinceProfilingIsNoFindingButAHint() {
    Analysis analysis = analyzeWithRule(RULE_LAZY);

    assertTrue(analysis.findings().stream().noneMatch(f -> f.file().equals("rules/public_resources.py")),
        analysis.findings().toString());
    assertEquals(1, analysis.fixedSinceProfiling().size());
    FixedSinceProfiling fixed = analysis.fixedSinceProfiling().get(0);
    // policyuniverse itself is still imported at module level by handler.py (line 4), which now pays for it.
    assertEquals(new FixedSinceProfiling("rules/public_resources.py", 5,
        new StatementRef("rules/public_resources.py", 0), "policyuniverse.policy", 200_000), fixed);
    assertEquals(215_000, analysis.summary().savingUs(), 0.001, "only pathlib2's saving is left");
    assertEquals("1 import the profile saw at init no longer run there (200.0 ms): fixed since profiling —"
        + " re-profile to confirm", analysis.summary().notes().get(0));
  }

  @Test
  void anImportTheProfileSawRunInACallFromModuleLevelStaysChargedToItsFunctionsStatement() {
    // policyuniverse.policy was imported inside setup(), which module-level code called (the profile records
    // the statement); lines moved since, but the import is where it was: no fix, it still runs at init.
    String rule = "\n\ndef setup():\n    from policyuniverse.policy import Policy\n    return Policy\n\n\nPOLICY = setup()\n";
    ModuleLevelStatement call = new ModuleLevelStatement("/var/task/rules/public_resources.py", 6, List.of(), 0);
    List<SourceFile> files = List.of(file("handler.py", HANDLER), file("rules/public_resources.py", rule));
    Analysis analysis = new Engine(Knowledge.bundled(), EngineSettings.DEFAULTS)
        .analyze(streamAlertProfiles(call), files);

    assertEquals(List.of(), analysis.fixedSinceProfiling());
    StatementCost inSetup = analysis.statements().stream()
        .filter(c -> c.file().equals("rules/public_resources.py")).findFirst().orElseThrow();
    assertEquals(200_000, inSetup.costMedianUs(), 0.001);
  }

  @Test
  void anImportGuardedForTypeCheckingSinceProfilingIsFixed() {
    String guarded = "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from policyuniverse.policy import"
        + " Policy\n\n\ndef check(record: \"Policy\"):\n    return False\n";
    Analysis analysis = analyzeWithRule(guarded);

    assertEquals(List.of("rules/public_resources.py:4"), analysis.fixedSinceProfiling().stream()
        .map(f -> f.file() + ":" + f.oneBasedLine()).toList());
  }

  @Test
  void aRemovedOrReplacedImportIsNoFindingButAHintWhereItWas() {
    // Nothing names policyuniverse.policy any more and the recorded line (1) holds another import now.
    Analysis analysis = analyzeWithRule("import json\n\n\ndef check(record):\n    return json.dumps(record)\n");

    assertTrue(analysis.findings().stream().noneMatch(f -> f.file().equals("rules/public_resources.py")));
    assertEquals(List.of(new FixedSinceProfiling("rules/public_resources.py", 1, null, "policyuniverse.policy",
        200_000)), analysis.fixedSinceProfiling());
    assertTrue(analysis.fixedSinceProfiling().get(0).removed());
    assertEquals(215_000, analysis.summary().savingUs(), 0.001, "only pathlib2's saving is left");
  }

  @Test
  void unpicklingAtTheRecordedLineIsNotMistakenForAFix() {
    // C code imports while unpickling: the module-level statement is the recorded line, and it pays.
    Analysis analysis = analyzeWithRule("POLICY = __import__(\"pickle\").loads(b\"...\")\n");

    assertEquals(List.of(), analysis.fixedSinceProfiling());
    assertTrue(analysis.statements().stream().anyMatch(c -> c.file().equals("rules/public_resources.py")
        && c.statement().startsWith("POLICY = ") && c.costMedianUs() >= 200_000), analysis.statements().toString());
  }

  @Test
  void aDynamicImportAtTheRecordedLineIsNotMistakenForAFix() {
    Analysis analysis = analyzeWithRule(
        "Policy = __import__(\"importlib\").import_module(\"policyuniverse.policy\").Policy\n");

    assertEquals(List.of(), analysis.fixedSinceProfiling());
  }

  @Test
  void severityFollowsTheSavingsLowerBoundTheFastestColdStartsCost() {
    Verdict saves30ms = new Verdict(RuleCode.NEVER_USED, Estimate.removing(30_000), "", "", "", true);
    // Median cost 30 ms, 12 ms in the fastest cold start: the saving is at least 12 ms, below warning-ms (20).
    assertEquals(12_000, Engine.savingLowerBoundUs(saves30ms, 30_000, 12_000), 0.001);
    assertEquals(30_000, Engine.savingLowerBoundUs(saves30ms, 0, 0), 0.001, "no cost measured: the saving itself");
  }
}
