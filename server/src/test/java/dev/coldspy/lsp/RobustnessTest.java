package dev.coldspy.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.DidChangeConfigurationParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.MessageType;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.TextDocumentItem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input of every kind: a logged problem, a message where the user must act, never a dead server. */
class RobustnessTest {
  @TempDir Path root;

  private static final String HANDLER = "import json\nimport acme_analytics\n\n\ndef handler(event, context):\n    return 1\n";

  private TestProject project() {
    return new TestProject(root).file("handler.py", HANDLER)
        .module("json", 2, "handler.py", 1).module("acme_analytics", 800, "handler.py", 2).usedIn("json", 40);
  }

  private static void open(ServerConnection connection, String uri, String languageId, String text) {
    connection.server.getTextDocumentService()
        .didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(uri, languageId, 1, text)));
  }

  @Test
  void aMalformedProfileIsReportedByNameAndTheGoodOnesStillLoad() throws Exception {
    project().load();
    Files.writeString(root.resolve(".coldspy/profiles/broken.json"), "{\"format\": \"coldspy-profile\", \"sche");
    try (ServerConnection connection = new ServerConnection()) {
      connection.initialize(root, null);

      assertEquals("CS101", connection.client.awaitDiagnostics(root.resolve("handler.py").toUri().toString(),
          p -> !p.getDiagnostics().isEmpty()).getDiagnostics().get(0).getCode().getLeft());
      Await.until("a message naming broken.json", () -> connection.client.shownMessages.stream()
          .anyMatch(m -> m.getType() == MessageType.Warning && m.getMessage().contains("broken.json")));
    }
  }

  @Test
  void aHostileProfileBesideAGoodOneIsReportedOnceAndTheGoodOneKeepsWorking() throws Exception {
    project().load();
    // A pickle that declares a 2 GB string in 9 bytes.
    Files.write(root.resolve(".coldspy/profiles/hostile.pkl"),
        new byte[] {(byte) 0x80, 2, 'X', (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, 'a', 'b'});
    try (ServerConnection connection = new ServerConnection()) {
      connection.initialize(root, null);
      String handler = root.resolve("handler.py").toUri().toString();
      connection.client.awaitDiagnostics(handler, p -> !p.getDiagnostics().isEmpty());
      connection.server.getWorkspaceService()
          .didChangeConfiguration(new DidChangeConfigurationParams(new com.google.gson.JsonObject()));
      Await.until("the reload's log", () -> connection.client.logMessages.stream()
          .filter(m -> m.getMessage().contains("hostile.pkl")).count() >= 2 ? true : null);

      assertEquals("CS101", connection.client.awaitDiagnostics(handler, p -> !p.getDiagnostics().isEmpty())
          .getDiagnostics().get(0).getCode().getLeft());
      assertEquals(1, connection.client.shownMessages.stream()
          .filter(m -> m.getMessage().contains("hostile.pkl")).count(), connection.client.shownMessages.toString());
    }
  }

  @Test
  void anUntrustedWorkspaceReadsNoProfileOutsideItAndNamesNone(@TempDir Path elsewhere) throws Exception {
    project().load();
    Path outside = elsewhere.resolve("team-profiles");
    Files.createDirectories(outside);
    Files.move(root.resolve(".coldspy/profiles/app.json"), outside.resolve("app.json"));
    for (boolean trusted : List.of(false, true)) {
      try (ServerConnection connection = new ServerConnection()) {
        connection.client.configuration.put("profiles", List.of(outside.toString()));
        connection.initialize(root, null, java.util.Map.of("workspaceTrusted", trusted));
        String handler = root.resolve("handler.py").toUri().toString();
        open(connection, handler, "python", HANDLER);

        PublishDiagnosticsParams published = connection.client.awaitDiagnostics(handler,
            p -> Integer.valueOf(1).equals(p.getVersion()) && (!trusted || !p.getDiagnostics().isEmpty()));

        assertEquals(trusted, !published.getDiagnostics().isEmpty());
        if (!trusted) {
          Await.until("the warning", () -> connection.client.shownMessages.stream()
              .anyMatch(m -> m.getMessage().contains("outside the workspace")) ? true : null);
          String everything = connection.client.shownMessages + " " + connection.client.logMessages + " "
              + connection.client.registrations;
          assertFalse(everything.contains(elsewhere.toString()), everything);
        }
      }
    }
  }

  @Test
  void aProfiledFileThatIsNotUtf8IsAnalysedWithItsBadBytesReplaced() throws Exception {
    project().file("helpers.py", "").module("acme_legacy", 500, "helpers.py", 1).load();
    byte[] latin1 = "import acme_legacy\nx = \"caf\u00e9\"\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    Files.write(root.resolve("helpers.py"), latin1);
    try (ServerConnection connection = new ServerConnection()) {
      connection.initialize(root, null);

      assertEquals("CS101", connection.client.awaitDiagnostics(root.resolve("helpers.py").toUri().toString(),
          p -> !p.getDiagnostics().isEmpty()).getDiagnostics().get(0).getCode().getLeft());
    }
  }

  @Test
  void notPythonHugeAndUntitledDocumentsGetNoFindingsAndNoCrash() throws Exception {
    project().load();
    try (ServerConnection connection = new ServerConnection()) {
      connection.initialize(root, null);
      String notes = root.resolve("notes.md").toUri().toString();
      String huge = root.resolve("generated.py").toUri().toString();
      String untitled = "untitled:Untitled-1";
      open(connection, notes, "markdown", "# import acme_analytics\n");
      open(connection, huge, "python", "import acme_analytics\n" + "x = 1\n".repeat(350_000));
      open(connection, untitled, "python", HANDLER);

      for (String uri : List.of(notes, huge, untitled)) {
        assertEquals(List.of(), connection.client.awaitDiagnostics(uri, p -> true).getDiagnostics());
        assertNull(connection.server.getTextDocumentService()
            .hover(new HoverParams(new TextDocumentIdentifier(uri), new Position(0, 3))).get(30, TimeUnit.SECONDS));
      }
    }
  }

  @Test
  void outOfRangePositionsOnAnOpenDocumentAnswerNothing() throws Exception {
    project().load();
    try (ServerConnection connection = new ServerConnection()) {
      connection.initialize(root, null);
      String uri = root.resolve("handler.py").toUri().toString();
      open(connection, uri, "python", HANDLER);
      connection.client.awaitDiagnostics(uri, p -> Integer.valueOf(1).equals(p.getVersion()));

      for (Position position : List.of(new Position(500, 0), new Position(1, 9999), new Position(-3, -1))) {
        var hover = connection.server.getTextDocumentService()
            .hover(new HoverParams(new TextDocumentIdentifier(uri), position)).get(30, TimeUnit.SECONDS);
        assertTrue(hover == null || position.getLine() == 1, "hover at " + position);
      }
    }
  }
}
