package dev.coldspy.profile;

import static dev.coldspy.profile.TestProfiles.editedCopy;
import static dev.coldspy.profile.TestProfiles.ordersRun1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonProfileReaderTest {
  @TempDir Path dir;

  @Test
  void readsEveryPartOfAProfile() throws Exception {
    Profile profile = ProfileReader.read(ordersRun1());

    assertEquals(new ProfileSource(ordersRun1(), SourceKind.JSON), profile.source());
    assertEquals(new App("orders_app", "handler.py:handler", "/var/task"), profile.app());
    assertEquals(new Environment("3.11.7", "CPython", "Linux-6.1-x86_64", "x86_64", true, 512), profile.environment());
    assertEquals(new ProfilerSettings(1000L, "wall", UsageSignal.SETPROFILE, "rss", 2), profile.settings());
    assertEquals(List.of(new AgentError(1, "memory sampler stopped early")), profile.errors());
    assertEquals(2, profile.coldStarts().size());

    ColdStart first = profile.coldStarts().get(0);
    assertEquals(120000, first.initUs());
    assertEquals(110, first.importSamples());
    assertEquals(30, first.executionSamples());
    assertEquals(List.of("requests", "urllib3", "yaml", "report"),
        first.modules().stream().map(ModuleImport::name).toList());
    assertEquals(new ModuleImport("urllib3", "requests", "/var/task/urllib3/__init__.py", 60000, 60000, Phase.INIT,
        new Trigger("/var/task/requests/__init__.py", 5), 6000000L), first.modules().get(1));
    assertEquals(Phase.EXECUTION, first.modules().get(3).phase());
    assertNull(first.modules().get(2).rssDeltaBytes());

    Invocation failed = first.invocations().get(1);
    assertTrue(failed.exception());
    assertEquals("builtins.KeyError", failed.exceptionType());
    assertEquals(List.of("handler", "report"), failed.modulesExecuted());
    assertEquals(new ModuleUsage(12, true), first.usageOf("requests"));
    assertEquals(new ModuleUsage(0, false), first.usageOf("yaml"));

    assertTrue(profile.hasSamples());
    assertTrue(profile.hasExactUsage());
  }

  @Test
  void profilesOfOlderAgentsHaveNoBytecodeRecords() throws Exception {
    Profile profile = ProfileReader.read(ordersRun1());

    assertNull(profile.environment().cacheTag());
    assertNull(profile.environment().dontWriteBytecode());
    assertTrue(profile.coldStarts().stream().flatMap(c -> c.modules().stream())
        .allMatch(m -> m.bytecode() == null && m.compileUs() == 0));
  }

  @Test
  void readsHowTheLambdaEnvironmentWasInitialised() throws Exception {
    Path profile = editedCopy(ordersRun1(), dir, "snap-start.json", "\"memoryLimitMb\": 512}",
        "\"memoryLimitMb\": 512, \"initializationType\": \"snap-start\"}");

    Environment environment = ProfileReader.read(profile).environment();

    assertEquals("snap-start", environment.initializationType());
    assertTrue(environment.restoredFromSnapshot());
    assertNull(ProfileReader.read(ordersRun1()).environment().initializationType());
  }

  @Test
  void anInitializationTypeThatIsNoStringNamesTheFileAndTheField() throws Exception {
    Path profile = editedCopy(ordersRun1(), dir, "bad-snap-start.json", "\"memoryLimitMb\": 512}",
        "\"memoryLimitMb\": 512, \"initializationType\": 5}");

    String message = failure(profile);

    assertTrue(message.startsWith(profile.toString()), message);
    assertTrue(message.contains("initializationType"), message);
  }

  @Test
  void readsTheBytecodeFieldsOfTheEnvironmentAndTheModules() throws Exception {
    Path profile = editedCopy(ordersRun1(), dir, "bytecode.json",
        "\"memoryLimitMb\": 512}",
        "\"memoryLimitMb\": 512, \"cacheTag\": \"cpython-311\", \"dontWriteBytecode\": false,"
            + " \"pycachePrefix\": \"/tmp/pyc\"}");
    profile = editedCopy(profile, dir, "bytecode2.json", "\"rssDeltaBytes\": 6000000},",
        "\"rssDeltaBytes\": 6000000, \"bytecode\": {\"from\": \"source\", \"compileUs\": 41000,"
            + " \"cause\": \"other-version\", \"cacheWritten\": false}},");
    profile = editedCopy(profile, dir, "bytecode3.json", "\"trigger\": {\"file\": 0, \"line\": 3}, \"rssDeltaBytes\": null}",
        "\"trigger\": {\"file\": 0, \"line\": 3}, \"rssDeltaBytes\": null, \"bytecode\": {\"from\": \"cache\"}}");

    Profile read = ProfileReader.read(profile);

    assertEquals(new Environment("3.11.7", "CPython", "Linux-6.1-x86_64", "x86_64", true, 512, "cpython-311", false,
        "/tmp/pyc"), read.environment());
    List<ModuleImport> modules = read.coldStarts().get(0).modules();
    assertEquals(new Bytecode(Bytecode.Source.SOURCE, 41000, Bytecode.Cause.OTHER_VERSION, false),
        modules.get(1).bytecode());
    assertEquals(41000, modules.get(1).compileUs());
    assertEquals(new Bytecode(Bytecode.Source.CACHE, 0, null, null), modules.get(2).bytecode());
    assertEquals(0, modules.get(2).compileUs());
  }

  @Test
  void aBytecodeValueOfANewerAgentLeavesTheModuleUnrecordedOrTheCauseUnknown() throws Exception {
    Path profile = editedCopy(ordersRun1(), dir, "newer.json", "\"rssDeltaBytes\": 6000000},",
        "\"rssDeltaBytes\": 6000000, \"bytecode\": {\"from\": \"jit\", \"compileUs\": 5}},");
    profile = editedCopy(profile, dir, "newer2.json", "\"trigger\": {\"file\": 0, \"line\": 3}, \"rssDeltaBytes\": null}",
        "\"trigger\": {\"file\": 0, \"line\": 3}, \"rssDeltaBytes\": null, \"bytecode\": {\"from\": \"source\","
            + " \"compileUs\": 700, \"cause\": \"moved\", \"cacheWritten\": true, \"checkedUs\": 3}}");

    List<ModuleImport> modules = ProfileReader.read(profile).coldStarts().get(0).modules();

    assertNull(modules.get(1).bytecode());
    assertEquals(new Bytecode(Bytecode.Source.SOURCE, 700, null, true), modules.get(2).bytecode());
  }

  @Test
  void aBytecodeRecordWithoutFromNamesTheField() throws Exception {
    Path profile = editedCopy(ordersRun1(), dir, "nofrom.json", "\"rssDeltaBytes\": 6000000},",
        "\"rssDeltaBytes\": 6000000, \"bytecode\": {\"compileUs\": 5}},");

    ProfileFormatException error = assertThrows(ProfileFormatException.class, () -> ProfileReader.read(profile));

    assertTrue(error.getMessage().contains("from"), error.getMessage());
  }

  @Test
  void theLayerGoldenProfileRecordsCompilingFromSourceForAnotherVersionsCache() throws Exception {
    Path golden = Path.of("..", "fixtures", "profiles", "rules_engine.py312-layer311.json");

    Profile profile = ProfileReader.read(golden);

    assertEquals("cpython-312", profile.environment().cacheTag());
    assertEquals(Boolean.TRUE, profile.environment().dontWriteBytecode());
    assertNull(profile.environment().pycachePrefix());
    for (ColdStart coldStart : profile.coldStarts()) {
      for (ModuleImport module : coldStart.modules()) {
        if (module.name().equals("policyuniverse") || module.name().equals("six")) {
          Bytecode bytecode = module.bytecode();
          assertEquals(Bytecode.Source.SOURCE, bytecode.from(), module.name());
          assertEquals(Bytecode.Cause.OTHER_VERSION, bytecode.cause(), module.name());
          assertEquals(Boolean.FALSE, bytecode.cacheWritten(), module.name());
          assertTrue(bytecode.compileUs() > 0 && bytecode.compileUs() <= module.selfUs(), module.name());
        } else if (module.name().equals("json")) {
          assertEquals(new Bytecode(Bytecode.Source.CACHE, 0, null, null), module.bytecode());
        }
      }
    }
  }

  @Test
  void aGoldenProfileWithoutTheOptionalFieldsStillReads() throws Exception {
    Profile profile = ProfileReader.read(Path.of("..", "fixtures", "profiles", "rules_engine.json"));

    assertNull(profile.environment().cacheTag());
    assertFalse(profile.coldStarts().isEmpty());
    assertTrue(profile.coldStarts().stream().flatMap(c -> c.modules().stream()).allMatch(m -> m.bytecode() == null));
  }

  @Test
  void callTreeKeepsTheFlatEncodingAndDerivesInclusiveCounts() throws Exception {
    CallTree tree = ProfileReader.read(ordersRun1()).callTree();

    assertEquals(9, tree.nodeCount());
    assertEquals(205, tree.totalImportSamples());
    assertEquals(35, tree.totalExecutionSamples());
    // handler.py:2 <module> → requests <module> → urllib3 <module>: 5 + 10 + 140 import samples.
    assertEquals(155, tree.importInclusive(1));
    assertEquals(150, tree.importInclusive(2));
    // handler() → requests.get → a built-in with no file: 15 + 14 + 6 execution samples.
    assertEquals(35, tree.executionInclusive(6));
    assertEquals("/var/task/handler.py:10 handler", tree.describeFrame(tree.frameOf(6)));
    assertNull(tree.frameFile(tree.frameOf(8)));
    assertEquals(3, tree.depthOf(8));
    assertEquals(List.of(1, 4, 6), children(tree, 0));
  }

  @Test
  void aFullCollectionIsTakenOutOfTheImportItLandedInAndSharedByOwnTime() throws Exception {
    // urllib3's 60 ms hold a 10 ms full collection, inside requests' import too: the init imports' own time
    // without it is 20 + 50 + 30 ms, so requests gets 2 ms of it, urllib3 5 ms and yaml 3 ms; the
    // execution-phase import keeps its own.
    Path collected = collected("collected.json", Map.of(
        "\"selfUs\": 20000, \"cumulativeUs\": 80000,", "\"fullGcCumulativeUs\": 10000,",
        "\"selfUs\": 60000, \"cumulativeUs\": 60000,", "\"fullGcUs\": 10000, \"fullGcCumulativeUs\": 10000,",
        "\"selfUs\": 4000, \"cumulativeUs\": 4000,", "\"fullGcUs\": 1000, \"fullGcCumulativeUs\": 1000,"));

    ColdStart first = ProfileReader.read(collected).coldStarts().get(0);

    assertEquals(List.of("requests 22000/77000", "urllib3 55000/55000", "yaml 33000/33000", "report 4000/4000"),
        times(first));
    assertEquals(120000, first.initUs());
  }

  @Test
  void aCollectionFigureAboveTheImportsOwnTimeCountsAsItsOwnTime() throws Exception {
    Path collected = collected("collected.json",
        Map.of("\"selfUs\": 30000, \"cumulativeUs\": 30000,", "\"fullGcUs\": 99000,"));

    // yaml's whole 30 ms is collection, shared between requests (20 of 80 ms own) and urllib3 (60 of 80).
    assertEquals(List.of("requests 27500/110000", "urllib3 82500/82500", "yaml 0/0", "report 4000/4000"),
        times(ProfileReader.read(collected).coldStarts().get(0)));
  }

  @Test
  void sharesAreRoundedSoThatThePhaseKeepsItsTotalToTheMicrosecond() throws Exception {
    // 5 µs shared among 20,000 + 50,000 + 30,000 µs of own time: 1, 2.5 and 1.5, which rounded one by one
    // would make 6.
    Path collected = editedCopy(ordersRun1(), dir, "rounded.json", "\"selfUs\": 60000, \"cumulativeUs\": 60000,",
        "\"selfUs\": 50005, \"cumulativeUs\": 50005, \"fullGcUs\": 5,");

    assertEquals(List.of("requests 20001/", "urllib3 50003/", "yaml 30001/"),
        ProfileReader.read(collected).coldStarts().get(0).modules().stream().filter(m -> m.phase() == Phase.INIT)
            .map(m -> m.name() + " " + m.selfUs() + "/").toList());
  }

  /** ordersRun1 with fields added to the modules whose line holds each key (in both cold starts). */
  private Path collected(String name, Map<String, String> added) throws IOException {
    String text = Files.readString(ordersRun1());
    for (Map.Entry<String, String> field : added.entrySet()) {
      if (!text.contains(field.getKey())) {
        throw new IllegalArgumentException(field.getKey());
      }
      text = text.replace(field.getKey(), field.getKey() + " " + field.getValue());
    }
    Path copy = dir.resolve(name);
    Files.writeString(copy, text);
    return copy;
  }

  private static List<String> times(ColdStart coldStart) {
    return coldStart.modules().stream().map(m -> m.name() + " " + m.selfUs() + "/" + m.cumulativeUs()).toList();
  }

  @Test
  void fieldsMayComeInAnyOrderAndUnknownFieldsAreIgnored() throws Exception {
    Path reordered = editedCopy(ordersRun1(), dir, "reordered.json",
        "\"format\": \"coldspy-profile\",\n  \"schemaVersion\": 1,",
        "\"futureField\": {\"nested\": [1, 2, {\"x\": null}]},");
    String text = Files.readString(reordered).replaceFirst("\\}\\s*$",
        ", \"schemaVersion\": 1, \"format\": \"coldspy-profile\"}");
    Files.writeString(reordered, text);

    Profile profile = ProfileReader.read(reordered);

    assertEquals(2, profile.coldStarts().size());
    assertEquals("/var/task/handler.py", profile.coldStarts().get(0).modules().get(0).trigger().file());
  }

  @Test
  void readsTheCodeCountersSignalAndAModuleItCouldNotSee() throws Exception {
    Path counted = editedCopy(ordersRun1(), dir, "counted.json", "\"usageSignal\": \"setprofile\"",
        "\"usageSignal\": \"code-counters\"");
    Files.writeString(counted, Files.readString(counted).replaceFirst(
        "\"report\": \\{\"samples\": 0, \"executed\": true\\}",
        "\"report\": {\"samples\": 0, \"executed\": false, \"executedUnknown\": true}"));

    Profile profile = ProfileReader.read(counted);

    assertEquals(UsageSignal.CODE_COUNTERS, profile.settings().usageSignal());
    assertTrue(profile.hasExactUsage());
    assertFalse(profile.settings().usageSignal().observesEachInvocation());
    ColdStart first = profile.coldStarts().get(0);
    assertEquals(new ModuleUsage(0, false, false, List.of(), 0, true), first.usageOf("report"));
    assertEquals(new ModuleUsage(12, true), first.usageOf("requests"));
  }

  @Test
  void truncatedFileNamesTheFileAndSaysTruncated() throws Exception {
    byte[] bytes = Files.readAllBytes(ordersRun1());
    Path truncated = dir.resolve("truncated.json");
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));

    String message = failure(truncated);

    assertTrue(message.startsWith(truncated + ": truncated JSON"), message);
  }

  @Test
  void corruptJsonGivesLineAndColumn() throws Exception {
    Path corrupt = editedCopy(ordersRun1(), dir, "corrupt.json", "\"initUs\": 120000,", "\"initUs\": 12#000,");

    String message = failure(corrupt);

    assertTrue(message.startsWith(corrupt + ": invalid JSON at line 12, column 31: Unexpected character"), message);
  }

  @Test
  void unknownSchemaVersionIsRejectedWithBothVersions() throws Exception {
    Path future = editedCopy(ordersRun1(), dir, "future.json", "\"schemaVersion\": 1", "\"schemaVersion\": 2");

    assertEquals(future + ": schema version 2 is not supported (this ColdSpy reads version 1)", failure(future));
  }

  @Test
  void wrongTypeNamesTheJsonPath() throws Exception {
    Path wrong = editedCopy(ordersRun1(), dir, "wrong.json", "\"selfUs\": 30000", "\"selfUs\": \"30000\"");

    assertEquals(wrong + ": wrong type at $.coldStarts[0].modules[2].selfUs: expected an integer, found a string",
        failure(wrong));
  }

  @Test
  void aMalformedExecutedUnknownNamesItsPath() throws Exception {
    Path wrong = editedCopy(ordersRun1(), dir, "unknown.json", "\"report\": {\"samples\": 0, \"executed\": true}",
        "\"report\": {\"samples\": 0, \"executed\": false, \"executedUnknown\": \"yes\"}");

    String message = failure(wrong);

    assertTrue(message.startsWith(wrong + ": wrong type at $.coldStarts[0].moduleUsage.report.executedUnknown"),
        message);
  }

  @Test
  void fileIndexOutsideTheTableIsReported() throws Exception {
    Path bad = editedCopy(ordersRun1(), dir, "bad-index.json", "\"trigger\": {\"file\": 0, \"line\": 3}",
        "\"trigger\": {\"file\": 9, \"line\": 3}");

    assertEquals(bad + ": file index 9 at $.coldStarts[0].modules[2].trigger.file is outside the files table (5 entries)",
        failure(bad));
  }

  @Test
  void missingRequiredFieldIsNamed() throws Exception {
    Path missing = editedCopy(ordersRun1(), dir, "missing.json", "\"name\": \"orders_app\"", "\"nom\": \"orders_app\"");

    assertEquals(missing + ": missing field $.app.name", failure(missing));
  }

  @Test
  void callTreeWhoseParentComesAfterTheChildIsRejected() throws Exception {
    Path bad = editedCopy(ordersRun1(), dir, "bad-tree.json", "[1, 1, 10, 0]", "[5, 1, 10, 0]");

    assertEquals(bad + ": invalid call tree at $.callTree.nodes: node 2 has parent 5, which does not come before it",
        failure(bad));
  }

  @Test
  void otherJsonDocumentsAreNotProfiles() throws Exception {
    Path array = dir.resolve("array.json");
    Files.writeString(array, "[1, 2, 3]");
    Path other = dir.resolve("package.json");
    Files.writeString(other, "{\"format\": \"npm\", \"name\": \"x\"}");
    Path empty = dir.resolve("empty.json");
    Files.writeString(empty, "");

    assertEquals(array + ": wrong type at $: expected a JSON object (a ColdSpy profile), found an array", failure(array));
    assertEquals(other + ": not a ColdSpy profile: format is 'npm', expected 'coldspy-profile'", failure(other));
    assertEquals(empty + ": empty file, expected a JSON profile", failure(empty));
  }

  @Test
  void missingFileAndDirectoryAreOneLineErrors() throws IOException {
    Path absent = dir.resolve("absent.json");

    assertEquals(absent + ": no such file", failure(absent));
    assertEquals(dir + ": is a directory, not a profile file", failure(dir));
  }

  @Test
  void noErrorMessageSpansLines() throws Exception {
    Path garbage = dir.resolve("garbage.json");
    Files.writeString(garbage, "{\"format\": \"coldspy-profile\",\n\n \"schemaVersion\": 1, \"app\": {\"name\": \"x\",\n ]");

    String message = failure(garbage);

    assertFalse(message.contains("\n"), message);
    assertTrue(message.startsWith(garbage + ": invalid JSON at line 4, column 2"), message);
  }

  static String failure(Path file) {
    return assertThrows(ProfileFormatException.class, () -> ProfileReader.read(file)).getMessage();
  }

  static List<Integer> children(CallTree tree, int node) {
    List<Integer> children = new java.util.ArrayList<>();
    for (int child = tree.firstChildOf(node); child >= 0; child = tree.nextSiblingOf(child)) {
      children.add(child);
    }
    return children;
  }
}
