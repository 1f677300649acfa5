package dev.coldspy.profile;

import static dev.coldspy.profile.TestProfiles.csvAppLog;
import static dev.coldspy.profile.TestProfiles.editedCopy;
import static dev.coldspy.profile.TestProfiles.ordersRun1;
import static dev.coldspy.profile.TestProfiles.ordersRun2;
import static dev.coldspy.profile.TestProfiles.reportAppPickle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileSetTest {
  @TempDir Path dir;

  @Test
  void distributionsOverAllColdStartsOfAllProfiles() throws Exception {
    ProfileSet set = ProfileSet.of(List.of(ProfileReader.read(ordersRun1()), ProfileReader.read(ordersRun2())));

    assertEquals(3, set.coldStartCount());
    assertEquals(4, set.invocationCount());
    // requests cumulative: 80000, 70000 (run 1) and 90000 (run 2).
    ModuleStats requests = set.module("requests").orElseThrow();
    assertEquals(3, requests.coldStartsImported());
    assertEquals(new Distribution(3, 70000, 80000, 88000, 90000, 80000), requests.cumulativeUs());
    assertEquals(new Distribution(3, 100000, 120000, 136000, 140000, 120000), set.initUs());
    assertEquals(Map.of(new Trigger("/var/task/handler.py", 2), 3), requests.triggers());
    assertEquals("/var/task/requests/__init__.py", requests.file());
    assertEquals("requests", set.module("urllib3").orElseThrow().parent());
    assertEquals(new Distribution(3, 8000000, 8000000, 8800000, 9000000, 25000000 / 3.0), requests.rssDeltaBytes());
  }

  @Test
  void usageCountsColdStartsAndInvocations() throws Exception {
    ProfileSet set = ProfileSet.of(List.of(ProfileReader.read(ordersRun1()), ProfileReader.read(ordersRun2())));

    UsageStats report = set.module("report").orElseThrow().usage();
    assertEquals(new UsageStats(3, 3, 1, 0, 1, 0, 4, 1), report);
    assertEquals(1, set.module("report").orElseThrow().coldStartsImported());
    assertEquals(0, set.module("report").orElseThrow().coldStartsImportedAtInit());

    UsageStats urllib3 = set.usageOf("urllib3");
    assertEquals(3, urllib3.coldStartsExecuted());
    assertEquals(1, urllib3.coldStartsSampled(), "sampled only in run 1's first cold start");
    assertEquals(3, urllib3.invocationsExecuted());

    UsageStats yaml = set.usageOf("yaml");
    assertTrue(yaml.known());
    assertEquals(0, yaml.coldStartsUsed(), "yaml is imported in every cold start and used in none");
  }

  @Test
  void aColdStartThatServedNoInvocationCountsForInitNotForUsage() throws Exception {
    // Run 2's environment as if initialized ahead of requests that never came (provisioned concurrency, a Lambda
    // Managed Instances worker): no invocation, no execution sample, no module used.
    ObjectMapper json = new ObjectMapper();
    ObjectNode profile = (ObjectNode) json.readTree(ordersRun2().toFile());
    ObjectNode coldStart = (ObjectNode) profile.withArray("coldStarts").get(0);
    coldStart.putArray("invocations");
    coldStart.putObject("moduleUsage");
    ((ObjectNode) coldStart.get("samples")).put("execution", 0);
    Path idle = dir.resolve("orders_app-idle.json");
    json.writeValue(idle.toFile(), profile);
    ProfileSet set = ProfileSet.of(List.of(ProfileReader.read(ordersRun1()), ProfileReader.read(ordersRun2()),
        ProfileReader.read(idle)));

    assertEquals(4, set.coldStartCount());
    assertEquals(1, set.idleColdStarts());
    assertEquals(3, set.coldStartsWithUsageEvidence());
    assertEquals(new UsageStats(3, 3, 1, 0, 1, 0, 4, 1), set.module("report").orElseThrow().usage(),
        "as without the idle cold start, not used in 1 of 4");
    assertEquals(3, set.usageOfTree("urllib3").coldStartsWithEvidence());
    assertEquals(4, set.module("requests").orElseThrow().coldStartsImported(), "its init counts");
    assertEquals(4, set.initUs().count());
  }

  @Test
  void anInvocationWhoseUsageWasNotWatchedCountsForNoModuleAndInNoDenominator() throws Exception {
    // Run 1's second call as a Lambda environment's unwatched warm call records it: no list of modules, and
    // usageObserved false. The cold start still used report (its code ran for the first time in that call).
    ObjectMapper json = new ObjectMapper();
    ObjectNode profile = (ObjectNode) json.readTree(ordersRun1().toFile());
    ObjectNode second = (ObjectNode) profile.withArray("coldStarts").get(0).withArray("invocations").get(1);
    second.putArray("modulesExecuted");
    second.put("usageObserved", false);
    Path unwatched = dir.resolve("orders_app-unwatched.json");
    json.writeValue(unwatched.toFile(), profile);
    ProfileSet set = ProfileSet.of(List.of(ProfileReader.read(unwatched), ProfileReader.read(ordersRun2())));

    assertFalse(ProfileReader.read(unwatched).coldStarts().get(0).invocations().get(1).usageObserved());
    assertEquals(4, set.invocationCount());
    assertEquals(new UsageStats(3, 3, 1, 0, 1, 0, 3, 0), set.module("report").orElseThrow().usage(),
        "used in 1 of 3 cold starts; of the 3 watched calls, none ran it");
    assertEquals(3, set.usageOf("urllib3").invocationsExecuted());
    assertEquals(3, set.usageOf("urllib3").invocationsObserved());
  }

  @Test
  void usageOfAPackageCountsItsSubmodules() throws Exception {
    ProfileSet set = ProfileSet.of(List.of(ProfileReader.read(reportAppPickle())));

    assertEquals(0, set.usageOf("numpy").coldStartsUsed());
    UsageStats numpyTree = set.usageOfTree("numpy");
    assertEquals(1, numpyTree.coldStartsSampled());
    assertEquals(1, numpyTree.executionSamples());
    assertEquals(0, set.usageOfTree("pandas").coldStartsUsed());
  }

  @Test
  void importtimeLogsCarryNoUsageEvidence() throws Exception {
    ProfileSet set = ProfileSet.of(List.of(ProfileReader.read(csvAppLog())));

    assertFalse(set.hasSamples());
    assertFalse(set.usageKnown());
    assertFalse(set.usageOf("csv").known());
    assertEquals(0, set.module("csv").orElseThrow().usage().coldStartsWithEvidence());
    assertEquals(2, set.module("csv").orElseThrow().coldStartsImported());
  }

  @Test
  void mergedCallTreeSumsEqualPaths() throws Exception {
    ProfileSet set = ProfileSet.of(List.of(ProfileReader.read(ordersRun1()), ProfileReader.read(ordersRun2())));
    CallTree tree = set.callTree();

    assertEquals(9, tree.nodeCount(), "run 2's paths all exist in run 1");
    assertEquals(205 + 95, tree.totalImportSamples());
    assertEquals(35 + 5, tree.totalExecutionSamples());
    int handlerLine2 = tree.firstChildOf(0);
    assertEquals(155 + 75, tree.importInclusive(handlerLine2));
  }

  @Test
  void theSameFilesGiveTheSameViewInAnyOrder() throws Exception {
    Profile one = ProfileReader.read(ordersRun1());
    Profile two = ProfileReader.read(ordersRun2());
    ProfileSet forward = ProfileSet.of(List.of(one, two));
    ProfileSet backward = ProfileSet.of(List.of(two, one));

    assertEquals(forward.profiles(), backward.profiles());
    assertEquals(forward.modules(), backward.modules());
    assertEquals(forward.usage(), backward.usage());
    for (int n = 0; n < forward.callTree().nodeCount(); n++) {
      assertEquals(forward.callTree().frameOf(n), backward.callTree().frameOf(n));
      assertEquals(forward.callTree().importSelf(n), backward.callTree().importSelf(n));
    }
  }

  @Test
  void profilesOfDifferentAppsDoNotMerge() throws Exception {
    Path other = editedCopy(ordersRun2(), dir, "billing.json", "\"name\": \"orders_app\"", "\"name\": \"billing_app\"");

    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> ProfileSet.of(List.of(ProfileReader.read(ordersRun1()), ProfileReader.read(other))));
    assertTrue(error.getMessage().startsWith("profiles of different apps"), error.getMessage());
  }

  @Test
  void loaderSetsAsideBadFilesAndOtherAppsButKeepsTheRest() throws Exception {
    Path profiles = Files.createDirectory(dir.resolve("profiles"));
    Files.copy(ordersRun1(), profiles.resolve("a.json"));
    Files.copy(ordersRun2(), profiles.resolve("b.json"));
    editedCopy(ordersRun2(), profiles, "c.json", "\"name\": \"orders_app\"", "\"name\": \"billing_app\"");
    editedCopy(ordersRun2(), profiles, "d.json", "\"schemaVersion\": 1", "\"schemaVersion\": 7");
    Files.writeString(profiles.resolve("notes.md"), "not a profile, not even looked at");
    Path missing = dir.resolve("missing.pkl");

    ProfileLoader.Result result = ProfileLoader.load(List.of(profiles, missing), null);

    ProfileSet set = result.profiles().orElseThrow();
    assertEquals("orders_app", set.app().name());
    assertEquals(List.of(profiles.resolve("a.json"), profiles.resolve("b.json")),
        set.profiles().stream().map(p -> p.source().path()).toList());
    assertEquals(List.of(
        missing + ": no such file",
        profiles.resolve("c.json") + ": is a profile of app 'billing_app', not of 'orders_app'; left out of the merge",
        profiles.resolve("d.json") + ": schema version 7 is not supported (this ColdSpy reads version 1)"),
        result.errors().stream().map(Exception::getMessage).toList());
    assertEquals(List.of(profiles.resolve("a.json") + ": agent reported in cold start 1: memory sampler stopped early"),
        result.warnings());
  }

  @Test
  void expectedAppWinsOverTheMajority() throws Exception {
    Path other = editedCopy(ordersRun2(), dir, "billing.json", "\"name\": \"orders_app\"", "\"name\": \"billing_app\"");

    ProfileLoader.Result result = ProfileLoader.load(List.of(ordersRun1(), ordersRun2(), other), "billing_app");

    assertEquals(List.of(other), result.profiles().orElseThrow().profiles().stream().map(p -> p.source().path()).toList());
    assertEquals(2, result.errors().size());
  }

  @Test
  void nothingUsableGivesNoSet() {
    ProfileLoader.Result result = ProfileLoader.load(List.of(dir.resolve("none.json")), null);

    assertTrue(result.profiles().isEmpty());
    assertEquals(1, result.errors().size());
  }
}
