package dev.coldspy.cli;

import static dev.coldspy.cli.CheckRunner.check;
import static dev.coldspy.cli.CheckRunner.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code coldspy check} on the profiles the original ColdSpy research profiler wrote (one cold start each,
 * sampled every 100 ms, recorded under /var/task): the handlers' import lines are named with the pattern the
 * research describes, the most costly first.
 */
class CheckPickleTest {
  private static List<String> findingLines(String out) {
    return out.lines().filter(line -> line.matches(".*handler\\.py:\\d+:\\d+: CS\\d+ .*")).toList();
  }

  @Test
  void reportAppPandasIsRarelyUsedAndRichIsFeatureRedundancy() {
    String app = resource("coldspy-pkl/report_app");
    CheckRunner.Run run = check("--profile", resource("profiles/pkl/report_app-1795421666.167646.pkl"), app);
    assertEquals(1, run.status(), run.err());
    List<String> findings = findingLines(run.out());
    assertEquals(2, findings.size(), run.out());
    // One execution sample in the whole run: the message must not claim "never used".
    assertEquals(List.of(
        app + "/handler.py:4:1: CS102 pandas seen in 0/1 cold starts (sparse samples) — lazy-load saves ~304 ms",
        app + "/handler.py:5:1: CS103 rich only serves colour, tables, consoles and progress bars in a terminal"
            + " — remove it (saves ~58 ms)"), findings);
    assertTrue(run.out().contains("report_app: init 468.5 ms median"), run.out());
  }

  @Test
  void templateAppChameleonPullsInPkgResources() {
    String app = resource("coldspy-pkl/template_app");
    CheckRunner.Run run = check("--profile", resource("profiles/pkl/template_app-1795421666.838479.pkl"), app);
    assertEquals(1, run.status(), run.err());
    List<String> findings = findingLines(run.out());
    assertEquals(1, findings.size(), run.out());
    assertEquals(app + "/handler.py:2:1: CS104 chameleon loads pkg_resources — lighter: importlib.resources /"
        + " importlib.metadata (saves ~104 ms)", findings.get(0));
    // `from chameleon import PageTemplate` on line 3 found chameleon loaded: it costs nothing.
    assertTrue(findings.stream().noneMatch(line -> line.contains("handler.py:3:")), run.out());
  }
}
