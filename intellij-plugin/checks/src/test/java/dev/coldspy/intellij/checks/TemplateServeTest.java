package dev.coldspy.intellij.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import java.util.stream.Stream;
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
    Path jar = Repository.serverJar();
    String serveHelp = serveHelp(jar);
    assumeTrue(
        serveHelp.matches("(?s).*Usage: \\S+ serve\\b.*"),
        jar + " has no `serve` command yet (issue 5); `java -jar coldspy.jar serve --help` said: "
            + serveHelp.strip().replace('\n', ' '));
    Lsp4ijTemplate template = Lsp4ijTemplate.read(Repository.intellijPlugin().resolve("template"));
    Path home = installJarWhereTheTemplateExpectsIt(jar);
    Path project = fixtureProject();
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
    languageServer
        .getTextDocumentService()
        .didOpen(
            new DidOpenTextDocumentParams(
                new TextDocumentItem(
                    uri, template.languageIdOf("handler.py"), 1, Files.readString(handler, StandardCharsets.UTF_8))));

    List<ExpectedFinding> expected =
        ExpectedFinding.read(FIXTURE_APP).stream().filter(finding -> finding.file().equals("handler.py")).toList();
    List<Diagnostic> diagnostics;
    try {
      diagnostics = client.awaitDiagnostics(uri, published -> published.size() >= expected.size(), PATIENCE);
    } catch (AssertionError none) {
      throw new AssertionError(none.getMessage() + serverState(), none);
    }
    List<String> handlerLines = Files.readAllLines(handler, StandardCharsets.UTF_8);
    for (Diagnostic diagnostic : diagnostics) {
      String code = diagnostic.getCode().getLeft();
      assertTrue(code.matches("CS1\\d\\d"), "a ColdSpy rule code: " + code);
      assertFalse(diagnostic.getMessage().map(text -> text, MarkupContent::getValue).isBlank());
      String line = handlerLines.get(diagnostic.getRange().getStart().getLine());
      assertTrue(line.contains("import"), "on an import line: " + line);
    }
    for (ExpectedFinding finding : expected) {
      assertTrue(
          diagnostics.stream().anyMatch(finding::matches),
          "expected " + finding + " among the diagnostics " + diagnostics);
    }

    // The cost of each import, which LSP4IJ draws as an inlay hint at the end of the line.
    assertNotNull(initialized.getCapabilities().getInlayHintProvider(), "the server must offer inlay hints");
    List<InlayHint> hints =
        languageServer
            .getTextDocumentService()
            .inlayHint(
                new InlayHintParams(
                    new TextDocumentIdentifier(uri),
                    new Range(new Position(0, 0), new Position(handlerLines.size(), 0))))
            .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    for (ExpectedFinding finding : expected) {
      assertTrue(
          hints.stream().anyMatch(hint -> hint.getPosition().getLine() == finding.line() - 1),
          "an inlay hint on line " + finding.line() + " among " + hints);
    }

    languageServer.shutdown().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    languageServer.exit();
    assertTrue(server.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS), "the server must exit after `exit`");
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

  /** A project holding the fixture app, with its golden profile where the server looks by default. */
  private Path fixtureProject() throws IOException {
    Path app = Repository.root().resolve("fixtures/apps").resolve(FIXTURE_APP);
    Path profile = Repository.root().resolve("fixtures/profiles").resolve(FIXTURE_PROFILE);
    assertTrue(Files.isRegularFile(app.resolve("handler.py")), "fixture app missing: " + app);
    assertTrue(Files.isRegularFile(profile), "fixture profile missing: " + profile);
    Path project = work.resolve(FIXTURE_APP);
    try (Stream<Path> files = Files.walk(app)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Path copy = project.resolve(app.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(copy);
        } else {
          Files.copy(file, copy);
        }
      }
    }
    Path profiles = Files.createDirectories(project.resolve(".coldspy/profiles"));
    Files.copy(profile, profiles.resolve(FIXTURE_PROFILE));
    return project;
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
