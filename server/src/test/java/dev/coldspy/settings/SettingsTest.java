package dev.coldspy.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coldspy.rules.RuleCode;
import dev.coldspy.rules.Severity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {
  @TempDir Path project;

  @Test
  void readsToolColdspyFromTheNearestPyproject() throws Exception {
    Path pyproject = write("pyproject.toml", """
        [project]
        name = "orders"

        [tool.coldspy]
        profiles = ["profiles/", "/abs/extra.json"]
        min-ms = 2.5
        warning-ms = 10
        error-ms = 50
        fail-on = "error"
        ignore-modules = ["boto3"]
        ignore = ["CS105"]
        target-python = "3.15"
        budget-ms = 300
        rarely-used-fraction = 0.25
        app = "orders"
        side-effect-modules = ["orders.plugins"]
        """);
    Path handler = write("src/orders/handler.py", "import json\n");

    SettingsLoader.Loaded loaded = SettingsLoader.forPath(handler);

    assertEquals(Optional.of(pyproject), loaded.file());
    assertEquals(List.of(), loaded.warnings());
    Settings settings = loaded.settings();
    assertEquals(List.of(project.resolve("profiles/"), Path.of("/abs/extra.json")), settings.profilePaths());
    assertEquals(2.5, settings.minMs());
    assertEquals(Severity.ERROR, settings.failOn());
    assertEquals(Set.of(RuleCode.TYPING_ONLY), settings.ignoredRules());
    assertEquals("3.15", settings.targetPython());
    assertEquals(300.0, settings.budgetMs());
    assertEquals(0.25, settings.rarelyUsedFraction());
    assertEquals("orders", settings.app());
    assertEquals(List.of("orders.plugins"), settings.sideEffectModules());
    assertTrue(settings.isIgnoredModule("boto3.session"));
    assertFalse(settings.isIgnoredModule("boto3x"));
    assertEquals(Severity.WARNING, settings.severityFor(12));
    assertEquals(Severity.ERROR, settings.severityFor(50));
    assertEquals(Severity.INFO, settings.severityFor(9.9));
  }

  @Test
  void withoutAnyConfigurationTheDefaultsApplyRelativeToTheProjectRoot() throws Exception {
    write("pyproject.toml", "[project]\nname = \"x\"\n");
    Path handler = write("app/handler.py", "");

    SettingsLoader.Loaded loaded = SettingsLoader.forPath(handler);

    assertEquals(Optional.empty(), loaded.file());
    assertEquals(List.of(project.resolve(".coldspy/profiles/")), loaded.settings().profilePaths());
    assertEquals(Settings.DEFAULTS.minMs(), loaded.settings().minMs());
    assertEquals(Severity.WARNING, loaded.settings().failOn());
  }

  @Test
  void aNestedProjectWithoutColdspySettingsInheritsTheOuterOnes() throws Exception {
    write("pyproject.toml", "[tool.coldspy]\nmin-ms = 7\n");
    write("services/orders/pyproject.toml", "[project]\nname = \"orders\"\n");

    Settings settings = SettingsLoader.forPath(project.resolve("services/orders")).settings();

    assertEquals(7.0, settings.minMs());
  }

  @Test
  void unknownKeysAndWrongTypesAreWarningsNamingFileLineAndKey() throws Exception {
    Path pyproject = write("pyproject.toml", """
        [tool.coldspy]
        min_ms = 3
        warning-ms = "high"
        target-python = "python3"
        ignore = ["CS999"]
        colour = true
        rarely-used-fraction = 1.5
        """);

    SettingsLoader.Loaded loaded = SettingsLoader.forPath(project);

    assertEquals(3.0, loaded.settings().minMs(), "snake_case is the same key");
    assertEquals(Settings.DEFAULTS.warningMs(), loaded.settings().warningMs());
    assertEquals(List.of(
        pyproject + ":6: [tool.coldspy]: unknown setting 'colour' (ignored; known: app, budget-ms, error-ms, fail-on,"
            + " ignore, ignore-modules, min-ms, profiles, rarely-used-fraction, side-effect-modules, target-python,"
            + " vendored, warning-ms)",
        pyproject + ":5: [tool.coldspy]: 'ignore' names an unknown rule code 'CS999' (ignored)",
        pyproject + ":7: [tool.coldspy]: 'rarely-used-fraction' must be above 0 and at most 1, found the number 1.5"
            + " (ignored)",
        pyproject + ":4: [tool.coldspy]: 'target-python' must be a Python version such as \"3.11\", found a string"
            + " (\"python3\") (ignored)",
        pyproject + ":3: [tool.coldspy]: 'warning-ms' must be a number, found a string (\"high\") (ignored)"),
        loaded.warnings());
  }

  @Test
  void brokenTomlGivesAWarningAndTheDefaults() throws Exception {
    Path pyproject = write("pyproject.toml", "[tool.coldspy]\nmin-ms = = 3\n");

    SettingsLoader.Loaded loaded = SettingsLoader.forPath(project);

    assertEquals(Settings.DEFAULTS.minMs(), loaded.settings().minMs());
    assertEquals(1, loaded.warnings().size());
    assertTrue(loaded.warnings().get(0).startsWith(pyproject + ":2:"), loaded.warnings().get(0));
    assertTrue(loaded.warnings().get(0).endsWith("; using default settings"), loaded.warnings().get(0));
  }

  @Test
  void overridesFromAnLspClientOrTheCommandLineApplyOnTop() throws Exception {
    write("pyproject.toml", "[tool.coldspy]\nmin-ms = 7\nignore-modules = [\"boto3\"]\n");
    Settings fromFile = SettingsLoader.forPath(project).settings();

    SettingsParser.Result result = SettingsParser.apply(fromFile,
        Map.of("minMs", 0.5, "targetPython", "3.12", "budgetMs", -1), "LSP settings");

    assertEquals(0.5, result.settings().minMs());
    assertEquals("3.12", result.settings().targetPython());
    assertEquals(List.of("boto3"), result.settings().ignoredModules(), "keys not overridden are kept");
    assertEquals(project, result.settings().baseDirectory());
    assertEquals(List.of("LSP settings: 'budgetMs' must be above 0, found the number -1 (ignored)"), result.warnings());
    assertEquals(7.0, fromFile.minMs(), "the original settings are unchanged");
  }

  @Test
  void failOnComparesSeverities() {
    Settings settings = SettingsParser.apply(Settings.DEFAULTS, Map.of("fail-on", "info"), "test").settings();

    assertTrue(settings.failsCheck(Severity.ERROR));
    assertTrue(settings.failsCheck(Severity.INFO));
    assertFalse(settings.failsCheck(Severity.HINT));
  }

  private Path write(String relative, String text) throws Exception {
    Path file = project.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    return file;
  }
}
