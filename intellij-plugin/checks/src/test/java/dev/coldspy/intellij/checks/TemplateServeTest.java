package dev.coldspy.intellij.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.eclipse.lsp4j.ClientCapabilities;
import org.eclipse.lsp4j.ClientInfo;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DidChangeConfigurationParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.InlayHint;
import org.eclipse.lsp4j.InlayHintParams;
import org.eclipse.lsp4j.MarkupContent;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.PublishDiagnosticsCapabilities;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.TextDocumentClientCapabilities;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.TextDocumentItem;
import org.eclipse.lsp4j.WorkspaceClientCapabilities;
import org.eclipse.lsp4j.WorkspaceFolder;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Imports intellij-plugin/template as LSP4IJ would, runs the command it declares against the packaged
 * server, and talks to it over stdio like LSP4IJ's client: initialize, initialized, the template's
 * settings, didOpen of a fixture handler. The server must answer initialize, publish the fixture's expected
 * findings (fixtures/apps/APP/expected-findings.json) as diagnostics and give inlay hints on those lines.
 */
class TemplateServeTest {
  /** A fixture app whose golden profile has imports worth flagging (Rich progress bars in a PDF lambda). */
  private static final String FIXTURE_APP = "pdf_report";
  private static final String FIXTURE_PROFILE = "pdf_report.json";
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @TempDir Path work;
  private Process server;

  @AfterEach
  void stopServer() throws InterruptedException {
    if (server != null && server.isAlive()) {
      server.destroy();
      if (!server.waitFor(10, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
  }

  @Test
  void theTemplateDeclaresTheBundledServerForPythonFiles() throws IOException {
    Lsp4ijTemplate template = Lsp4ijTemplate.read(Repository.intellijPlugin().resolve("template"));

    assertEquals("ColdSpy", template.name());
    assertEquals("python", template.languageIdOf("handler.py"));
    assertNull(template.languageIdOf("requirements.txt"));
    assertEquals(
        List.of("java", "-jar", "/home/dev user/.coldspy/coldspy.jar", "serve"),
        template.command("unix", Map.of("USER_HOME", "/home/dev user")));
    assertEquals(
        List.of("java", "-jar", "/Users/dev/.coldspy/coldspy.jar", "serve"),
        template.command("mac", Map.of("USER_HOME", "/Users/dev")));
    assertEquals(
        List.of("java.exe", "-jar", "C:\\Users\\dev user\\.coldspy\\coldspy.jar", "serve"),
        template.command("windows", Map.of("USER_HOME", "C:\\Users\\dev user")));
  }

  @Test
  void theTemplatesCommandAnswersInitializeAndPublishesDiagnosticsForAFixture() throws Exception {
    Lsp4ijTemplate template = Lsp4ijTemplate.read(Repository.intellijPlugin().resolve("template"));
    List<ExpectedFinding> expected = expectedFindingsInHandler();

    Session session = openHandlerThroughTemplate(template, published -> published.size() >= expected.size());

    for (Diagnostic diagnostic : session.diagnostics()) {
      String code = diagnostic.getCode().getLeft();
      assertTrue(code.matches("CS1\\d\\d"), "a ColdSpy rule code: " + code);
      assertFalse(diagnostic.getMessage().map(text -> text, MarkupContent::getValue).isBlank());
      String line = session.handlerLines().get(diagnostic.getRange().getStart().getLine());
      assertTrue(line.contains("import"), "on an import line: " + line);
    }
    for (ExpectedFinding finding : expected) {
      assertTrue(
          session.diagnostics().stream().anyMatch(finding::matches),
          "expected " + finding + " among the diagnostics " + session.diagnostics());
    }
    // The cost of each import, which LSP4IJ draws as an inlay hint at the end of the line.
    assertNotNull(session.initialized().getCapabilities().getInlayHintProvider(), "the server must offer inlay hints");
    List<InlayHint> hints =
        session
            .server()
            .getTextDocumentService()
            .inlayHint(
                new InlayHintParams(
                    new TextDocumentIdentifier(session.uri()),
                    new Range(new Position(0, 0), new Position(session.handlerLines().size(), 0))))
            .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    for (ExpectedFinding finding : expected) {
      assertTrue(
          hints.stream().anyMatch(hint -> hint.getPosition().getLine() == finding.line() - 1),
          "an inlay hint on line " + finding.line() + " among " + hints);
    }
    // The plugin's gutter icons are these hints, one per line, with the label as tooltip: every hint must be on
    // an import line and say what it costs.
    for (InlayHint hint : hints) {
      String line = session.handlerLines().get(hint.getPosition().getLine());
      assertTrue(line.contains("import"), "a hint on an import line: " + line);
      String label = hint.getLabel().isLeft() ? hint.getLabel().getLeft()
          : String.join("", hint.getLabel().getRight().stream().map(part -> part.getValue()).toList());
      assertTrue(label.matches("(?s).*\\d(\\.\\d+)?\\s*(ms|s)\\b.*"), "a cost in the hint's label: " + label);
    }
    shutDown(session);
  }

  @Test
  void settingsTypedIntoLsp4ijsConfigurationTabReachTheServer() throws Exception {
    Lsp4ijTemplate imported = Lsp4ijTemplate.read(Repository.intellijPlugin().resolve("template"));
    JsonObject settings = JsonParser.parseString("{\"coldspy\": {\"ignoreModules\": [\"rich\"]}}").getAsJsonObject();
    Lsp4ijTemplate template = imported.withSettings(settings);
    List<ExpectedFinding> expected = expectedFindingsInHandler();
    List<Integer> richLines = lineNumbersImporting("rich", expected);
    List<ExpectedFinding> others = expected.stream().filter(f -> !richLines.contains(f.line())).toList();
    assertFalse(richLines.isEmpty() || others.isEmpty(), "the fixture must flag rich and something else");

    Session session =
        openHandlerThroughTemplate(
            template,
            published -> published.stream().anyMatch(d -> others.stream().anyMatch(f -> f.matches(d))));

    for (ExpectedFinding finding : others) {
      assertTrue(session.diagnostics().stream().anyMatch(finding::matches), "still reported: " + finding);
    }
    assertTrue(
        session.diagnostics().stream().noneMatch(d -> richLines.contains(d.getRange().getStart().getLine() + 1)),
        "rich is ignored by the settings, yet: " + session.diagnostics());
    shutDown(session);
  }

  /** The server after {@code didOpen} of the fixture's handler.py, with the diagnostics it published for it. */
  private record Session(
      LanguageServer server,
      InitializeResult initialized,
      String uri,
      List<String> handlerLines,
      List<Diagnostic> diagnostics) {}

  /**
   * Runs the command the template declares and talks to it as LSP4IJ's client does, up to the first
   * diagnostics for handler.py that satisfy {@code awaited}.
   */
  private Session openHandlerThroughTemplate(Lsp4ijTemplate template, Predicate<List<Diagnostic>> awaited)
      throws Exception {
    Path jar = Repository.serverJar();
    String serveHelp = serveHelp(jar);
    assertTrue(
        serveHelp.matches("(?s).*Usage: \\S+ serve\\b.*"),
        jar + " has no working `serve` command; `java -jar coldspy.jar serve --help` said: "
            + serveHelp.strip().replace('\n', ' '));
    Path home = installJarWhereTheTemplateExpectsIt(jar);
    Path project = FixtureProject.copy(FIXTURE_APP, FIXTURE_PROFILE, work);
    Path handler = project.resolve("handler.py");

    List<String> command = template.command(Map.of("USER_HOME", home.toString(), "PROJECT_DIR", project.toString()));
    server =
        new ProcessBuilder(command)
            .directory(project.toFile())
            .redirectError(work.resolve("server-stderr.log").toFile())
            .start();
    var client = new RecordingLanguageClient(template);
    Launcher<LanguageServer> launcher =
        LSPLauncher.createClientLauncher(client, server.getInputStream(), server.getOutputStream());
    launcher.startListening();
    LanguageServer languageServer = launcher.getRemoteProxy();

    InitializeResult initialized;
    try {
      initialized =
          languageServer.initialize(initializeParams(project, template)).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException noAnswer) {
      throw new AssertionError("`" + String.join(" ", command) + "` did not answer initialize" + serverState(), noAnswer);
    }
    assertNotNull(initialized.getCapabilities().getTextDocumentSync(), "the server must take open documents");
    languageServer.initialized(new InitializedParams());
    // LSP4IJ pushes a user-defined server's settings once it has started (UserDefinedLanguageClient).
    languageServer.getWorkspaceService().didChangeConfiguration(new DidChangeConfigurationParams(template.settings()));
    String uri = handler.toUri().toString();
    String text = Files.readString(handler, StandardCharsets.UTF_8);
    languageServer
        .getTextDocumentService()
        .didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(uri, template.languageIdOf("handler.py"), 1, text)));
    try {
      List<Diagnostic> diagnostics = client.awaitDiagnostics(uri, awaited, PATIENCE);
      return new Session(languageServer, initialized, uri, text.lines().toList(), diagnostics);
    } catch (AssertionError none) {
      throw new AssertionError(none.getMessage() + serverState(), none);
    }
  }

  private void shutDown(Session session) throws Exception {
    session.server().shutdown().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    session.server().exit();
    assertTrue(server.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS), "the server must exit after `exit`");
  }

  private static List<ExpectedFinding> expectedFindingsInHandler() throws IOException {
    return ExpectedFinding.read(FIXTURE_APP).stream().filter(finding -> finding.file().equals("handler.py")).toList();
  }

  /** The 1-based lines among the expected findings whose statement imports {@code module} or a submodule. */
  private static List<Integer> lineNumbersImporting(String module, List<ExpectedFinding> findings) throws IOException {
    List<String> lines = Files.readAllLines(Repository.root().resolve("fixtures/apps").resolve(FIXTURE_APP).resolve("handler.py"));
    return findings.stream()
        .map(ExpectedFinding::line)
        .filter(line -> lines.get(line - 1).matches("\\s*(from|import)\\s+" + module + "(\\.|\\s).*"))
        .toList();
  }

  /** Whether the server still runs, and what it wrote to stderr: the first thing to read when this test fails. */
  private String serverState() {
    String state = server.isAlive() ? "; the server is running" : "; the server exited with " + server.exitValue();
    try {
      return state + "; its stderr:\n" + Files.readString(work.resolve("server-stderr.log"));
    } catch (IOException unreadable) {
      return state + "; its stderr is unreadable: " + unreadable;
    }
  }

  /** What {@code coldspy.jar serve --help} prints: a usage line for {@code serve} when the command exists. */
  private String serveHelp(Path jar) throws IOException, InterruptedException {
    Path output = work.resolve("serve-help.txt");
    Process help =
        new ProcessBuilder("java", "-jar", jar.toString(), "serve", "--help")
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    if (!help.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
      help.destroyForcibly();
      throw new AssertionError("`coldspy.jar serve --help` did not finish within " + PATIENCE);
    }
    return Files.readString(output);
  }

  /** The template README tells users to copy coldspy.jar to ~/.coldspy/; here the home is a temporary one. */
  private Path installJarWhereTheTemplateExpectsIt(Path jar) throws IOException {
    Path home = work.resolve("home");
    Files.createDirectories(home.resolve(".coldspy"));
    Files.copy(jar, home.resolve(".coldspy/coldspy.jar"));
    return home;
  }

  private static InitializeParams initializeParams(Path project, Lsp4ijTemplate template) {
    var params = new InitializeParams();
    params.setProcessId((int) ProcessHandle.current().pid());
    params.setRootUri(project.toUri().toString());
    params.setWorkspaceFolders(List.of(new WorkspaceFolder(project.toUri().toString(), project.getFileName().toString())));
    params.setInitializationOptions(template.initializationOptions());
    var workspace = new WorkspaceClientCapabilities();
    workspace.setConfiguration(true);
    workspace.setWorkspaceFolders(true);
    var textDocument = new TextDocumentClientCapabilities();
    textDocument.setPublishDiagnostics(new PublishDiagnosticsCapabilities(true));
    params.setCapabilities(new ClientCapabilities(workspace, textDocument, null));
    params.setClientInfo(new ClientInfo("LSP4IJ template check"));
    return params;
  }
}
