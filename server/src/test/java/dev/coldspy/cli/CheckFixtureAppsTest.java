package dev.coldspy.cli;

import static dev.coldspy.cli.CheckRunner.check;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coldspy.rules.RuleCode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code coldspy check} on every fixture app with its golden profile: the import lines the app's README and
 * {@code expected-findings.json} describe are reported with the described rule code, and they are ranked
 * first (no other finding outranks them). {@code html_render.sampled} is a sample-only profile (no exact usage
 * signal, as inside Lambda on Python 3.11), which must lead to the same findings.
 */
class CheckFixtureAppsTest {
  private static final Path FIXTURES = Path.of("../fixtures").toAbsolutePath().normalize();
  private static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest
  @ValueSource(strings = {
      "rules_engine", "pdf_report", "html_render", "html_render.sampled", "data_science", "audit_forwarder"})
  void describedImportLinesAreReportedWithTheirPatternRankedFirst(String profile) throws Exception {
    Path appDir = FIXTURES.resolve("apps").resolve(profile.split("\\.")[0]);
    CheckRunner.Run run = check("--format", "json", "--profile",
        FIXTURES.resolve("profiles").resolve(profile + ".json").toString(), appDir.toString());
    assertEquals(1, run.status(), run.err());

    Set<String> expected = new TreeSet<>();
    for (JsonNode finding : JSON.readTree(appDir.resolve("expected-findings.json").toFile())) {
      expected.add(finding.get("file").asText() + ":" + finding.get("line").asInt() + " "
          + finding.get("code").asText());
    }
    // The fixtures describe waste on their import lines; waste inside the libraries they use (CS106, an unused
    // part of a used library) is reported besides and may rank among it.
    List<String> reported = new ArrayList<>();
    for (JsonNode finding : JSON.readTree(run.out()).get("analyses").get(0).get("findings")) {
      if (finding.get("code").asText().equals(RuleCode.UNUSED_PART.code())) {
        continue;
      }
      String file = appDir.relativize(Path.of(finding.get("file").asText())).toString().replace('\\', '/');
      reported.add(file + ":" + finding.get("line").asInt() + " " + finding.get("code").asText());
    }
    assertTrue(reported.size() >= expected.size(), "reported " + reported + ", expected " + expected);
    assertEquals(expected, new TreeSet<>(reported.subList(0, expected.size())), "all reported: " + reported);
  }
}
