package dev.coldspy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coldspy.output.JsonOutput;
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
import dev.coldspy.profile.SampledColdStarts;
import dev.coldspy.profile.SourceKind;
import dev.coldspy.profile.TestCallTrees;
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
 * Profiles recorded with the "code-counters" usage signal (CPython 3.9-3.11 in Lambda): exact for each cold
 * start's invocations together, silent per invocation, and unable to tell for a module marked
 * {@code executedUnknown}; and sets that mix them with sample-only profiles, whose cold starts prove no non-use.
 */
class CodeCountersEvidenceTest {
  private static final String HANDLER =
      """
      import json
      import yaml
      import requests


      def handler(event, context):
          if event.get("fetch"):
              return requests.get(event["url"]).text
          return json.dumps(yaml.safe_load(event["body"]))
      """;

  /** 10 cold starts of 3 invocations; yaml ran in each, requests in none ({@code requestsUnknown}: unseen). */
  private static ProfileSet profiles(boolean requestsUnknown) {
    return ProfileSet.of(List.of(profile("lambda.json", UsageSignal.CODE_COUNTERS, 10, requestsUnknown, 0)));
  }

  /**
   * {@code coldStarts} cold starts of 3 invocations recorded with {@code signal}: yaml ran in each (with an exact
   * signal: executed; without: 2 execution samples), requests in none; {@code treeSamples} execution samples in
   * yaml's call tree.
   */
  private static Profile profile(String file, UsageSignal signal, int coldStarts, boolean requestsUnknown,
      int treeSamples) {
    boolean exact = signal.isExact();
    return profile(file, signal, coldStarts, requestsUnknown, treeSamples, exact ? 0 : 2);
  }

  /** {@link #profile(String, UsageSignal, int, boolean, int)} with {@code coldStartSamples} execution samples
   * recorded in each cold start. */
  private static Profile profile(String file, UsageSignal signal, int coldStarts, boolean requestsUnknown,
      int treeSamples, int coldStartSamples) {
    boolean exact = signal.isExact();
    List<ColdStart> recorded = new ArrayList<>();
    for (int i = 0; i < coldStarts; i++) {
      List<ModuleImport> modules = List.of(
          module("yaml", 40_000, 2),
          module("requests", 120_000, 3));
      SortedMap<String, ModuleUsage> usage = new TreeMap<>();
      usage.put("yaml", new ModuleUsage(exact ? 0 : 2, exact));
      usage.put("requests.sessions", new ModuleUsage(0, false, false, List.of(), 0, requestsUnknown));
      List<Invocation> invocations = new ArrayList<>();
      for (int k = 0; k < 3; k++) {
        invocations.add(new Invocation(k, "lambda-invocation", 900, null, false, null, List.of(), 0));
      }
      recorded.add(new ColdStart(i, 400_000, null, 0, coldStartSamples, modules, invocations, usage));
    }
    return profileOf(file, signal, recorded, treeSamples);
  }

  private static Profile profileOf(String file, UsageSignal signal, List<ColdStart> recorded, int treeSamples) {
    return new Profile(
        new ProfileSource(Path.of(file), SourceKind.JSON),
        new App("api", "handler.py:handler", "/var/task"),
        new Environment("3.11.7", "CPython", "Linux", "x86_64", true, 512),
        new ProfilerSettings(1_000L, "cpu", signal, "rss", 10),
        null, List.of(), recorded,
        treeSamples == 0 ? CallTree.EMPTY
            : TestCallTrees.oneFrame("/var/task/yaml/__init__.py", "safe_load", "yaml", treeSamples),
        List.of(), List.of());
  }

  /**
   * One environment whose counters saw requests never run, and nine without an exact signal (sampled only, 2
   * samples each), which cannot say it did not run between two samples.
   */
  private static ProfileSet mixedSet() {
    return mixedSet(0, 0);
  }

  /** {@link #mixedSet()} with execution samples in the call trees of the exact and the sampled profiles. */
  private static ProfileSet mixedSet(int exactTreeSamples, int sampledTreeSamples) {
    return ProfileSet.of(List.of(
        profile("counted.json", UsageSignal.CODE_COUNTERS, 1, false, exactTreeSamples),
        profile("sampled.json", UsageSignal.NONE, 9, false, sampledTreeSamples)));
  }

  private static ModuleImport module(String name, long selfUs, int line) {
    return new ModuleImport(name, "handler", "/var/task/" + name + "/__init__.py", selfUs, selfUs, Phase.INIT,
        new Trigger("/var/task/handler.py", line), null);
  }

  private static Analysis analysis(ProfileSet profiles) {
    return analysis(profiles, HANDLER);
  }

  private static Analysis analysis(ProfileSet profiles, String handler) {
    PythonModule parsed = PythonModule.parse(handler, new ModuleIdentity("handler", false));
    List<SourceFile> files = AppSources.of(List.of(new AppSources.Parsed("handler.py", "handler.py", parsed)));
    return new Engine(Knowledge.bundled(), EngineSettings.DEFAULTS).analyze(profiles, files);
  }

  private static Finding findingOn(ProfileSet profiles, int line) {
    return analysis(profiles).findings().stream()
        .filter(finding -> finding.oneBasedLine() == line).findFirst().orElseThrow();
  }

  @Test
  void aModuleTheCountersNeverSawRunIsNeverUsedWithoutClaimingInvocations() {
    Finding requests = findingOn(profiles(false), 3);
    assertEquals(RuleCode.NEVER_USED, requests.rule());
    assertEquals("requests never used in 10 cold starts — lazy-load or remove it (saves ~120 ms)",
        requests.message());
    assertTrue(requests.detail().contains("used in 0 of 10 cold starts"), requests.detail());
    assertFalse(requests.detail().contains("invocations"), "the counters do not see single invocations: "
        + requests.detail());
  }

  @Test
  void aModuleTheCountersCouldNotSeeMayHaveRunSoItIsNoUnusedPart() {
    assertEquals(ModuleRun.NONE, ModuleRuns.of(profiles(false)).of(0, "requests.sessions"));
    assertEquals(ModuleRun.duringCalls(), ModuleRuns.of(profiles(true)).of(0, "requests.sessions"));
  }

  @Test
  void aModuleTheCountersCouldNotSeeIsNoProofOfNonUse() {
    Finding requests = findingOn(profiles(true), 3);
    assertEquals(RuleCode.RARELY_USED, requests.rule());
    assertTrue(requests.message().contains("seen in 0/10 cold starts"), requests.message());
  }

  @Test
  void aModuleNotSeenRunningIsNeverUsedOnlyWhenEveryColdStartHadAnExactSignal() {
    ProfileSet mixed = mixedSet();
    assertTrue(mixed.hasExactUsage());
    assertFalse(mixed.exactInEveryColdStart());

    Finding requests = findingOn(mixed, 3);

    assertEquals(RuleCode.RARELY_USED, requests.rule());
    assertTrue(requests.message().contains("seen in 0/10 cold starts"), requests.message());
    assertTrue(requests.detail().contains("no exact usage signal could tell in every cold start"), requests.detail());
  }

  @Test
  void theSparseSamplesNoteCountsTheColdStartsAnExactSignalSaw() {
    List<String> notes = analysis(mixedSet()).summary().notes();

    assertTrue(notes.stream().anyMatch(note -> note.contains("0 execution samples over 9 cold starts without an"
        + " exact usage signal (1 more had one), so 'never used' is not claimed")), notes.toString());
  }

  @Test
  void theExactColdStartsSamplesDoNotMakeTheSampledOnesDense() {
    // 2,000 samples from the exact run, 45 over the nine sampled cold starts (5 each, under 50 per cold start).
    ProfileSet mixed = mixedSet(2_000, 45);
    assertEquals(new SampledColdStarts(9, 45), mixed.coldStartsWithoutExactUsage());

    Analysis analysis = analysis(mixed);
    Finding requests = analysis.findings().stream().filter(finding -> finding.oneBasedLine() == 3).findFirst()
        .orElseThrow();

    assertEquals(RuleCode.RARELY_USED, requests.rule());
    assertFalse(requests.confident(), requests.detail());
    assertTrue(requests.detail().contains("samples are sparse (45 execution samples over the 9 cold starts without"
        + " an exact usage signal, one every 1.0 ms)"), requests.detail());
    String json = JsonOutput.write(List.of(analysis));
    assertTrue(json.contains("\"coldStartsJudgedBySamples\" : 9") && json.contains("\"samplesJudged\" : 45")
        && json.contains("\"coldStartsUnseen\" : 0"), json);
  }

  @Test
  void theColdStartWhereTheCountersCouldNotTellIsJudgedByItsOwnSamplesNotTheOthers() {
    // Ten cold starts whose counters saw requests never run, with 100 execution samples each; one whose counters
    // could not tell, without a sample: nothing shows requests did not run there.
    ProfileSet profiles = ProfileSet.of(List.of(
        profile("counted.json", UsageSignal.CODE_COUNTERS, 10, false, 1_000, 100),
        profile("unseen.json", UsageSignal.CODE_COUNTERS, 1, true, 0, 0)));
    assertTrue(profiles.exactInEveryColdStart());

    Finding requests = findingOn(profiles, 3);

    assertEquals(RuleCode.RARELY_USED, requests.rule());
    assertFalse(requests.confident(), requests.detail());
    assertTrue(requests.detail().contains("samples are sparse (0 execution samples over the cold start whose exact"
        + " usage signal could not tell, one every 1.0 ms)"), requests.detail());
  }

  @Test
  void aMixedSetJudgesTheExactColdStartsThatCouldNotTellApartFromTheSampledOnes() {
    // Nine sampled cold starts, 60 samples each: dense. Two more whose counters could not tell, without a sample.
    Finding requests = findingOn(ProfileSet.of(List.of(
        profile("unseen.json", UsageSignal.CODE_COUNTERS, 2, true, 0, 0),
        profile("sampled.json", UsageSignal.NONE, 9, false, 9 * 60))), 3);

    assertEquals(RuleCode.RARELY_USED, requests.rule());
    assertFalse(requests.confident(), requests.detail());
    assertTrue(requests.detail().contains("samples are sparse (0 execution samples over the 2 cold starts whose exact"
        + " usage signal could not tell, one every 1.0 ms)"), requests.detail());
    assertEquals(RuleCode.NEVER_USED, findingOn(ProfileSet.of(List.of(
        profile("unseen.json", UsageSignal.CODE_COUNTERS, 2, true, 0, 60),
        profile("sampled.json", UsageSignal.NONE, 9, false, 9 * 60))), 3).rule(),
        "the same with 60 samples in each of the two");
  }

  @Test
  void denseSamplesWhereTheCountersCouldNotTellDoNotVouchForSparseSampledColdStarts() {
    // One cold start whose counters could not tell, with 1,000 samples; nine sampled ones with 10 each.
    Finding requests = findingOn(ProfileSet.of(List.of(
        profile("unseen.json", UsageSignal.CODE_COUNTERS, 1, true, 1_000, 1_000),
        profile("sampled.json", UsageSignal.NONE, 9, false, 9 * 10))), 3);

    assertEquals(RuleCode.RARELY_USED, requests.rule());
    assertFalse(requests.confident(), requests.detail());
    assertTrue(requests.detail().contains("samples are sparse (90 execution samples over the 9 cold starts without an"
        + " exact usage signal, one every 1.0 ms)"), requests.detail());
  }

  /**
   * An exact cold start of `import yaml, requests` (line 2) whose counters could not tell whether {@code
   * unknownModule} ran, with {@code executionSamples}.
   */
  private static ColdStart coldStartUnsureOf(int index, String unknownModule, int executionSamples) {
    SortedMap<String, ModuleUsage> usage = new TreeMap<>();
    usage.put(unknownModule, new ModuleUsage(0, false, false, List.of(), 0, true));
    return new ColdStart(index, 400_000, null, 0, executionSamples,
        List.of(module("yaml", 40_000, 2), module("requests", 120_000, 2)),
        List.of(new Invocation(0, "lambda-invocation", 900, null, false, null, List.of(), 0)), usage);
  }

  @Test
  void aStatementsModulesUnsureInDifferentColdStartsCountBothColdStarts() {
    // The counters could not tell about yaml in one cold start (80 samples), about requests in the other (none):
    // 80 samples over 2 cold starts, not dense at 50 per cold start (yaml's cold start alone would be).
    ProfileSet profiles = ProfileSet.of(List.of(profileOf("counted.json", UsageSignal.CODE_COUNTERS,
        List.of(coldStartUnsureOf(0, "yaml.reader", 80), coldStartUnsureOf(1, "requests.sessions", 0)), 80)));
    assertEquals(new SampledColdStarts(2, 80), profiles.coldStartsUnseen(List.of("yaml", "requests")));
    assertEquals(new SampledColdStarts(1, 80), profiles.coldStartsUnseen(List.of("yaml")));

    Finding statement = analysis(profiles, HANDLER.replace("import yaml\nimport requests\n",
        "import yaml, requests\n\n")).findings().stream().filter(finding -> finding.oneBasedLine() == 2)
        .findFirst().orElseThrow();

    assertEquals(RuleCode.RARELY_USED, statement.rule());
    assertFalse(statement.confident(), statement.detail());
    assertTrue(statement.detail().contains("samples are sparse (80 execution samples over the 2 cold starts whose"
        + " exact usage signal could not tell, one every 1.0 ms)"), statement.detail());
  }

  @Test
  void denseSamplesInTheSampledColdStartsAndTheExactSignalElsewhereProveNonUse() {
    Finding requests = findingOn(mixedSet(0, 9 * 60), 3);

    assertEquals(RuleCode.NEVER_USED, requests.rule());
    assertTrue(requests.confident(), requests.detail());
  }
}
