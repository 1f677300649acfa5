package dev.coldspy.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.lsp4j.InlayHintParams;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.ServerCapabilities;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.junit.jupiter.api.Test;

/** The server's lifecycle and robustness, over a real JSON-RPC connection. */
class ProtocolTest {

  @Test
  void initializeAnnouncesColdSpysFeatures() throws Exception {
    try (ServerConnection connection = new ServerConnection()) {
      InitializeResult result = connection.initialize(null, null);
      ServerCapabilities capabilities = result.getCapabilities();
      assertEquals("coldspy", result.getServerInfo().getName());
      assertTrue(capabilities.getHoverProvider().getLeft());
      assertTrue(capabilities.getCodeActionProvider().getRight().getResolveProvider());
      assertEquals(List.of("quickfix"), capabilities.getCodeActionProvider().getRight().getCodeActionKinds());
      assertEquals(List.of("coldspy.profile", "coldspy.verify"), capabilities.getExecuteCommandProvider().getCommands());
      assertTrue(capabilities.getInlayHintProvider() != null);
      assertTrue(capabilities.getCodeLensProvider() != null);
    }
  }

  @Test
  void shutdownThenExitEndsWithStatusZero() throws Exception {
    try (ServerConnection connection = new ServerConnection()) {
      connection.initialize(null, null);
      connection.server.shutdown().get(30, TimeUnit.SECONDS);
      connection.server.exit();
      Await.until("exit status", () -> connection.exitStatus.get() == 0);
    }
  }

  @Test
  void exitWithoutShutdownEndsWithStatusOne() throws Exception {
    try (ServerConnection connection = new ServerConnection()) {
      connection.initialize(null, null);
      connection.server.exit();
      Await.until("exit status", () -> connection.exitStatus.get() == 1);
    }
  }

  @Test
  void exitsWhenTheEditorProcessDies() throws Exception {
    Process editor = new ProcessBuilder("sleep", "60").start();
    try (ServerConnection connection = new ServerConnection()) {
      connection.initialize(null, (int) editor.pid());
      editor.destroy();
      editor.waitFor(5, TimeUnit.SECONDS);
      Await.until("exit after the parent died", () -> connection.exitStatus.get() == 1);
    } finally {
      editor.destroyForcibly();
    }
  }

  @Test
  void closedInputEndsTheServer() throws Exception {
    try (ServerConnection connection = new ServerConnection()) {
      connection.initialize(null, null);
      assertEquals(1, connection.closeInput());
    }
  }

  @Test
  void survivesGarbageOnTheWire() throws Exception {
    try (ServerConnection connection = new ServerConnection()) {
      connection.initialize(null, null);
      connection.sendRaw("Content-Length: 11\r\n\r\n{not json!}");
      connection.sendRaw(frame("{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":42}"));
      connection.sendRaw(
          frame("{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didChange\",\"params\":{\"textDocument\":{}}}"));
      connection.sendRaw(frame("{\"jsonrpc\":\"2.0\",\"id\":99,\"method\":\"textDocument/hover\",\"params\":[1,2]}"));
      connection.sendRaw(frame("{\"jsonrpc\":\"2.0\",\"method\":\"no/such/method\",\"params\":{}}"));
      connection.sendRaw(frame("\u00ff\u00fe binary \u0000"));

      // Still answering: a hover on a document that is not open is an empty answer, not an error.
      HoverParams hover =
          new HoverParams(new TextDocumentIdentifier("file:///nowhere/app.py"), new Position(0, 0));
      assertNull(connection.server.getTextDocumentService().hover(hover).get(30, TimeUnit.SECONDS));
      assertTrue(connection.isServing());
    }
  }

  @Test
  void aFrameWithAMalformedContentLengthIsLoggedAndTheNextRequestIsServed() throws Exception {
    try (ServerConnection connection = new ServerConnection()) {
      connection.initialize(null, null);
      String hoverJson = "{\"jsonrpc\":\"2.0\",\"id\":77,\"method\":\"textDocument/hover\",\"params\":"
          + "{\"textDocument\":{\"uri\":\"file:///nowhere/a.py\"},\"position\":{\"line\":0,\"character\":0}}}";
      connection.sendRaw("Content-Length: abc\r\n\r\n" + hoverJson);

      HoverParams hover =
          new HoverParams(new TextDocumentIdentifier("file:///nowhere/app.py"), new Position(0, 0));
      assertNull(connection.server.getTextDocumentService().hover(hover).get(30, TimeUnit.SECONDS));
      assertNull(connection.server.getTextDocumentService().hover(hover).get(30, TimeUnit.SECONDS));
      Await.until("the malformed frame in the log", () -> connection.client.logMessages.stream()
          .anyMatch(m -> m.getMessage().contains("Content-Length")) ? true : null);
    }
  }

  @Test
  void requestsForClosedDocumentsAnswerEmpty() throws Exception {
    try (ServerConnection connection = new ServerConnection()) {
      connection.initialize(null, null);
      InlayHintParams hints =
          new InlayHintParams(
              new TextDocumentIdentifier("file:///closed.py"),
              new Range(new Position(0, 0), new Position(99, 0)));
      assertEquals(
          List.of(), connection.server.getTextDocumentService().inlayHint(hints).get(30, TimeUnit.SECONDS));
    }
  }

  private static String frame(String json) {
    return "Content-Length: " + json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + "\r\n\r\n" + json;
  }
}
