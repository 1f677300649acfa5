package dev.coldspy.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coldspy.engine.Classifier;
import dev.coldspy.output.TerminalLines;
import dev.coldspy.verify.FixtureApps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every finding on every fixture app with a golden profile (CS107 included) has a message a Problems panel or a
 * terminal line shows whole: at most {@link Classifier#MESSAGE_LIMIT} characters, the same text in the JSON and
 * the text output, where the location comes on top of it; every other line {@code check} and {@code fix} print
 * is at most {@link TerminalLines#WIDTH} characters. The editor's diagnostics are held to the same in {@code
 * CommandLineAndServerAgreeTest}.
 */
class MessageLengthTest {
  private static final Path FIXTURES = Path.of("../fixtures").toAbsolutePath().normalize();
  /** {@code path:line:col: CODE }, the location a finding line starts with. */
  private static final Pattern FINDING_LINE = Pattern.compile("^\\S+:\\d+:\\d+: CS\\d{3} ");

  @Test
  void everyFindingOnEveryFixtureAppHasAShortMessageAndEveryOtherLineFits() throws IOException {
    List<String> apps = new ArrayList<>();
    try (Stream<Path> listed = Files.list(FIXTURES.resolve("apps"))) {
      listed.filter(app -> Files.exists(FIXTURES.resolve("profiles").resolve(app.getFileName() + ".json")))
          .map(app -> app.getFileName().toString()).sorted().forEach(apps::add);
    }
    assertTrue(apps.size() >= 5, apps.toString());
    int findings = 0;
    for (String app : apps) {
      String profile = FIXTURES.resolve("profiles").resolve(app + ".json").toString();
      String appDir = FIXTURES.resolve("apps").resolve(app).toString();
      JsonNode json = new ObjectMapper().readTree(CheckRunner.check("--format", "json", "--profile", profile, appDir).out());
      String text = CheckRunner.check("--profile", profile, appDir).out();
      List<JsonNode> all = new ArrayList<>();
      json.get("analyses").get(0).get("findings").forEach(all::add);
      if (json.get("analyses").get(0).has("compile")) {
        all.add(json.get("analyses").get(0).get("compile")); // CS107, on the handler
      }
      for (JsonNode finding : all) {
        String message = finding.get("message").asText();
        assertTrue(message.length() <= Classifier.MESSAGE_LIMIT, app + ": " + message.length() + " characters: " + message);
        assertTrue(text.contains(" " + finding.get("code").asText() + " " + message + "\n"), app + ": " + text);
        findings++;
      }
      // the summary (init, saving, compiling) and its notes, wrapped
      for (String line : text.split("\n")) {
        assertTrue(FINDING_LINE.matcher(line).find() || line.length() <= TerminalLines.WIDTH, app + ": " + line);
      }
    }
    assertTrue(findings >= 10, findings + " findings");
  }

  /**
   * fix's lines are wrapped at the width: only a location longer than the width (these tests name files by
   * absolute paths) with the first word of the reason may go beyond it. pdf_report's reasons are long (names used
   * at init, knowledge-file advice); delivery_zones names vendored library lines; rules_engine's layer profile
   * has CS107.
   */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"pdf_report, pdf_report.json", "delivery_zones, delivery_zones.json",
      "rules_engine, rules_engine.py312-layer311.json"})
  void everyLineOfFixFitsTheWidth(String app, String profile, @TempDir Path dir) throws IOException {
    Path copy = FixtureApps.copy(app, dir.resolve(app));

    CheckRunner.Run run = FixCommandTest.fix("--vendored", "--profile", FIXTURES.resolve("profiles").resolve(profile)
        .toString(), copy.toString());

    assertTrue(run.status() < 2, run.err());
    String[] lines = run.out().split("\n");
    assertTrue(lines.length >= 3, run.out());
    for (String line : lines) {
      int outcome = line.indexOf(" fixed: ");
      boolean locationAndOneWord = outcome >= 0 && !line.substring(outcome + " fixed: ".length()).contains(" ");
      assertTrue(line.length() <= TerminalLines.WIDTH || locationAndOneWord, line);
    }
    assertTrue(Arrays.stream(lines).anyMatch(l -> l.startsWith("    ")), "no reason was long enough to wrap:\n"
        + run.out());
  }
}
