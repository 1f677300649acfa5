package dev.coldspy.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading a set of profiles when some of them are hostile, and in an untrusted workspace: each bad file is one
 * error, the good profiles still load, and nothing outside an untrusted workspace is read or shown.
 */
class ProfileLoaderLimitsTest {
  @TempDir Path dir;

  @Test
  void everyHostileProfileIsOneErrorAndTheGoodOnesStillLoad() throws Exception {
    Path profiles = Files.createDirectory(dir.resolve("profiles"));
    Files.copy(TestProfiles.ordersRun1(), profiles.resolve("orders_app-run1.json"));
    Files.write(profiles.resolve("orders_app-cycle.pkl"), HostileProfiles.selfContainingCallTree());
    Files.write(profiles.resolve("orders_app-key.pkl"), HostileProfiles.selfContainingKey());
    Files.write(profiles.resolve("orders_app-long.pkl"), HostileProfiles.textLong(5_000_000));

    ProfileLoader.Result result =
        ProfileLoader.load(List.of(profiles, Path.of("/dev/zero")), "orders_app");

    assertEquals(1, result.profiles().orElseThrow().profiles().size());
    assertEquals(List.of("/dev/zero", profiles + "/orders_app-cycle.pkl", profiles + "/orders_app-key.pkl",
        profiles + "/orders_app-long.pkl"), result.errors().stream().map(e -> e.file().toString()).toList());
    result.errors().forEach(e -> assertEquals(1, e.getMessage().lines().count(), e.getMessage()));
  }

  @Test
  void absurdSampleCountsMergeWithoutOverflow() throws Exception {
    for (String copy : List.of("orders_app-a.json", "orders_app-b.json")) {
      TestProfiles.editedCopy(TestProfiles.ordersRun1(), dir, copy, "[2, 2, 140, 0]", "[2, 2, 2147483647, 0]");
    }

    ProfileLoader.Result result = ProfileLoader.load(List.of(dir), null);

    assertTrue(result.errors().isEmpty(), result.errors().toString());
    CallTree merged = result.profiles().orElseThrow().callTree();
    int saturated = merged.firstChildOf(merged.firstChildOf(merged.firstChildOf(0)));
    assertEquals(Integer.MAX_VALUE, merged.importSelf(saturated));
    assertTrue(merged.totalImportSamples() > Integer.MAX_VALUE, "inclusive counts are longs");
  }

  @Test
  void anUntrustedWorkspaceReadsOnlyInsideItAndNamesNothingOutside() throws Exception {
    Path workspace = Files.createDirectory(dir.resolve("workspace"));
    Path outside = Files.createDirectory(dir.resolve("secret-place"));
    Files.copy(TestProfiles.ordersRun1(), outside.resolve("orders_app-run1.json"));
    Path inside = Files.createDirectory(workspace.resolve("profiles"));
    Files.copy(TestProfiles.ordersRun2(), inside.resolve("orders_app-run2.json"));
    Path link = Files.createSymbolicLink(inside.resolve("orders_app-linked.json"),
        outside.resolve("orders_app-run1.json"));

    ProfileLoader.Result result = ProfileLoader.loadWithin(workspace,
        List.of(inside, outside, workspace.resolve("../secret-place/orders_app-run1.json")), null);

    assertEquals(1, result.profiles().orElseThrow().profiles().size(), "only the profile inside was read");
    List<String> messages = result.errors().stream().map(ProfileFormatException::getMessage).toList();
    String refused = workspace + ": a profiles location outside the workspace was not read: an untrusted"
        + " workspace reads profiles only inside it";
    assertEquals(List.of(refused, refused, link + ": links to a file outside the workspace, not read: an untrusted"
        + " workspace reads profiles only inside it"), messages);
    assertTrue(messages.stream().noneMatch(m -> m.contains("secret-place")), messages.toString());
  }

  @Test
  void aTrustedLoadFollowsTheSameLinks() throws Exception {
    Path outside = Files.createDirectory(dir.resolve("elsewhere"));
    Files.copy(TestProfiles.ordersRun1(), outside.resolve("orders_app-run1.json"));
    Path link = Files.createSymbolicLink(dir.resolve("orders_app-linked.json"), outside.resolve("orders_app-run1.json"));

    ProfileLoader.Result result = ProfileLoader.load(List.of(link), null);

    assertTrue(result.errors().isEmpty(), result.errors().toString());
    assertFalse(result.profiles().isEmpty());
  }
}
