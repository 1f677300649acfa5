package dev.coldspy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coldspy.engine.StatementFacts.Origin;
import dev.coldspy.profile.SampledColdStarts;
import dev.coldspy.rules.RuleCode;
import dev.coldspy.settings.Settings;
import dev.coldspy.settings.SettingsParser;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The classification rules, fact by fact. Costs are in microseconds. */
class ClassifierTest {
  private static final EngineSettings SETTINGS = settings(Map.of("min-ms", 10));
  private static final Knowledge KNOWLEDGE = Knowledge.bundled();
  /** No profile says anything about usage (an {@code -X importtime} log's evidence). */
  static final UsageEvidence UNKNOWN_USAGE = new UsageEvidence(false, false, 0, 0, 0, 0, 0, 0, 0);

  private static EngineSettings settings(Map<String, Object> values) {
    return EngineSettings.of(SettingsParser.apply(Settings.DEFAULTS, values, "test").settings());
  }

  /** An exact usage signal over 40 cold starts. */
  private static UsageEvidence exact(int used, int of) {
    return new UsageEvidence(true, true, used, of, used * 3, of * 3, 0, 0, 0);
  }

  /** Samples only, one every 100 ms, 4 execution samples in 1 cold start. */
  private static UsageEvidence sparse(int used, long samples) {
    return new UsageEvidence(true, false, used, 1, 0, 0, samples, 4, 100_000);
  }

  private static StatementFacts facts(double costUs, UsageEvidence usage) {
    return new StatementFacts("policyuniverse.policy", costUs, costUs * 1.1, usage, StaticUse.FUNCTIONS_ONLY,
        List.of(), "rules/public.py:13", Origin.PYTHON);
  }

  private static Verdict verdict(StatementFacts facts) {
    return Classifier.classify(facts, SETTINGS).orElseThrow();
  }

  @Test
  void cheapStatementsAreNotReported() {
    // min-ms 10, borderline factor 2.5: below 4 ms nothing
    assertTrue(Classifier.classify(facts(3_999, exact(0, 40)), SETTINGS).isEmpty());
  }

  @Test
  void aSavingJustBelowMinMsIsBorderlineNotAToggle() {
    Verdict near = verdict(facts(9_000, exact(0, 40)));
    assertEquals(RuleCode.NEVER_USED, near.rule());
    assertTrue(near.borderline());
    assertTrue(near.message().endsWith(", borderline"), near.message());
    assertTrue(near.detail().contains("Borderline: ~9.0 ms with bytecode, near the min-ms cut-off of 10.0 ms"),
        near.detail());
    assertFalse(verdict(facts(10_000, exact(0, 40))).borderline());
  }

  @Test
  void minMsJudgesTheCostWithBytecodeNotTheTimeSpentCompiling() {
    // pyarrow.parquet in a deployment without bytecode: 50 ms, 47 of them compiling (CS107's to report);
    // precompiled it costs 3 ms, under min-ms's band, so it is no finding in either deployment.
    assertTrue(Classifier.classify(compiledFromSource(50_000, 47_000), SETTINGS).isEmpty());
    assertTrue(Classifier.classify(facts(3_000, exact(1, 40)), SETTINGS).isEmpty());
    // 20 ms left with bytecode is reported, with the whole cost as the saving in this deployment.
    assertEquals(RuleCode.RARELY_USED, verdict(compiledFromSource(64_000, 44_000)).rule());
  }

  /** pyarrow.parquet, used in 1 of 40 cold starts, costing {@code costUs} of which {@code compiledUs} compiling. */
  private static StatementFacts compiledFromSource(double costUs, double compiledUs) {
    return new StatementFacts("pyarrow.parquet", costUs, costUs * 1.1, compiledUs, exact(1, 40),
        StaticUse.FUNCTIONS_ONLY, List.of(), null, Origin.PYTHON, true, ModuleRuns.InitUse.NONE, ImportTree.EMPTY,
        List.of(), UnusedPartRule.Remedies.MANUAL);
  }

  @Test
  void neverRunWithExactSignalIsNeverUsedAndSavesTheWholeCost() {
    Verdict v = verdict(facts(1_200_000, exact(0, 40)));
    assertEquals(RuleCode.NEVER_USED, v.rule());
    assertEquals(1_200_000, v.savingUs(), 0.001);
    assertTrue(v.confident());
    assertEquals("policyuniverse.policy never used in 40 cold starts — lazy-load or remove it (saves ~1200 ms)",
        v.message());
    assertTrue(v.detail().contains("used in 0 of 40 cold starts (0 of 120 invocations)"), v.detail());
    assertTrue(v.detail().contains("lazy-load it where it is used (rules/public.py:13)"), v.detail());
  }

  @Test
  void usedInAMinorityIsRarelyUsedWeightedByColdStartsWithoutUse() {
    Verdict v = verdict(facts(1_200_000, exact(3, 40)));
    assertEquals(RuleCode.RARELY_USED, v.rule());
    assertEquals(1_200_000 * 37 / 40.0, v.savingUs(), 0.001);
    assertEquals("cost 1200.0 ms × 37 of 40 cold starts that do not use it", v.savingFormula());
    assertEquals("policyuniverse.policy used in 3/40 cold starts — lazy-load saves ~1110 ms", v.message());
    assertTrue(v.detail().contains("used in 3 of 40 cold starts (9 of 120 invocations)"), v.detail());
  }

  @Test
  void usedInMostColdStartsIsNotReported() {
    assertEquals(Optional.empty(), Classifier.classify(facts(1_200_000, exact(30, 40)), SETTINGS));
  }

  @Test
  void rarelyUsedThresholdIsASetting() {
    EngineSettings strict = settings(Map.of("min-ms", 10, "rarely-used-fraction", 0.05));
    assertTrue(Classifier.classify(facts(1_200_000, exact(3, 40)), strict).isEmpty());
  }

  @Test
  void sparseSamplesNeverClaimNeverUsed() {
    Verdict v = verdict(facts(300_000, sparse(0, 0)));
    assertEquals(RuleCode.RARELY_USED, v.rule());
    assertFalse(v.confident());
    assertEquals("policyuniverse.policy seen in 0/1 cold starts (sparse samples) — lazy-load saves ~300 ms",
        v.message());
    assertTrue(v.detail().contains("samples are sparse (4 execution samples, one every 100.0 ms)"), v.detail());
  }

  @Test
  void bothGroupsOfColdStartsJudgedBySamplesAreNamedWhenSparse() {
    UsageEvidence mixed = new UsageEvidence(true, false, 0, 11, 0, 0, 0, 45, 1_000,
        new SampledColdStarts(9, 45), new SampledColdStarts(2, 0));

    Verdict v = verdict(facts(300_000, mixed));

    assertFalse(v.confident());
    assertTrue(v.detail().contains("samples are sparse (45 execution samples over the 9 cold starts without an exact"
        + " usage signal; 0 execution samples over the 2 cold starts whose exact usage signal could not tell; one"
        + " every 1.0 ms) and no exact usage signal could tell in every cold start"), v.detail());
  }

  @Test
  void manySamplesWithoutUseAreConclusive() {
    UsageEvidence dense = new UsageEvidence(true, false, 0, 2, 0, 0, 0, 86_689, 1_000);
    Verdict v = verdict(facts(300_000, dense));
    assertEquals(RuleCode.NEVER_USED, v.rule());
    assertTrue(v.detail().contains("(0 of 86,689 execution samples)"), v.detail());
  }

  @Test
  void unreferencedAndUnseenIsNeverUsedAndRemovable() {
    StatementFacts unreferenced = new StatementFacts("pathlib2", 200_000, 210_000, sparse(0, 0),
        StaticUse.UNREFERENCED, List.of(), null, Origin.PYTHON);
    Verdict v = verdict(unreferenced);
    assertEquals(RuleCode.NEVER_USED, v.rule());
    assertEquals("pathlib2 never used in 1 cold start — remove it (saves ~200 ms)", v.message());
    assertTrue(v.detail().contains("nothing in the code refers to it: remove it"), v.detail());
  }

  @Test
  void noUsageEvidenceIsUsageUnknownAndSaysSo() {
    Verdict v = verdict(facts(300_000, UNKNOWN_USAGE));
    assertEquals(RuleCode.USAGE_UNKNOWN, v.rule());
    assertFalse(v.confident());
    assertEquals("policyuniverse.policy costs ~300 ms per cold start; usage unknown", v.message());
    assertTrue(v.detail().contains("whether the code uses it is unknown"), v.detail());
    assertTrue(v.detail().contains("profile with ColdSpy's agent"), v.detail());
  }

  @Test
  void sampledProfilesWithoutExecutionSamplesAskForTheExactSignal() {
    // The agent sampled (1 ms) but not one sample fell into a handler call: the calls are too short.
    UsageEvidence noExecutionSamples = new UsageEvidence(false, false, 0, 40, 0, 0, 0, 0, 1_000);
    Verdict v = verdict(facts(300_000, noExecutionSamples));
    assertEquals(RuleCode.USAGE_UNKNOWN, v.rule());
    assertTrue(v.detail().contains("no execution-phase samples"), v.detail());
    assertTrue(v.detail().contains("`COLDSPY_USAGE_SIGNAL=code-counters` in Lambda"), v.detail());
  }

  @Test
  void sampledProfilesWhoseColdStartsServedNoInvocationSaySo() {
    // Environments initialized ahead of requests that never came: samples at init, no cold start with a call
    UsageEvidence noInvocation = new UsageEvidence(false, false, 0, 0, 0, 0, 0, 0, 1_000);
    Verdict v = verdict(facts(300_000, noInvocation));
    assertEquals(RuleCode.USAGE_UNKNOWN, v.rule());
    assertTrue(v.detail().contains("no cold start of the profiles served an invocation"), v.detail());
  }

  @Test
  void annotationOnlyNamesAreTypingOnly() {
    StatementFacts typing = new StatementFacts("pandas", 300_000, 310_000, exact(40, 40),
        StaticUse.ANNOTATIONS_ONLY, List.of(), null, Origin.PYTHON);
    assertEquals(RuleCode.TYPING_ONLY, verdict(typing).rule());
  }

  @Test
  void costlyConsoleLibraryIsFeatureRedundancyEvenWhenUsed() {
    KnowledgeHit rich = new KnowledgeHit(KNOWLEDGE.entryFor("rich.console").orElseThrow(), 58_000,
        "rich.console", exact(40, 40));
    StatementFacts facts = new StatementFacts("rich.console", 58_000, 60_000, exact(40, 40),
        StaticUse.MODULE_LEVEL, List.of(rich), null, Origin.PYTHON);
    Verdict v = verdict(facts);
    assertEquals(RuleCode.FEATURE_REDUNDANCY, v.rule());
    assertEquals("rich.console only serves colour, tables, consoles and progress bars in a terminal — remove it"
        + " (saves ~58 ms)", v.message());
    assertTrue(v.detail().startsWith("feature redundancy: rich.console costs 58.0 ms per cold start (p90 60.0 ms) for colour"),
        v.detail());
    assertTrue(v.detail().endsWith(" Lazy-loading it would only move its cost into the first request (used in 40 of 40"
        + " cold starts)."), v.detail());
  }

  @Test
  void knowledgePatternNeedsTheLibraryToBeCostly() {
    KnowledgeHit cheapTqdm = new KnowledgeHit(KNOWLEDGE.entryFor("tqdm").orElseThrow(), 3_000, "tqdm",
        exact(40, 40));
    StatementFacts facts = new StatementFacts("tqdm", 40_000, 41_000, exact(40, 40), StaticUse.FUNCTIONS_ONLY,
        List.of(cheapTqdm), null, Origin.PYTHON);
    assertTrue(Classifier.classify(facts, SETTINGS).isEmpty());
  }

  @Test
  void transitivePkgResourcesIsLibraryChoiceOnTheStatementThatPulledItIn() {
    KnowledgeHit pkg = new KnowledgeHit(KNOWLEDGE.entryFor("pkg_resources").orElseThrow(), 104_000,
        "chameleon -> chameleon.zpt.template -> chameleon.template -> pkg_resources", exact(40, 40));
    StatementFacts facts = new StatementFacts("chameleon", 154_000, 160_000, exact(40, 40),
        StaticUse.MODULE_LEVEL, List.of(pkg), null, Origin.PYTHON);
    Verdict v = verdict(facts);
    assertEquals(RuleCode.LIBRARY_CHOICE, v.rule());
    assertEquals(104_000, v.savingUs(), 0.001);
    assertEquals("chameleon loads pkg_resources — lighter: importlib.resources / importlib.metadata (saves ~104 ms)",
        v.message());
    assertTrue(v.detail().startsWith("library choice: chameleon costs 154.0 ms per cold start (p90 160.0 ms), 104.0 ms"
        + " of it for pkg_resources (chameleon -> chameleon.zpt.template -> chameleon.template -> pkg_resources);"
        + " a lighter choice: importlib.resources"), v.detail());
  }

  @Test
  void lightUseLibraryChoiceNeedsEvidenceOfLightUse() {
    // 2 samples at 1 ms over 40 cold starts: 0.05 ms of pandas code per cold start against 300 ms of import.
    assertEquals(RuleCode.LIBRARY_CHOICE, verdict(pandasRunning(2)).rule());

    // 20,000 samples: 500 ms of pandas code per cold start, more than its import.
    assertTrue(Classifier.classify(pandasRunning(20_000), SETTINGS).isEmpty());
  }

  @Test
  void largestSavingWinsBetweenPatterns() {
    // A rarely used statement whose pkg_resources part is small: lazy-loading the whole saves more.
    KnowledgeHit pkg = new KnowledgeHit(KNOWLEDGE.entryFor("pkg_resources").orElseThrow(), 20_000,
        "x -> pkg_resources", exact(1, 40));
    StatementFacts facts = new StatementFacts("x", 500_000, 510_000, exact(1, 40), StaticUse.FUNCTIONS_ONLY,
        List.of(pkg), null, Origin.PYTHON);
    assertEquals(RuleCode.RARELY_USED, verdict(facts).rule());
  }

  @Test
  void namesUsedAtImportTimeAreNeitherNeverNorRarelyUsed() {
    StatementFacts moduleLevel = new StatementFacts("pkg_resources", 300_000, 310_000, exact(0, 40),
        StaticUse.MODULE_LEVEL, List.of(), null, Origin.PYTHON);
    assertTrue(Classifier.classify(moduleLevel, SETTINGS).isEmpty());
  }

  @Test
  void theStandardLibraryIsReportedOnlyWhenNothingRefersToIt() {
    StatementFacts hashlib = new StatementFacts("hashlib", 13_000, 19_000, exact(0, 10),
        StaticUse.FUNCTIONS_ONLY, List.of(), null, Origin.STANDARD_LIBRARY);
    assertTrue(Classifier.classify(hashlib, SETTINGS).isEmpty(), "hashlib.sha256 is C code: its use is unseen");
    StatementFacts unreferenced = new StatementFacts("hashlib", 13_000, 19_000, exact(0, 10),
        StaticUse.UNREFERENCED, List.of(), null, Origin.STANDARD_LIBRARY);
    assertEquals(RuleCode.NEVER_USED, verdict(unreferenced).rule());
  }

  @Test
  void compiledModulesNotSeenRunningAreUsageUnknown() {
    StatementFacts orjson = new StatementFacts("orjson", 30_000, 31_000, exact(0, 10),
        StaticUse.FUNCTIONS_ONLY, List.of(), null, Origin.NATIVE);
    Verdict v = verdict(orjson);
    assertEquals(RuleCode.USAGE_UNKNOWN, v.rule());
    assertEquals("orjson costs ~30 ms per cold start; compiled code: use unseen", v.message());
    assertTrue(v.detail().contains("it is compiled code"), v.detail());
  }

  @Test
  void rarelyUsedEstimateSavesInitAndMovesTheCostIntoTheFirstInvocationOfTheColdStartsThatUseIt() {
    Verdict v = verdict(facts(1_200_000, exact(3, 40)));
    assertEquals(1_200_000, v.estimate().initUs(), 0.001);
    assertEquals(1_200_000 * 3 / 40.0, v.estimate().firstInvocationUs(), 0.001);
    assertTrue(v.detail().endsWith("Per cold start: init −1200.0 ms, first invocation +90.0 ms, cold start −1110.0 ms"
        + " (cost 1200.0 ms × 37 of 40 cold starts that do not use it)."), v.detail());
  }

  @Test
  void aLibraryUsedOnEveryColdStartIsSavedOnlyByItsReplacementNotByDeferringIt() {
    Verdict v = verdict(pandasRunning(2));
    assertEquals("pandas has a lighter alternative: the csv module or plain lists of dicts (saves ~300 ms)",
        v.message());
    assertEquals(new Estimate(300_000, 0), v.estimate());
    assertTrue(v.detail().endsWith("Per cold start: init −300.0 ms, first invocation +0.0 ms, cold start −300.0 ms"
        + " (the whole cost, on every cold start). Lazy-loading it would only move its cost into the first request"
        + " (used in 40 of 40 cold starts)."), v.detail());
  }

  @Test
  void aStatementImportingManyModulesKeepsItsMessageWithinTheLimit() {
    String many = "a_long_package_name.first, a_long_package_name.second, a_long_package_name.third";
    Verdict v = verdict(new StatementFacts(many, 1_200_000, 1_300_000, exact(3, 40), StaticUse.FUNCTIONS_ONLY,
        List.of(), null, Origin.PYTHON));
    assertEquals("a_long_package_name.first, a_long_packa… used in 3/40 cold starts — lazy-load saves ~1110 ms",
        v.message());
  }

  @Test
  void aLongStatementNearMinMsShortensItsSubjectNotItsBorderlineMark() {
    String many = "a_long_package_name.first, a_long_package_name.second, a_long_package_name.third";
    Verdict near = verdict(new StatementFacts(many, 9_000, 9_900, exact(3, 40), StaticUse.FUNCTIONS_ONLY,
        List.of(), null, Origin.PYTHON));
    assertTrue(near.borderline());
    assertEquals("a_long_package_name.first, a_long_packa… used in 3/40 cold starts — lazy-load saves ~8.3 ms, borderline",
        near.message());
    String longer = many + ", a_long_package_name.fourth, a_long_package_name.fifth";
    Verdict cut = verdict(new StatementFacts(longer, 9_000, 9_900, exact(0, 40), StaticUse.FUNCTIONS_ONLY,
        List.of(), null, Origin.PYTHON));
    // Too long with the mark: the subject gives way, as for any message (it used to be cut before the mark).
    assertEquals("a_long_package_name.first, a_long_pac… never used in 40 cold starts — lazy-load or remove it"
        + " (saves ~9.0 ms), borderline", cut.message());
    assertTrue(cut.message().length() <= Classifier.MESSAGE_LIMIT);
  }

  @Test
  void aMessageTooLongEvenWithItsSubjectShortenedIsCutToTheRoomGiven() {
    String tail = " loads " + "a_very_long_module_name.".repeat(4) + "leaf, which never ran (saves ~9.0 ms)";
    String fitted = Classifier.fit(subject -> subject + tail, "reportlab.graphics.shapes", 108);
    assertEquals(108, fitted.length());
    assertTrue(fitted.startsWith("reportl… loads a_very_long_module_name."), fitted);
    assertTrue(fitted.endsWith("…"), fitted);
  }

  private static StatementFacts pandasRunning(long samples) {
    LibraryEntry pandas = KNOWLEDGE.entryFor("pandas").orElseThrow();
    // 1 ms samples over 40 cold starts against 300 ms of import per cold start.
    UsageEvidence use = new UsageEvidence(true, false, 40, 40, 0, 0, samples, 40_000, 1_000);
    return new StatementFacts("pandas", 300_000, 310_000, use, StaticUse.FUNCTIONS_ONLY,
        List.of(new KnowledgeHit(pandas, 300_000, "pandas", use)), null, Origin.PYTHON);
  }

  @Test
  void aLightUseRatioNearItsCutOffIsBorderlineNotAToggle() {
    // 16 % of the import time running (the cut-off is 10 %): still reported, as borderline.
    Verdict near = verdict(pandasRunning(40 * 48));
    assertEquals(RuleCode.LIBRARY_CHOICE, near.rule());
    assertTrue(near.borderline());
    assertEquals("pandas has a lighter alternative: the csv module or plain lists of dicts (saves ~300 ms),"
        + " borderline", near.message());
    assertTrue(near.detail().endsWith(" Borderline: its code ran 16 % of its import time, near the 10 % light-use"
        + " cut-off; machine load or bytecode may shift it."), near.detail());
    // 6 %: firmly light use.
    assertFalse(verdict(pandasRunning(40 * 18)).borderline());
    // 30 %: well used, no finding.
    assertTrue(Classifier.classify(pandasRunning(40 * 90), SETTINGS).isEmpty());
  }

  /** chameleon costing 200 ms, {@code pkgResourcesUs} of it for pkg_resources it pulls in. */
  private static Optional<Verdict> chameleonPullingIn(double pkgResourcesUs) {
    KnowledgeHit pkg = new KnowledgeHit(KNOWLEDGE.entryFor("pkg_resources").orElseThrow(), pkgResourcesUs,
        "chameleon -> pkg_resources", exact(40, 40));
    return Classifier.classify(new StatementFacts("chameleon", 200_000, 210_000, exact(40, 40),
        StaticUse.MODULE_LEVEL, List.of(pkg), null, Origin.PYTHON), SETTINGS);
  }

  @Test
  void aPulledInLibraryNearItsShareCutOffIsBorderline() {
    Verdict fifth = chameleonPullingIn(40_000).orElseThrow();
    assertEquals(RuleCode.LIBRARY_CHOICE, fifth.rule());
    assertTrue(fifth.borderline(), "20 % of the statement's cost, near the 25 % cut-off");
    assertFalse(chameleonPullingIn(60_000).orElseThrow().borderline(), "30 %: firm");
    assertTrue(chameleonPullingIn(15_000).isEmpty(), "7.5 %: not what the statement is about");
  }
}
