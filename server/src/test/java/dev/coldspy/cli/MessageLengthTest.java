package dev.coldspy.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coldspy.engine.Classifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every finding on every fixture app with a golden profile (CS107 included) has a message a Problems panel or a
 * terminal line shows whole: at most {@link Classifier#MESSAGE_LIMIT} characters, the same text in the JSON and
 * the text output. The editor's diagnostics are held to the same in {@code CommandLineAndServerAgreeTest}.
 */
class MessageLengthTest {
  private static final Path FIXTURES = Path.of("../fixtures").toAbsolutePath().normalize();

  @Test
  void everyFindingOnEveryFixtureAppHasAShortMessage() throws IOException {
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
    }
    assertTrue(findings >= 10, findings + " findings");
  }
}
