package dev.coldspy.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.DidChangeConfigurationParams;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidChangeWatchedFilesParams;
import org.eclipse.lsp4j.DidCloseTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.FileChangeType;
import org.eclipse.lsp4j.FileEvent;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.InlayHint;
import org.eclipse.lsp4j.InlayHintParams;
import org.eclipse.lsp4j.MessageType;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.TextDocumentItem;
import org.eclipse.lsp4j.VersionedTextDocumentIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The workspace behaviour over a real JSON-RPC connection: discovery, live updates, reloads, settings. */
class WorkspaceProtocolTest {
  @TempDir Path root;

  private static final String HANDLER =
      """
      import json
      import acme_analytics


      def handler(event, context):
          return json.dumps(event)
      """;

  private TestProject project() {
    return new TestProject(root)
        .file("handler.py", HANDLER)
        .module("json", 2, "handler.py", 1)
        .module("acme_analytics", 800, "handler.py", 2)
        .usedIn("json", 40);
  }

  private String handlerUri() {
    return root.resolve("handler.py").toUri().toString();
  }

  private static List<String> codesAndLines(PublishDiagnosticsParams params) {
    return params.getDiagnostics().stream()
        .map(d -> d.getCode().getLeft() + "@" + d.getRange().getStart().getLine())
        .toList();
  }

  /** Once the profiles are loaded, opens the handler as version 1; returns its diagnostics. */
  private PublishDiagnosticsParams openHandler(ServerConnection connection) throws Exception {
    connection.initialize(root, null);
    connection.client.awaitDiagnostics(handlerUri(), p -> !p.getDiagnostics().isEmpty()); // profiles loaded
    connection.server.getTextDocumentService()
        .didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(handlerUri(), "python", 1, HANDLER)));
    return connection.client.awaitDiagnostics(handlerUri(), p -> Integer.valueOf(1).equals(p.getVersion()));
  }

  @Test
  void profiledFilesGetDiagnosticsWithoutBeingOpened() throws Exception {
    project().load();
    try (ServerConnection connection = new ServerConnection()) {
      connection.initialize(root, null);

      PublishDiagnosticsParams published =
          connection.client.awaitDiagnostics(handlerUri(), p -> !p.getDiagnostics().isEmpty());

      assertEquals(List.of("CS101@1"), codesAndLines(published));
      assertNull(published.getVersion());
      StatusParams status = Await.until("status", () -> connection.client.statuses.isEmpty() ? null
          : connection.client.statuses.get(connection.client.statuses.size() - 1));
      assertEquals(new StatusParams("handler.py:handler", 807.0, 800.0, 1), status);
    }
  }

  @Test
  void typingMovesTheDiagnosticsWithTheCode() throws Exception {
    project().load();
    try (ServerConnection connection = new ServerConnection()) {
      assertEquals(List.of("CS101@1"), codesAndLines(openHandler(connection)));
      var documents = connection.server.getTextDocumentService();

      // Three quick edits: only the last text is analysed, and its diagnostics carry its version.
      for (int version = 2; version <= 4; version++) {
        String text = "# edit\n".repeat(version) + HANDLER;
        documents.didChange(new DidChangeTextDocumentParams(
            new VersionedTextDocumentIdentifier(handlerUri(), version),
            List.of(new TextDocumentContentChangeEvent(text))));
      }
      PublishDiagnosticsParams latest =
          connection.client.awaitDiagnostics(handlerUri(), p -> Integer.valueOf(4).equals(p.getVersion()));
      assertEquals(List.of("CS101@5"), codesAndLines(latest));
      assertTrue(connection.client.diagnostics.stream().noneMatch(p -> Integer.valueOf(2).equals(p.getVersion())),
          "the debounced intermediate version 2 was analysed");

      List<InlayHint> hints = documents.inlayHint(new InlayHintParams(new TextDocumentIdentifier(handlerUri()),
          new Range(new Position(0, 0), new Position(20, 0)))).get(30, TimeUnit.SECONDS);
      assertEquals(List.of("⏱ 2.0 ms", "⏱ 800.0 ms"), hints.stream().map(h -> h.getLabel().getLeft()).toList());
      assertEquals(5, hints.get(1).getPosition().getLine());

      var hover = documents.hover(new HoverParams(new TextDocumentIdentifier(handlerUri()), new Position(5, 9)))
          .get(30, TimeUnit.SECONDS);
      assertTrue(hover.getContents().getRight().getValue().startsWith("**ColdSpy** · `import acme_analytics`"));

      // Closing keeps the workspace-wide diagnostics, now from the file on disk.
      documents.didClose(new DidCloseTextDocumentParams(new TextDocumentIdentifier(handlerUri())));
      assertEquals(List.of("CS101@1"),
          codesAndLines(connection.client.awaitDiagnostics(handlerUri(), p -> p.getVersion() == null)));
    }
  }

  @Test
  void aProfiledFileDeletedWhileOpenLosesItsDiagnosticsWhenClosed() throws Exception {
    project().load();
    try (ServerConnection connection = new ServerConnection()) {
      assertEquals(List.of("CS101@1"), codesAndLines(openHandler(connection)));
      var documents = connection.server.getTextDocumentService();

      Files.delete(root.resolve("handler.py"));
      documents.didClose(new DidCloseTextDocumentParams(new TextDocumentIdentifier(handlerUri())));

      // Nothing on disk to take over from the closed text: its diagnostics go.
      connection.client.awaitDiagnostics(handlerUri(), p -> p.getDiagnostics().isEmpty());
    }
  }

  @Test
  void aNewProfileRefreshesDiagnosticsAndHints() throws Exception {
    TestProject project = project();
    try (ServerConnection connection = new ServerConnection()) {
      connection.initialize(root, null);
      connection.server.getTextDocumentService()
          .didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(handlerUri(), "python", 1, HANDLER)));
      assertEquals(List.of(), codesAndLines(connection.client.awaitDiagnostics(handlerUri(), p -> true)));
      Await.until("the watcher registration", () -> !connection.client.registrations.isEmpty());

      project.load(); // writes .coldspy/profiles/app.json
      Path profile = root.resolve(".coldspy/profiles/app.json");
      assertTrue(Files.exists(profile));
      connection.server.getWorkspaceService().didChangeWatchedFiles(new DidChangeWatchedFilesParams(
          List.of(new FileEvent(profile.toUri().toString(), FileChangeType.Created))));

      assertEquals(List.of("CS101@1"), codesAndLines(
          connection.client.awaitDiagnostics(handlerUri(), p -> !p.getDiagnostics().isEmpty())));
      Await.until("an inlay hint refresh", () -> connection.client.refreshes.contains("inlayHint"));
    }
  }

  @Test
  void aReloadPublishesTheOpenDocumentBeforeTheOtherProfiledFiles() throws Exception {
    TestProject project = project();
    for (int i = 1; i <= 4; i++) {
      project.file("jobs" + i + ".py", "import acme_job" + i + "\n").module("acme_job" + i, 300, "jobs" + i + ".py", 1);
    }
    project.load();
    String opened = root.resolve("jobs3.py").toUri().toString();
    try (ServerConnection connection = new ServerConnection()) {
      connection.initialize(root, null);
      connection.server.getTextDocumentService()
          .didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(opened, "python", 1, "import acme_job3\n")));
      connection.client.awaitDiagnostics(opened, p -> Integer.valueOf(1).equals(p.getVersion()));
      Await.until("every file's diagnostics", () -> connection.client.diagnostics.stream()
          .map(PublishDiagnosticsParams::getUri).distinct().count() == 5 ? true : null);
      int before = connection.client.diagnostics.size();

      connection.server.getWorkspaceService()
          .didChangeConfiguration(new DidChangeConfigurationParams(new com.google.gson.JsonObject()));

      List<String> order = Await.until("the reload's diagnostics of every file", () -> {
        List<String> files = connection.client.diagnostics.subList(before, connection.client.diagnostics.size())
            .stream().map(p -> Path.of(java.net.URI.create(p.getUri())).getFileName().toString()).distinct().toList();
        return files.size() == 5 ? files : null;
      });
      assertEquals("jobs3.py", order.get(0), order.toString());
    }
  }

  @Test
  void settingsFromTheEditorApplyAndMistakesAreReportedOnce() throws Exception {
    project().load();
    try (ServerConnection connection = new ServerConnection()) {
      connection.client.configuration.put("minMs", 2500);
      connection.client.configuration.put("debounceMz", 10);
      connection.initialize(root, null);

      Await.until("the warning", () -> connection.client.shownMessages.stream().anyMatch(
          m -> m.getType() == MessageType.Warning && m.getMessage().contains("unknown setting 'debounceMz'")));
      // 800 ms is below the editor's minMs of 2500 and its borderline band (from 1000): nothing to report.
      assertEquals(List.of(), codesAndLines(connection.client.awaitDiagnostics(handlerUri(), p -> true)));

      connection.client.configuration.put("minMs", 10);
      connection.server.getWorkspaceService().didChangeConfiguration(new DidChangeConfigurationParams(new com.google.gson.JsonObject()));
      assertEquals(List.of("CS101@1"), codesAndLines(
          connection.client.awaitDiagnostics(handlerUri(), p -> !p.getDiagnostics().isEmpty())));
      assertEquals(1, connection.client.shownMessages.stream()
          .filter(m -> m.getMessage().contains("debounceMz")).count());
    }
  }
}
