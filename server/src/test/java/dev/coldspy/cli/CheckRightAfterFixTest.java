package dev.coldspy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coldspy.verify.FixtureApps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * On every fixture app with a golden profile: {@code coldspy fix --vendored}, then {@code coldspy check} with the
 * same profile, taken before the fix. What {@code fix} fixed (moved, removed, replaced, guarded, deferred inside a
 * vendored library) is no finding any more but a "fixed since profiling" note; what it could not fix is still
 * reported, unchanged; and when it says nothing remains, {@code check} passes.
 */
class CheckRightAfterFixTest {
  private static final Path PROFILES = Path.of("../fixtures/profiles").toAbsolutePath().normalize();
  private static final ObjectMapper JSON = new ObjectMapper();
  /** {@code FILE:LINE:COL: CSxxx fixed: …}, or for a vendored library's line {@code … CSxxx (PART, for FILE:LINE) fixed: …}. */
  private static final Pattern FIXED =
      Pattern.compile("^(.+?):(\\d+):(?:\\d+:)? (CS\\d+) (?:\\(.+?, for (.+):(\\d+)\\) )?fixed: ", Pattern.MULTILINE);

  static List<String> fixtureApps() throws IOException {
    try (Stream<Path> apps = Files.list(FixtureApps.APPS)) {
      return apps.map(app -> app.getFileName().toString())
          .filter(app -> Files.exists(PROFILES.resolve(app + ".json"))).sorted().toList();
    }
  }

  @ParameterizedTest
  @MethodSource("fixtureApps")
  void checkReportsNothingFixFixed(String name, @TempDir Path dir) throws IOException {
    Path app = FixtureApps.copy(name, dir.resolve(name));
    String profile = PROFILES.resolve(name + ".json").toString();
    Map<String, String> before = findings(profile, app);

    CheckRunner.Run fix = FixCommandTest.fix("--vendored", "--profile", profile, app.toString());
    JsonNode after = analysis(profile, app);
    CheckRunner.Run check = CheckRunner.check("--profile", profile, app.toString());

    List<String> fixed = new ArrayList<>();
    Matcher m = FIXED.matcher(fix.out());
    while (m.find()) {
      String at = m.group(4) != null ? m.group(4) + ":" + m.group(5) : m.group(1) + ":" + m.group(2);
      fixed.add(before.getOrDefault(at + " " + m.group(3), "?"));
    }
    List<String> left = new ArrayList<>(before.values());
    left.removeAll(fixed);
    List<String> reported = new ArrayList<>(findings(after).values());
    assertEquals(left, reported, name + ": fix said\n" + fix.out());
    if (!fixed.isEmpty()) {
      assertFalse(after.get("fixedSinceProfiling").isEmpty(), name + ": no fixed-since-profiling note");
    }
    if (fix.out().contains(" 0 remaining.") && left.stream().allMatch(finding -> finding.startsWith("CS107"))) {
      assertEquals(0, check.status(), name + ":\n" + check.out());
    }
    assertTrue(fixed.stream().noneMatch("?"::equals), name + ": a fixed finding check did not report:\n" + fix.out());
  }

  private static JsonNode analysis(String profile, Path app) throws IOException {
    return JSON.readTree(CheckRunner.check("--format", "json", "--profile", profile, app.toString()).out())
        .get("analyses").get(0);
  }

  private static Map<String, String> findings(String profile, Path app) throws IOException {
    return findings(analysis(profile, app));
  }

  /** By {@code FILE:LINE CODE}: {@code CODE MESSAGE} (lines move when fix edits a file; messages do not). */
  private static Map<String, String> findings(JsonNode analysis) {
    Map<String, String> findings = new LinkedHashMap<>();
    List<JsonNode> all = new ArrayList<>();
    analysis.get("findings").forEach(all::add);
    if (analysis.has("compile")) {
      all.add(analysis.get("compile"));
    }
    for (JsonNode finding : all) {
      findings.put(finding.get("file").asText() + ":" + finding.get("line").asInt() + " " + finding.get("code").asText(),
          finding.get("code").asText() + " " + finding.get("message").asText());
    }
    return findings;
  }
}
