package dev.coldspy.cli;

import static dev.coldspy.cli.CheckRunner.check;
import static dev.coldspy.cli.CheckRunner.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The check command's contract: inputs, options, exit codes, errors. */
class CheckCommandTest {
  private static final String REPORT_PKL = "report_app-1795421666.167646.pkl";

  private static String reportProfile() {
    return resource("profiles/pkl/" + REPORT_PKL);
  }

  private static Path reportApp(Path dir) throws Exception {
    Path app = dir.resolve("report_app");
    Files.createDirectories(app);
    Files.copy(Path.of(resource("coldspy-pkl/report_app/handler.py")), app.resolve("handler.py"));
    return app;
  }

  private static void assertNoStackTrace(CheckRunner.Run run) {
    assertFalse(run.err().contains("\tat ") || run.err().contains("Exception"), run.err());
  }

  @Test
  void profilesAreFoundInTheProjectsColdspyDirectory(@TempDir Path dir) throws Exception {
    Path app = reportApp(dir);
    Path profiles = Files.createDirectories(app.resolve(".coldspy/profiles"));
    Files.copy(Path.of(reportProfile()), profiles.resolve(REPORT_PKL));
    CheckRunner.Run run = check(app.toString());
    assertEquals(1, run.status(), run.err());
    assertTrue(run.out().contains(app + "/handler.py:4:1: CS102"), run.out());
  }

  @Test
  void withoutProfilesTheCheckSaysWhereItLooked(@TempDir Path dir) throws Exception {
    Path app = reportApp(dir);
    CheckRunner.Run run = check(app.toString());
    assertEquals(2, run.status());
    assertEquals("coldspy: " + app + ": no profiles in .coldspy/profiles/: pass --profile, or record one with"
        + " 'coldspy profile'\n", run.err());
  }

  @Test
  void aMissingPathIsBadInput() {
    CheckRunner.Run run = check("--profile", reportProfile(), "no/such/app");
    assertEquals(2, run.status());
    assertEquals("coldspy: no/such/app: no such file or directory\n", run.err());
  }

  @Test
  void aCorruptProfileIsNamedAndTheGoodOnesStillLoad(@TempDir Path dir) throws Exception {
    Path app = reportApp(dir);
    Path truncated = dir.resolve("truncated.json");
    Files.writeString(truncated, "{\"format\": \"coldspy-profile\", \"schemaVersion\": 1, \"app\": {");
    CheckRunner.Run run = check("--profile", truncated.toString(), "--profile", reportProfile(), app.toString());
    assertEquals(2, run.status());
    List<String> errors = run.err().lines().toList();
    assertEquals(1, errors.size(), run.err());
    assertTrue(errors.get(0).startsWith("coldspy: " + truncated + ": "), errors.get(0));
    assertTrue(run.out().contains("CS102 pandas seen in 0/1 cold starts (sparse samples) — lazy-load saves ~304 ms"), run.out());
    assertNoStackTrace(run);
  }

  @Test
  void junkInterleavedInAnImporttimeLogIsAWarningAndItsRecordsStillCount(@TempDir Path dir) throws Exception {
    List<String> lines = new java.util.ArrayList<>(Files.readAllLines(fixtures().resolve("importtime/pdf_report.log")));
    lines.add(3, "Traceback (most recent call last): something the handler printed");
    lines.add(10, "WARNING: not an importtime record");
    Path log = Files.write(dir.resolve("pdf_report-1795420001.log"), lines);

    CheckRunner.Run run = check("--profile", log.toString(), fixtures().resolve("apps/pdf_report").toString());

    assertEquals(1, run.status(), run.err());
    assertEquals("coldspy: warning: " + log + ": skipped 2 line(s) that are not importtime records (first at"
        + " line 4)\n", run.err());
    assertTrue(run.out().contains("CS103 rich only serves colour, tables, consoles and progress bars in a terminal — remove it"), run.out());
  }

  @Test
  void aLogWithoutAnyImporttimeRecordIsAnErrorAndTheGoodProfilesStillLoad(@TempDir Path dir) throws Exception {
    Path app = reportApp(dir);
    Path junk = Files.writeString(dir.resolve("report_app-1795420002.log"), "hello\nthis is not importtime\n");

    CheckRunner.Run alone = check("--profile", junk.toString(), app.toString());
    CheckRunner.Run withAGoodOne = check("--profile", junk.toString(), "--profile", reportProfile(), app.toString());

    String error = "coldspy: " + junk + ": no '-X importtime' records found (2 lines read)\n";
    assertEquals(2, alone.status());
    assertEquals(error, alone.err());
    assertEquals("", alone.out());
    assertEquals(2, withAGoodOne.status());
    assertEquals(error, withAGoodOne.err());
    assertTrue(withAGoodOne.out().contains("CS102 pandas seen in 0/1 cold starts (sparse samples) — lazy-load saves ~304 ms"), withAGoodOne.out());
  }

  @Test
  void anUnreadableProfileIsNamed(@TempDir Path dir) throws Exception {
    Path app = reportApp(dir);
    Path locked = dir.resolve("report_app-1795420003.pkl");
    Files.copy(Path.of(reportProfile()), locked);
    Files.setPosixFilePermissions(locked, java.util.Set.of());
    // root reads files whatever their mode: then there is nothing to test.
    Assumptions.assumeFalse(Files.isReadable(locked), "running as a user who can read a mode-000 file");

    CheckRunner.Run run = check("--profile", locked.toString(), "--profile", reportProfile(), app.toString());

    assertEquals(2, run.status());
    assertEquals("coldspy: " + locked + ": permission denied\n", run.err());
    assertTrue(run.out().contains("CS102 pandas seen in 0/1 cold starts (sparse samples) — lazy-load saves ~304 ms"), run.out());
  }

  @Test
  void aProfileOfAnotherAppIsLeftOutWithOneLine(@TempDir Path dir) throws Exception {
    Path app = reportApp(dir);
    Path second = dir.resolve("report_app-1795420004.pkl");
    Path other = dir.resolve("billing-1795420005.pkl");
    Files.copy(Path.of(reportProfile()), second);
    Files.copy(Path.of(reportProfile()), other);

    CheckRunner.Run run = check("--profile", reportProfile(), "--profile", second.toString(), "--profile",
        other.toString(), app.toString());

    assertEquals(2, run.status());
    assertEquals("coldspy: " + other + ": is a profile of app 'billing', not of 'report_app'; left out of the"
        + " merge\n", run.err());
    assertTrue(run.out().contains("report_app: init 468.5 ms median (p90 468.5 ms) over 2 cold starts"), run.out());
    assertNoStackTrace(run);
  }

  @Test
  void anUnknownSchemaVersionIsRefused(@TempDir Path dir) throws Exception {
    Path app = reportApp(dir);
    Path future = dir.resolve("future.json");
    Files.writeString(future, "{\"format\": \"coldspy-profile\", \"schemaVersion\": 99}");
    CheckRunner.Run run = check("--profile", future.toString(), app.toString());
    assertEquals(2, run.status());
    assertTrue(run.err().startsWith("coldspy: " + future + ": ") && run.err().contains("99"), run.err());
    assertNoStackTrace(run);
  }

  @Test
  void badOptionsAreBadInput() {
    String app = resource("coldspy-pkl/report_app");
    CheckRunner.Run python = check("--profile", reportProfile(), "--target-python", "three", app);
    assertEquals(2, python.status());
    assertEquals("coldspy: --target-python: 'target-python' must be a Python version such as \"3.11\", found a"
        + " string (\"three\")\n", python.err());
    assertEquals(2, check("--profile", reportProfile(), "--format", "xml", app).status());
    assertEquals(2, check("--profile", reportProfile(), "--min-ms", "-1", app).status());
  }

  @Test
  void aBrokenKnowledgeFileIsNamed(@TempDir Path dir) throws Exception {
    Path knowledge = dir.resolve("knowledge.toml");
    Files.writeString(knowledge, "schema = 7\n");
    CheckRunner.Run run = check("--knowledge", knowledge.toString(), "--profile", reportProfile(),
        resource("coldspy-pkl/report_app"));
    assertEquals(2, run.status());
    assertEquals("coldspy: " + knowledge + ": 'schema' must be 1 (found 7)\n", run.err());
  }

  @Test
  void noqaOnTheImportLineSuppressesThatCode(@TempDir Path dir) throws Exception {
    Path app = reportApp(dir);
    Path handler = app.resolve("handler.py");
    Files.writeString(handler, Files.readString(handler)
        .replace("from rich.console import Console\n", "from rich.console import Console  # noqa: CS103\n"));
    CheckRunner.Run run = check("--profile", reportProfile(), app.toString());
    assertFalse(run.out().contains("CS103"), run.out());
    assertTrue(run.out().contains("CS102"), run.out());
  }

  @Test
  void settingsComeFromPyprojectAndTheCommandLineWins(@TempDir Path dir) throws Exception {
    Path app = reportApp(dir);
    Files.writeString(app.resolve("pyproject.toml"), "[tool.coldspy]\nmin-ms = 200\nignore = [\"CS110\"]\n");
    CheckRunner.Run configured = check("--profile", reportProfile(), app.toString());
    assertTrue(configured.out().contains("CS102") && !configured.out().contains("CS103"), configured.out());
    CheckRunner.Run overridden = check("--profile", reportProfile(), "--min-ms", "10", app.toString());
    assertTrue(overridden.out().contains("CS103"), overridden.out());
  }

  @Test
  void minMsAndBudgetDecideTheExitStatus() {
    String app = resource("coldspy-pkl/report_app");
    CheckRunner.Run quiet = check("--profile", reportProfile(), "--min-ms", "800", "--budget-ms", "500", app);
    assertEquals(0, quiet.status(), quiet.out());
    assertTrue(quiet.out().endsWith("All checks passed!\n"), quiet.out());

    CheckRunner.Run overBudget = check("--profile", reportProfile(), "--min-ms", "800", "--budget-ms", "300", app);
    assertEquals(1, overBudget.status());
    assertTrue(overBudget.out().contains("report_app: init 468.5 ms (median) exceeds the budget of 300.0 ms"),
        overBudget.out());
    assertFalse(overBudget.out().contains("All checks passed!"), overBudget.out());
  }

  @Test
  void jsonOutputSaysWhetherTheBudgetWasExceeded() throws Exception {
    String app = resource("coldspy-pkl/report_app");
    CheckRunner.Run overBudget = check("--format", "json", "--profile", reportProfile(), "--min-ms", "800",
        "--budget-ms", "300", app);
    assertEquals(1, overBudget.status(),
        "no finding saves 320 ms (where min-ms 800's borderline band starts): the budget alone fails the check");
    JsonNode budget = new ObjectMapper().readTree(overBudget.out()).get("analyses").get(0).get("summary")
        .get("budget");
    assertEquals(300.0, budget.get("ms").asDouble());
    assertEquals(468.5, budget.get("medianInitMs").asDouble(), 0.05);
    assertTrue(budget.get("exceeded").asBoolean());

    CheckRunner.Run within = check("--format", "json", "--profile", reportProfile(), "--min-ms", "800",
        "--budget-ms", "500", app);
    assertEquals(0, within.status());
    assertFalse(new ObjectMapper().readTree(within.out()).get("analyses").get(0).get("summary").get("budget")
        .get("exceeded").asBoolean());
    CheckRunner.Run noBudget = check("--format", "json", "--profile", reportProfile(), app);
    assertFalse(new ObjectMapper().readTree(noBudget.out()).get("analyses").get(0).get("summary").has("budget"));
  }

  private static Path fixtures() {
    return Path.of("../fixtures").toAbsolutePath().normalize();
  }

  @Test
  void anImporttimeLogGivesCostsButDoesNotGuessUsage() {
    Path fixtures = fixtures();
    CheckRunner.Run run = check("--profile", fixtures.resolve("importtime/pdf_report.log").toString(),
        fixtures.resolve("apps/pdf_report").toString());
    assertEquals(1, run.status(), run.err());
    assertTrue(run.out().contains("CS110 "), run.out());
    assertTrue(run.out().contains("note: no samples: usage unknown"), run.out());
    assertFalse(run.out().contains("CS101") || run.out().contains("CS102"), run.out());
    // Rich is feature redundancy whatever the code does with it: the knowledge file needs no samples.
    assertTrue(run.out().contains("CS103 rich only serves colour, tables, consoles and progress bars in a terminal — remove it"), run.out());
  }

  @Test
  void anImporttimeLogIsAttributedToRelativeGuardedAndInFunctionImports(@TempDir Path dir) throws Exception {
    Path app = Files.createDirectories(dir.resolve("shop_app"));
    Files.createDirectories(app.resolve("shop"));
    Files.writeString(app.resolve("handler.py"), """
        import shop
        try:
            import ujson as json
        except ImportError:
            import simplejson as json


        def handler(event, context):
            import csv
            return json.dumps(shop.price(event))
        """);
    Files.writeString(app.resolve("shop/__init__.py"), """
        from . import pricing


        def price(event):
            return pricing.total(event)
        """);
    Files.writeString(app.resolve("shop/pricing.py"), """
        import decimal


        def total(event):
            return str(decimal.Decimal(event.get("amount", "0")))
        """);
    // python -X importtime -c "import handler; handler.handler({}, None)": no trigger lines, no files; ujson
    // is not installed (a failed import prints no record); csv is imported by the handler call.
    Path log = Files.writeString(dir.resolve("shop_app.log"), """
        import time: self [us] | cumulative | imported package
        import time:       100 |        100 |   _io
        import time:       200 |        300 | site
        import time:     30000 |      30000 |       decimal
        import time:      1000 |      31000 |     shop.pricing
        import time:      2000 |      33000 |   shop
        import time:     40000 |      40000 |     simplejson.scanner
        import time:      5000 |      45000 |   simplejson
        import time:       800 |      78800 | handler
        import time:      7000 |       7000 | csv
        """);

    CheckRunner.Run run = check("--format", "json", "--min-ms", "0.5", "--profile", log.toString(), app.toString());

    assertEquals("", run.err());
    Map<String, Double> costByStatement = new TreeMap<>();
    for (JsonNode statement : new ObjectMapper().readTree(run.out()).get("analyses").get(0).get("statements")) {
      costByStatement.put(app.relativize(Path.of(statement.get("file").asText())) + ":" + statement.get("line")
          + " " + statement.get("statement").asText(), statement.get("costMs").get("median").asDouble());
    }
    assertEquals(Map.of(
        "handler.py:1 import shop", 2.0,
        "handler.py:3 import ujson as json", 0.0,
        "handler.py:5 import simplejson as json", 45.0, // with simplejson.scanner, which it imported
        "handler.py:9 import csv", 7.0,
        "shop/__init__.py:1 from . import pricing", 1.0,
        "shop/pricing.py:1 import decimal", 30.0), costByStatement);
  }

  @Test
  void jsonOutputCarriesTheEvidence() throws Exception {
    CheckRunner.Run run = check("--format", "json", "--profile", reportProfile(), resource("coldspy-pkl/report_app"));
    assertEquals(1, run.status(), run.err());
    JsonNode root = new ObjectMapper().readTree(run.out());
    assertEquals("coldspy-check", root.get("format").asText());
    JsonNode analysis = root.get("analyses").get(0);
    JsonNode pandas = analysis.get("findings").get(0);
    assertEquals("CS102", pandas.get("code").asText());
    assertEquals("rarely-used", pandas.get("pattern").asText());
    assertEquals(4, pandas.get("line").asInt());
    assertEquals("import pandas as pd", pandas.get("statement").asText());
    assertEquals(303.5, pandas.get("costMs").get("median").asDouble(), 0.05);
    assertEquals("cost 303.5 ms × 1 of 1 cold starts that do not use it", pandas.get("savingFormula").asText());
    assertFalse(pandas.get("confident").asBoolean());
    assertEquals("{\"initMs\":303.522,\"firstInvocationMs\":0.0,\"coldStartMs\":303.522}",
        pandas.get("estimate").toString());
    assertTrue(pandas.get("detail").asText().startsWith("rarely used: pandas costs 303.5 ms per cold start"),
        pandas.get("detail").asText());
    assertEquals(pandas.get("estimate").get("initMs").asDouble() + 58.4,
        analysis.get("summary").get("estimate").get("initMs").asDouble(), 0.05);
    assertEquals("pandas", pandas.get("heaviestModules").get(0).get("name").asText().split("\\.")[0]);
    assertEquals(List.of("lazy-load"), List.of(pandas.get("fixes").get(0).asText()));
    assertEquals("report_app", analysis.get("summary").get("app").asText());
  }

  @Test
  void sameInputsGiveByteIdenticalOutputWhateverTheOrder(@TempDir Path dir) throws Exception {
    Path app = reportApp(dir);
    Path copy = dir.resolve("report_app-1795421999.0.pkl");
    Files.copy(Path.of(reportProfile()), copy);
    for (String format : List.of("text", "json", "sarif")) {
      CheckRunner.Run first = check("--format", format, "--profile", reportProfile(), "--profile", copy.toString(),
          app.toString());
      CheckRunner.Run second = check("--format", format, "--profile", copy.toString(), "--profile", reportProfile(),
          app.toString());
      assertEquals(first.out(), second.out(), format);
      assertEquals(first.out(), check("--format", format, "--profile", reportProfile(), "--profile",
          copy.toString(), app.toString()).out(), format);
    }
  }
}
