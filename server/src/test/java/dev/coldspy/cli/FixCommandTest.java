package dev.coldspy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coldspy.fix.Ruff;
import dev.coldspy.verify.FixtureApps;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code coldspy fix} on a copy of the rules_engine fixture (the thesis's StreamAlert case) with its golden
 * profile: {@code --diff} shows the lazy-loads and changes nothing; without it the files are fixed, and a
 * second run has nothing left to do.
 */
class FixCommandTest {
  private static final Path FIXTURES = Path.of("../fixtures").toAbsolutePath().normalize();
  private static final String PROFILE = FIXTURES.resolve("profiles/rules_engine.json").toString();

  static CheckRunner.Run fix(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] command = new String[args.length + 1];
    command[0] = "fix";
    System.arraycopy(args, 0, command, 1, args.length);
    int status = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), command);
    return new CheckRunner.Run(status, out.toString(), err.toString());
  }

  /**
   * fix's output without its wrapping: each continuation line (indented by four spaces) joined back to the line
   * it continues, as the line was before wrapping. For output without a diff, whose lines may start so too.
   */
  static String unwrapped(String out) {
    return out.replace("\n    ", " ");
  }

  /** A copy of the rules_engine fixture app under {@code dir} (the report test runs in one too). */
  static Path copyApp(Path dir) throws IOException {
    return copy(FIXTURES.resolve("apps/rules_engine"), dir.resolve("rules_engine"));
  }

  /** A copy of the folder {@code source} at {@code target}, without bytecode caches. */
  static Path copy(Path source, Path target) throws IOException {
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : files.filter(p -> !p.toString().contains("__pycache__")).toList()) {
        Path copy = target.resolve(source.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(copy);
        } else {
          Files.copy(file, copy);
        }
      }
    }
    return target;
  }

  @Test
  void diffShowsTheLazyLoadsAndChangesNoFile(@TempDir Path dir) throws IOException {
    Path app = copyApp(dir);
    String before = Files.readString(app.resolve("rules/cloudtrail_public_resources.py"));
    CheckRunner.Run run = fix("--diff", "--profile", PROFILE, app.toString());
    assertEquals(1, run.status(), run.err());
    assertEquals(
        """
        --- a/rules/cloudtrail_public_resources.py
        +++ b/rules/cloudtrail_public_resources.py
        @@ -1,5 +1,4 @@
         \"""Alert when resources are made public.\"""
        -from policyuniverse.policy import Policy
        \s
         from rules import rule
         from rules.helpers import get_path, load_json_field
        @@ -18,6 +17,7 @@
                 policy = load_json_field(get_path(rec, "requestParameters", "bucketPolicy"))
                 if not policy:
                     return False
        +        from policyuniverse.policy import Policy
                 policy = Policy(policy)
                 if policy.is_internet_accessible():
                     return True
        --- a/rules/helpers.py
        +++ b/rules/helpers.py
        @@ -3,9 +3,7 @@
         import ipaddress
         import json
        \s
        -import pathlib2
        \s
        -
         def get_path(record, *keys, default=None):
             \"""record['a']['b']... without KeyError/TypeError on the way.\"""
             value = record
        @@ -25,6 +23,7 @@
             \"""Check if the text matches any of the given wildcard patterns using the pathlib2 library.\"""
             if not isinstance(text, str):
                 return False
        +    import pathlib2
             return any(pathlib2.PurePath(text).match(pattern) for pattern in patterns)
        \s
        \s
        Would fix 2 findings.
        """,
        run.out());
    assertEquals(before, Files.readString(app.resolve("rules/cloudtrail_public_resources.py")));
  }

  @Test
  void fixWritesTheFilesAndASecondRunHasNothingToDo(@TempDir Path dir) throws IOException {
    Path app = copyApp(dir);
    CheckRunner.Run run = fix("--profile", PROFILE, app.toString());
    assertEquals(0, run.status(), run.out() + run.err());
    // policyuniverse is used in 1 of 10 cold starts: that one pays its import in its first request, and is told
    String outcomes = unwrapped(run.out());
    assertTrue(outcomes.contains("CS102 fixed: Lazy-load `Policy` in `cloudtrail_public_resources()`; moves ~508 ms"
        + " into the first request of 1/10 cold starts\n"), run.out());
    // pathlib2 is never used: nothing moves
    assertTrue(outcomes.contains("CS101 fixed: Lazy-load `pathlib2` in `path_matches_any()`\n"), run.out());
    String fixed = Files.readString(app.resolve("rules/cloudtrail_public_resources.py"));
    assertFalse(fixed.startsWith("from policyuniverse"), fixed);
    assertTrue(fixed.contains("        from policyuniverse.policy import Policy\n        policy = Policy(policy)"), fixed);

    CheckRunner.Run again = fix("--diff", "--profile", PROFILE, app.toString());
    assertFalse(again.out().contains("+++ "), again.out());
    assertEquals(0, again.status(), again.out());
  }

  @Test
  void fixAndCheckLeaveAStatementItsNoqaSilencesAlone(@TempDir Path dir) throws IOException {
    Path app = copyApp(dir);
    Path rule = app.resolve("rules/cloudtrail_public_resources.py");
    Path helpers = app.resolve("rules/helpers.py");
    String ruleSource = Files.readString(rule);
    String helpersSource = Files.readString(helpers);
    Files.writeString(rule, ruleSource.replace("import Policy\n", "import Policy  # noqa: CS102\n"));
    Files.writeString(helpers, helpersSource.replace("import pathlib2\n", "import pathlib2  # noqa\n"));

    CheckRunner.Run check = CheckRunner.check("--profile", PROFILE, app.toString());
    CheckRunner.Run run = fix("--profile", PROFILE, app.toString());

    assertFalse(check.out().contains("CS102") || check.out().contains("CS101"), check.out());
    assertEquals(0, run.status(), run.out() + run.err());
    assertEquals(ruleSource.replace("import Policy\n", "import Policy  # noqa: CS102\n"), Files.readString(rule));
    assertEquals(helpersSource.replace("import pathlib2\n", "import pathlib2  # noqa\n"), Files.readString(helpers));

    // another code's noqa silences nothing here
    Files.writeString(rule, ruleSource.replace("import Policy\n", "import Policy  # noqa: CS101\n"));
    assertTrue(CheckRunner.check("--profile", PROFILE, app.toString()).out().contains("CS102"));
    assertEquals(0, fix("--profile", PROFILE, app.toString()).status());
    assertFalse(Files.readString(rule).startsWith("\"\"\"Alert when resources are made public.\"\"\"\nfrom policyuniverse"),
        Files.readString(rule));
  }

  @Test
  void checkPassesRightAfterFixWithTheProfileTakenBefore(@TempDir Path dir) throws IOException {
    Path app = copyApp(dir);
    assertEquals(0, fix("--profile", PROFILE, app.toString()).status());

    CheckRunner.Run check = CheckRunner.check("--profile", PROFILE, app.toString());

    assertEquals("rules_engine: init 625.7 ms median (p90 846.3 ms) over 10 cold starts; flagged imports 0.0 ms\n"
        + "  estimated saving 0.0 ms per cold start\n"
        + "  note: 2 imports the profile saw at init no longer run there (540.1 ms): fixed since profiling —"
        + " re-profile to confirm\n"
        + "All checks passed!\n", check.out());
    assertEquals(0, check.status(), check.err());
    JsonNode json = new ObjectMapper().readTree(CheckRunner.check("--format", "json", "--profile", PROFILE,
        app.toString()).out());
    String hint = ",\"hint\":\"fixed since profiling — re-profile to confirm\"}";
    assertEquals("[{\"file\":\"" + app + "/rules/cloudtrail_public_resources.py\",\"line\":20,\"modules\":"
        + "\"policyuniverse, policyuniverse.policy\",\"costMs\":508.064" + hint
        + ",{\"file\":\"" + app + "/rules/helpers.py\",\"line\":26,\"modules\":\"pathlib2\",\"costMs\":32.05" + hint
        + "]", json.get("analyses").get(0).get("fixedSinceProfiling").toString());
  }

  @Test
  void everyFindingLeftUnfixedGetsALineWithTheReason(@TempDir Path dir) throws IOException {
    Path app = FixtureApps.copy("pdf_report", dir.resolve("pdf_report"));
    String profile = FIXTURES.resolve("profiles/pdf_report.json").toString();
    Set<String> reported = new TreeSet<>();
    for (String line : CheckRunner.check("--profile", profile, app.toString()).out().split("\n")) {
      if (line.startsWith(app.toString())) {
        reported.add(String.join(" ", List.of(line.split(" ", 3)).subList(0, 2)));
      }
    }

    CheckRunner.Run run = fix("--profile", profile, app.toString());

    Set<String> told = new TreeSet<>();
    for (String line : run.out().split("\n")) {
      if (line.contains(" fixed: ")) {
        told.add(String.join(" ", List.of(line.split(" ", 3)).subList(0, 2)));
      }
    }
    assertEquals(5, reported.size(), reported.toString());
    assertEquals(reported, told, run.out());
    // rich.console: `console = Console(...)` runs at module level
    String reasons = unwrapped(run.out());
    assertTrue(reasons.contains(app + "/handler.py:15:1: CS103 not fixed: code that runs at init (module level, or"
        + " a function it calls) uses its names, so it can be neither deferred nor removed; CloudWatch shows no"
        + " colour"), run.out());
    // rich.progress: 9 of 10 cold starts use it, so deferring it would only move its cost for the median one
    assertTrue(reasons.contains(app + "/handler.py:16:1: CS103 not fixed: `Progress` is used at line 72"), run.out());
    assertTrue(run.out().endsWith("Fixed 2 findings, 3 remaining.\n"), run.out());
    assertEquals(1, run.status());
  }

  @Test
  void modulesCompiledFromSourceAreLeftToPrecompileAndCountAsRemaining(@TempDir Path dir) throws IOException {
    // profiled by Python 3.12 with only cpython-311 bytecode in the libraries: CS107 on the handler's def
    Path app = copyApp(dir);

    CheckRunner.Run run = fix("--profile", FIXTURES.resolve("profiles/rules_engine.py312-layer311.json").toString(),
        app.toString());

    assertTrue(unwrapped(run.out()).contains(app + "/handler.py:81:1: CS107 not fixed: bytecode is fixed by `coldspy"
        + " precompile DEPLOYMENT_DIR` (it writes bytecode for the runtime's Python into the deployment), not by"
        + " editing source\n"), run.out());
    assertTrue(run.out().endsWith("Fixed 2 findings, 1 remaining.\n"), run.out());
    assertEquals(1, run.status());
  }

  @Test
  void aDeferralThatMostColdStartsWouldPayInTheirFirstRequestIsLeftToTheUser(@TempDir Path dir)
      throws IOException {
    // data_science: pandas (CS104) runs in 7 of 8 cold starts; lazy-loading it saves its ~1.4 s only in the
    // eighth, so the median cold start gains nothing. pyarrow (CS102, 1 of 8) is deferred.
    Path app = FixtureApps.copy("data_science", dir.resolve("data_science"));
    String profile = FIXTURES.resolve("profiles/data_science.json").toString();

    CheckRunner.Run run = fix("--diff", "--profile", profile, app.toString());

    String reasons = unwrapped(run.out());
    assertTrue(reasons.contains(app + "/handler.py:12:1: CS104 not fixed: deferring it would move ~"), run.out());
    assertTrue(reasons.contains(" into the first invocation of 7 of 8 cold starts (the median cold start gains"
        + " nothing); "), run.out());
    assertTrue(run.out().contains("+    import pyarrow.parquet as pq"), run.out());
    assertFalse(run.out().contains("+    import pandas as pd"), run.out());
    assertTrue(run.out().endsWith("Would fix 1 finding (1 not fixable).\n"), run.out());

    CheckRunner.Run anyway = fix("--diff", "--include-no-saving", "--profile", profile, app.toString());
    assertTrue(anyway.out().contains("+    import pandas as pd"), anyway.out());
  }

  @Test
  void diffExitsOneWhileFindingsRemainUnfixedAsTheHelpSays(@TempDir Path dir) throws IOException {
    Path app = FixtureApps.copy("html_render", dir.resolve("html_render"));

    CheckRunner.Run run = fix("--diff", "--profile", FIXTURES.resolve("profiles/html_render.json").toString(),
        app.toString());

    assertEquals(app + "/handler.py:8:1: CS104 not fixed: no mechanical rewrite is known for `chameleon`\n"
        + "Would fix 0 findings (1 not fixable).\n", unwrapped(run.out()));
    assertEquals(1, run.status());
    assertTrue(fix("--help").out().replaceAll("\\s+", " ")
        .contains("Exit status: 0 nothing left to fix, 1 findings remain unfixed or (with --diff) changes shown,"
            + " 2 bad input."));
  }

  /**
   * Every fixture app whose own imports are isort-clean stays clean after {@code fix --vendored}, on 3.11 and
   * with PEP 810 (3.15); the libraries installed into its folder are not its own code.
   */
  @ParameterizedTest(name = "{0} --target-python {1}")
  @CsvSource({
    "audit_forwarder, 3.11", "data_science, 3.11", "delivery_zones, 3.11", "fraud_scoring, 3.11",
    "heart_rate, 3.11", "html_render, 3.11", "pdf_report, 3.11", "rules_engine, 3.11", "shipping_quote, 3.11",
    "audit_forwarder, 3.15", "data_science, 3.15", "delivery_zones, 3.15", "fraud_scoring, 3.15",
    "heart_rate, 3.15", "html_render, 3.15", "pdf_report, 3.15", "rules_engine, 3.15", "shipping_quote, 3.15"
  })
  void anIsortCleanAppStaysCleanAfterFix(String name, String targetPython, @TempDir Path dir) throws IOException {
    Assumptions.assumeTrue(Ruff.available(), "ruff is not installed (scripts/setup.d/20-python.sh)");
    Path app = FixtureApps.copy(name, dir.resolve(name));
    List<String> vendored;
    try (Stream<Path> entries = Files.list(app)) {
      vendored = entries.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".dist-info"))
          .map(f -> f.substring(0, f.indexOf('-'))).toList();
    }
    Assumptions.assumeTrue(Ruff.checkImports(app, vendored).clean(), name + " is not isort-clean to begin with");

    CheckRunner.Run run = fix("--vendored", "--target-python", targetPython, "--profile",
        FIXTURES.resolve("profiles").resolve(name + ".json").toString(), app.toString());

    assertTrue(run.status() < 2, run.err());
    Ruff.Result after = Ruff.checkImports(app, vendored);
    assertEquals(0, after.status(), run.out() + after.output());
  }

  @Test
  void theSecondStatementOfALineIsFixedNotTheFirst(@TempDir Path dir) throws IOException {
    Path app = copyApp(dir);
    Path helpers = app.resolve("rules/helpers.py");
    Files.writeString(helpers, Files.readString(helpers).replace("\nimport pathlib2\n", "\nimport os; import pathlib2\n"));

    CheckRunner.Run run = fix("--diff", "--profile", PROFILE, app.toString());

    assertTrue(run.out().contains("\n-import os; import pathlib2\n+import os\n"), run.out());
    assertTrue(run.out().contains("\n+    import pathlib2\n"), run.out());
  }

  @Test
  void aMissingPathIsBadInput() {
    CheckRunner.Run run = fix("--profile", PROFILE, "no/such/app");
    assertEquals(2, run.status());
    assertEquals("coldspy: no/such/app: no such file or directory\n", run.err());
  }
}
