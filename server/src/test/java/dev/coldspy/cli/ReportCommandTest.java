package dev.coldspy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code coldspy report}: the page written for a fixture, its embedded data, and bad input. */
class ReportCommandTest {
  private static final Path FIXTURES = Path.of("../fixtures").toAbsolutePath().normalize();
  private static final Pattern DATA =
      Pattern.compile("<script id=\"coldspy-data\" type=\"application/json\">(.*?)</script>", Pattern.DOTALL);

  @TempDir Path dir;

  private record Run(int status, String out, String err) {}

  private static Run report(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] command = new String[args.length + 1];
    command[0] = "report";
    System.arraycopy(args, 0, command, 1, args.length);
    int status = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), command);
    return new Run(status, out.toString(), err.toString());
  }

  private static JsonNode embeddedData(String page) throws Exception {
    Matcher matcher = DATA.matcher(page);
    assertTrue(matcher.find(), "the page embeds its data");
    return new ObjectMapper().readTree(matcher.group(1));
  }

  @Test
  void aFixtureReportIsOneSelfContainedPageWithTheRankedStatementsAndTheCallTree() throws Exception {
    Path output = dir.resolve("out/report.html");
    Run run = report("--profile", FIXTURES.resolve("profiles/rules_engine.json").toString(),
        FIXTURES.resolve("apps/rules_engine").toString(), "-o", output.toString());

    assertEquals(ExitCodes.OK, run.status(), run.err());
    String page = Files.readString(output);
    assertFalse(page.contains("/*COLDSPY_"), "every placeholder is filled");
    assertFalse(Pattern.compile("(src|href)=\"https?:").matcher(page).find(), "nothing is fetched from the network");
    JsonNode data = embeddedData(page);
    JsonNode analysis = data.get("analysis").get("analyses").get(0);
    JsonNode first = analysis.get("findings").get(0);
    assertEquals(FIXTURES.resolve("apps/rules_engine/rules/cloudtrail_public_resources.py").toString(),
        first.get("file").asText(), "display paths are as the user gave them");
    assertEquals(2, first.get("line").asInt());
    assertEquals("CS102", first.get("code").asText());

    JsonNode nodes = data.get("callTree").get("nodes");
    assertTrue(nodes.size() > 1, "the call tree is embedded");
    long importSamples = 0;
    long executionSamples = 0;
    for (JsonNode node : nodes) {
      importSamples += node.get(4).asLong();
      executionSamples += node.get(5).asLong();
    }
    assertEquals(importSamples, nodes.get(0).get(2).asLong(), "the root's inclusive import count sums the self counts");
    assertEquals(executionSamples, nodes.get(0).get(3).asLong());

    JsonNode latency = data.get("latency");
    assertEquals(10, latency.get("initMs").size(), "one init time per cold start");
    assertEquals(10, latency.get("endToEndMs").size());
    for (int i = 1; i < latency.get("initMs").size(); i++) {
      assertTrue(latency.get("initMs").get(i - 1).asDouble() <= latency.get("initMs").get(i).asDouble(), "sorted for the CDF");
    }
    assertFalse(data.has("before"), "no comparison unless --compare is given");
    assertTrue(data.get("modules").size() > 10);
  }

  @Test
  void compareAddsTheBeforeLatencies() throws Exception {
    Path output = dir.resolve("compare.html");
    Run run = report("--profile", FIXTURES.resolve("profiles/rules_engine.json").toString(),
        "--compare", FIXTURES.resolve("profiles/rules_engine.json").toString(),
        FIXTURES.resolve("apps/rules_engine").toString(), "-o", output.toString());

    assertEquals(ExitCodes.OK, run.status(), run.err());
    JsonNode data = embeddedData(Files.readString(output));
    assertEquals(data.get("latency"), data.get("before"), "the same profiles before and after plot the same curves");
  }

  @Test
  void theSameInputsWriteTheSameBytes() throws Exception {
    Path a = dir.resolve("a.html");
    Path b = dir.resolve("b.html");
    for (Path output : new Path[] {a, b}) {
      assertEquals(ExitCodes.OK, report("--profile", FIXTURES.resolve("profiles/pdf_report.json").toString(),
          FIXTURES.resolve("apps/pdf_report").toString(), "-o", output.toString()).status());
    }
    assertEquals(Files.readString(a), Files.readString(b));
  }

  @Test
  void aCorruptProfileIsAOneLineErrorNamingTheFile() throws Exception {
    Path broken = dir.resolve("broken.json");
    Files.writeString(broken, "{\"format\": \"coldspy-profile\", \"schemaVersion\": 1, \"agent\": ");
    Path output = dir.resolve("never.html");
    Run run = report("--profile", broken.toString(), FIXTURES.resolve("apps/rules_engine").toString(),
        "-o", output.toString());

    assertEquals(ExitCodes.ERROR, run.status());
    assertTrue(run.err().contains(broken.toString()), run.err());
    assertFalse(run.err().contains("\tat "), "no stack trace");
    assertFalse(Files.exists(output), "no half-written page");
  }

  /**
   * The usage, {@code coldspy report -o report.html} with no PATH, in a project that keeps its profiles
   * where the settings default to ({@code .coldspy/profiles/}): the app is the working directory. Run as a
   * process because the working directory of this JVM cannot be changed.
   */
  @Test
  void withoutAPathTheWorkingDirectoryIsTheAppAndItsProfilesAreFound() throws Exception {
    Path project = FixCommandTest.copyApp(dir);
    Path profiles = Files.createDirectories(project.resolve(".coldspy/profiles"));
    Files.copy(FIXTURES.resolve("profiles/rules_engine.json"), profiles.resolve("rules_engine.json"));

    Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "report", "-o", "report.html")
        .directory(project.toFile())
        .redirectErrorStream(true)
        .start();
    String output = new String(process.getInputStream().readAllBytes());
    assertEquals(ExitCodes.OK, process.waitFor(), output);

    JsonNode data = embeddedData(Files.readString(project.resolve("report.html")));
    assertEquals(project.toRealPath().toString(), Path.of(data.get("sourceRoot").asText()).toRealPath().toString());
    JsonNode first = data.get("analysis").get("analyses").get(0).get("findings").get(0);
    assertEquals("rules/cloudtrail_public_resources.py", first.get("file").asText(),
        "paths relative to the working directory, as given");
    assertEquals("CS102", first.get("code").asText());
  }

  @Test
  void aMissingOutputOptionIsAUsageError() {
    Run run = report("--profile", FIXTURES.resolve("profiles/rules_engine.json").toString(),
        FIXTURES.resolve("apps/rules_engine").toString());
    assertEquals(ExitCodes.ERROR, run.status());
    assertTrue(run.err().contains("--output"), run.err());
  }
}
