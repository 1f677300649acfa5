package dev.coldspy.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coldspy.cli.Main;
import dev.coldspy.engine.Classifier;
import dev.coldspy.engine.Finding;
import dev.coldspy.project.ProjectAnalysis.AnalysedStatement;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.lsp4j.Diagnostic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code coldspy check} and the language server build the same project from the same folder (files, module
 * names, text decoding, application root) and so report the same findings: each finding as one line of file,
 * position, rule, severity, fixes and message, compared as a whole.
 */
class CommandLineAndServerAgreeTest {
  private static final Path FIXTURES = Path.of("../fixtures").toAbsolutePath().normalize();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path root;

  /** The fixture apps with a golden profile ({@code fixtures/profiles/APP.json}). */
  static List<String> fixtureApps() throws IOException {
    try (Stream<Path> apps = Files.list(FIXTURES.resolve("apps"))) {
      return apps.map(app -> app.getFileName().toString())
          .filter(app -> Files.exists(FIXTURES.resolve("profiles").resolve(app + ".json"))).sorted().toList();
    }
  }

  @ParameterizedTest
  @MethodSource("fixtureApps")
  void everyFixtureAppGetsTheSameFindingsFromBoth(String app) throws IOException {
    Path project = fixtureProject(app);

    List<String> server = serverFindings(project);

    assertTrue(!server.isEmpty(), "no findings");
    assertEquals(server, commandLineFindings(project));
  }

  /**
   * What the editor shows of each finding fits a Problems panel's line, as {@code check}'s does: one line of at
   * most {@link Classifier#MESSAGE_LIMIT} characters, the same text as {@code check} prints (CS107 included).
   */
  @ParameterizedTest
  @MethodSource("fixtureApps")
  void everyDiagnosticIsOneShortLineAsCheckPrintsIt(String app) throws IOException {
    Path project = fixtureProject(app);
    WorkspaceSetup context = WorkspaceSetup.load(List.of(project), null);
    StringWriter out = new StringWriter();
    Main.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "check", project.toString());
    int published = 0;
    for (Path file : context.profiledFiles()) {
      for (Diagnostic diagnostic : DiagnosticService.diagnostics(analyse(file, context), TestProject.NEVER_CANCELLED)) {
        String message = diagnostic.getMessage().getLeft();
        assertTrue(message.length() <= Classifier.MESSAGE_LIMIT && !message.contains("\n"),
            app + ": " + message.length() + " characters: " + message);
        String checkLine = file + ":" + (diagnostic.getRange().getStart().getLine() + 1) + ":"
            + (diagnostic.getRange().getStart().getCharacter() + 1) + ": " + diagnostic.getCode().getLeft() + " "
            + message + "\n";
        assertTrue(out.toString().contains(checkLine), checkLine + " not in\n" + out);
        published++;
      }
    }
    assertEquals(out.toString().lines().filter(line -> line.matches(".+:\\d+:\\d+: CS\\d+ .*")).count(), published,
        "check prints a finding the editor does not show:\n" + out);
  }

  private Path fixtureProject(String app) throws IOException {
    Path project = root.resolve(app);
    copyTree(FIXTURES.resolve("apps").resolve(app), project);
    Path profiles = Files.createDirectories(project.resolve(".coldspy/profiles"));
    Files.copy(FIXTURES.resolve("profiles").resolve(app + ".json"), profiles.resolve(app + ".json"));
    return project;
  }

  private static DocumentAnalysis analyse(Path file, WorkspaceSetup context) throws IOException {
    TextDocument onDisk = new TextDocument(TextDocument.uriOf(file), "python",
        new String(Files.readAllBytes(file), StandardCharsets.UTF_8), TextDocument.ON_DISK);
    return new Analyzer(new ServerLog(System.err)).analyse(onDisk, WorkspaceSnapshot.EMPTY.withSetup(context),
        TestProject.NEVER_CANCELLED);
  }

  @Test
  void aNamespacePackageAndANonUtf8FileAreAnalysedAlikeByBoth() throws IOException {
    new TestProject(root)
        .file("handler.py", "from pkg import util\nimport legacy\n\n\ndef handler(event, context):\n"
            + "    return util.go(event)\n")
        // pkg has no __init__.py: a namespace package, named pkg.util all the same
        .file("pkg/util.py", "from . import helpers\n\n\ndef go(event):\n    return helpers.run(event)\n")
        .file("pkg/helpers.py", "import acme_analytics\n\n\ndef run(event):\n    return acme_analytics.score(event)\n")
        .module("acme_analytics", 800, "pkg/helpers.py", 1)
        .file("legacy.py", "")
        .module("acme_legacy", 300, "legacy.py", 1)
        .load();
    Files.write(root.resolve("legacy.py"),
        "import acme_legacy\n# caf\u00e9 in Latin-1\n".getBytes(StandardCharsets.ISO_8859_1));

    List<String> server = serverFindings(root);

    assertEquals(List.of("legacy.py:1:1 CS101", "pkg/helpers.py:1:1 CS101"),
        server.stream().map(line -> line.substring(0, line.indexOf(" severity"))).toList());
    assertEquals(server, commandLineFindings(root));
  }

  /** What the server publishes for every profiled file, as it analyses a file nobody has open. */
  private static List<String> serverFindings(Path project) throws IOException {
    WorkspaceSetup context = WorkspaceSetup.load(List.of(project), null);
    List<String> findings = new ArrayList<>();
    for (Path file : context.profiledFiles()) {
      DocumentAnalysis analysis = analyse(file, context);
      for (AnalysedStatement statement : analysis.statements()) {
        statement.finding().ifPresent(finding -> findings.add(line(project.relativize(file), finding)));
      }
    }
    findings.sort(null);
    return findings;
  }

  private static String line(Path file, Finding finding) {
    return file.toString().replace('\\', '/') + ":" + finding.oneBasedLine() + ":" + finding.oneBasedColumn() + " "
        + finding.rule().code() + " severity=" + finding.severity().name().toLowerCase() + " fixes="
        + finding.fixes().stream().map(fix -> fix.name().toLowerCase().replace('_', '-')).toList()
        + " " + finding.message();
  }

  /** What {@code coldspy check --format json PROJECT} reports, file paths made relative to the project. */
  private static List<String> commandLineFindings(Path project) throws IOException {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Main.run(new PrintWriter(out), new PrintWriter(err), "check", "--format", "json", project.toString());
    String prefix = project + project.getFileSystem().getSeparator();
    List<String> findings = new ArrayList<>();
    for (JsonNode finding : JSON.readTree(out.toString()).get("analyses").get(0).get("findings")) {
      List<String> fixes = new ArrayList<>();
      finding.get("fixes").forEach(fix -> fixes.add(fix.asText()));
      findings.add(finding.get("file").asText().replace(prefix, "").replace('\\', '/') + ":"
          + finding.get("line").asInt() + ":" + finding.get("column").asInt() + " " + finding.get("code").asText()
          + " severity=" + finding.get("severity").asText() + " fixes=" + fixes + " "
          + finding.get("message").asText().replace(prefix, ""));
    }
    findings.sort(null);
    assertTrue(err.toString().isEmpty(), err.toString());
    return findings;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path path : walk.toList()) {
        Path target = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target);
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
