package dev.coldspy.cli;

import static dev.coldspy.cli.CheckRunner.check;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coldspy.rules.RuleCode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code coldspy check} on every fixture app with its golden profile: the lines the app's README and {@code
 * expected-findings.json} describe are reported with the described rule code, every rule included, and nothing
 * else is. {@code html_render.sampled} is a sample-only profile (no exact usage signal), and the {@code
 * .code-counters} profiles the code counters of Python 3.9-3.11 (exact per cold start, silent per invocation):
 * both must lead to the same findings. An unused part of a used
 * library (CS106) names its culprit (the expected {@code via}) in the message, the knowledge-file entry the fixture
 * names (its {@code knowledge}) in the detail, and the other unused parts the fixture names are in the statement's
 * breakdown. No line {@code expected-clean.json} lists (used by every event, used at init, library code) is
 * reported but with the codes it allows.
 */
class CheckFixtureAppsTest {
  private static final Path FIXTURES = Path.of("../fixtures").toAbsolutePath().normalize();
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode analysis(String profile) throws IOException {
    Path appDir = appDir(profile);
    CheckRunner.Run run = check("--format", "json", "--profile",
        FIXTURES.resolve("profiles").resolve(profile + ".json").toString(), appDir.toString());
    assertEquals(1, run.status(), run.err());
    return JSON.readTree(run.out()).get("analyses").get(0);
  }

  private static Path appDir(String profile) {
    return FIXTURES.resolve("apps").resolve(profile.split("\\.")[0]);
  }

  private static JsonNode expected(String profile) throws IOException {
    return JSON.readTree(appDir(profile).resolve("expected-findings.json").toFile());
  }

  private static String where(Path appDir, JsonNode finding) {
    String file = appDir.relativize(Path.of(finding.get("file").asText())).toString().replace('\\', '/');
    return file + ":" + finding.get("line").asInt() + " " + finding.get("code").asText();
  }

  @ParameterizedTest
  @ValueSource(strings = {"heart_rate", "delivery_zones", "fraud_scoring", "shipping_quote", "pdf_report"})
  void anUnusedPartOfAUsedLibraryIsInTheTopThreeAndNamesItsCulprit(String profile) throws Exception {
    JsonNode findings = analysis(profile).get("findings");
    for (JsonNode wanted : expected(profile)) {
      if (!wanted.get("code").asText().equals(RuleCode.UNUSED_PART.code())) {
        continue;
      }
      String line = wanted.get("file").asText() + ":" + wanted.get("line").asInt() + " " + RuleCode.UNUSED_PART.code();
      JsonNode found = null;
      for (int rank = 0; rank < Math.min(3, findings.size()) && found == null; rank++) {
        if (where(appDir(profile), findings.get(rank)).equals(line)) {
          found = findings.get(rank);
        }
      }
      assertTrue(found != null, line + " not in the top 3 of " + findings);
      String message = found.get("message").asText();
      assertTrue(message.contains(wanted.get("via").asText()), message);
      Set<String> parts = new TreeSet<>();
      found.get("unusedParts").forEach(part -> parts.add(part.get("module").asText()));
      if (wanted.has("knowledge")) {
        // the lighter way the knowledge file documents for the culprit, with its source
        String detail = found.get("detail").asText();
        assertTrue(detail.contains("known for " + wanted.get("knowledge").asText() + ": "), detail);
      }
      for (JsonNode alsoUnused : wanted.path("alsoUnused")) {
        assertTrue(parts.contains(alsoUnused.asText()), alsoUnused + " not among the unused parts " + parts);
      }
    }
  }

  /**
   * The ground truth both ways: {@code check} reports exactly the lines of {@code expected-findings.json} with
   * their codes, and nothing on a line of {@code expected-clean.json} (used by every event, used at init,
   * library code) but the codes it allows.
   */
  @ParameterizedTest
  @ValueSource(strings = {
      "rules_engine", "rules_engine.py312-layer311", "rules_engine.code-counters", "pdf_report",
      "pdf_report.code-counters", "html_render", "html_render.sampled",
      "data_science", "audit_forwarder", "heart_rate", "delivery_zones", "fraud_scoring", "shipping_quote"})
  void theFindingsAreTheExpectedOnesAndNoCleanLineIsReported(String profile) throws Exception {
    Set<String> expected = new TreeSet<>();
    for (JsonNode finding : expected(profile)) {
      expected.add(finding.get("file").asText() + ":" + finding.get("line").asInt() + " "
          + finding.get("code").asText());
    }
    Set<String> reported = new TreeSet<>();
    for (JsonNode finding : analysis(profile).get("findings")) {
      reported.add(where(appDir(profile), finding));
    }
    assertEquals(expected, reported);
    for (JsonNode clean : JSON.readTree(appDir(profile).resolve("expected-clean.json").toFile())) {
      String line = clean.get("file").asText() + ":" + clean.get("line").asInt() + " ";
      Set<String> allowed = new TreeSet<>();
      clean.path("allow").forEach(code -> allowed.add(line + code.asText()));
      for (String finding : reported) {
        assertTrue(!finding.startsWith(line) || allowed.contains(finding),
            finding + " is on a line expected-clean.json lists: " + clean.get("why").asText());
      }
    }
  }
}
