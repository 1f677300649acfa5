package dev.coldspy.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.CodeAction;
import org.eclipse.lsp4j.CodeActionContext;
import org.eclipse.lsp4j.CodeActionParams;
import org.eclipse.lsp4j.CodeLens;
import org.eclipse.lsp4j.CodeLensParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.ExecuteCommandParams;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.TextDocumentItem;
import org.eclipse.lsp4j.WorkDoneProgressEnd;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code coldspy.verify} ("Verify Fixes") against the last commit, or the copy taken before the first fix. */
class VerifyCommandProtocolTest {
  @TempDir Path root;

  private static final String HANDLER =
      "import json\nimport acme_analytics\n\n\ndef handler(event, context):\n    return json.dumps(event)\n";

  private void app(String handler) throws Exception {
    new TestProject(root).file("handler.py", handler).file("acme_analytics.py", "VALUE = 1\n")
        .module("json", 2, "handler.py", 1).module("acme_analytics", 800, "handler.py", 2).usedIn("json", 40).load();
    Files.createDirectories(root.resolve("events"));
    Files.writeString(root.resolve("events/one.json"), "{\"name\": \"x\"}");
  }

  private void git(String... arguments) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("git", "-c", "user.name=t", "-c", "user.email=t@example.com",
        "-C", root.toString()));
    command.addAll(List.of(arguments));
    Process git = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(git.getInputStream().readAllBytes());
    assertEquals(0, git.waitFor(), output);
  }

  private static JsonObject verify(ServerConnection connection, Path root) throws Exception {
    ExecuteCommandParams params = new ExecuteCommandParams("coldspy.verify",
        List.of(Map.of("handler", "handler.py:handler", "root", root.toString(), "coldStarts", 2)));
    params.setWorkDoneToken(Either.forLeft("verify-1"));
    Object result = connection.server.getWorkspaceService().executeCommand(params).get(120, TimeUnit.SECONDS);
    return new Gson().toJsonTree(result).getAsJsonObject();
  }

  @Test
  void aBehaviourPreservingEditIsVerifiedAgainstTheLastCommitStoredAndShownOnTheHandler() throws Exception {
    app(HANDLER);
    git("init", "-q");
    git("add", "-A");
    git("commit", "-q", "-m", "as profiled");
    Files.writeString(root.resolve("handler.py"), "import json\n\n\ndef handler(event, context):\n"
        + "    import acme_analytics\n    return json.dumps(event)\n");
    try (ServerConnection connection = new ServerConnection()) {
      connection.initialize(root, null);

      JsonObject result = verify(connection, root);

      String summary = result.get("summary").getAsString();
      assertTrue(summary.endsWith(", outputs identical"), summary);
      assertTrue(result.get("outputsIdentical").getAsBoolean());
      Path stored = root.resolve(".coldspy/verify/" + root.getFileName() + ".json");
      assertEquals(stored.toString(), result.get("result").getAsString());
      assertTrue(Files.readString(stored).contains("\"summary\""));
      assertTrue(connection.client.progress.stream().allMatch(p -> "verify-1".equals(p.getToken().getLeft())));
      WorkDoneProgressEnd end = (WorkDoneProgressEnd) connection.client.progress
          .get(connection.client.progress.size() - 1).getValue().getLeft();
      assertEquals(summary, end.getMessage());
      List<String> steps = connection.client.progress.stream()
          .map(p -> p.getValue().getLeft()).filter(v -> v instanceof org.eclipse.lsp4j.WorkDoneProgressReport)
          .map(v -> ((org.eclipse.lsp4j.WorkDoneProgressReport) v).getPercentage() + " %").toList();
      assertEquals(List.of("0 %", "5 %", "28 %", "52 %", "76 %", "100 %"), steps);

      String uri = root.resolve("handler.py").toUri().toString();
      connection.server.getTextDocumentService().didOpen(new DidOpenTextDocumentParams(
          new TextDocumentItem(uri, "python", 1, Files.readString(root.resolve("handler.py")))));
      List<? extends CodeLens> lenses = connection.server.getTextDocumentService()
          .codeLens(new CodeLensParams(new TextDocumentIdentifier(uri))).get(30, TimeUnit.SECONDS);
      assertEquals(List.of("coldspy.profile", "coldspy.verify"),
          lenses.stream().map(l -> l.getCommand().getCommand()).toList());
      assertEquals(summary, lenses.get(1).getCommand().getTitle());
    }
  }

  @Test
  void anEditThatChangesAnOutputIsReportedAsSuch() throws Exception {
    app(HANDLER);
    git("init", "-q");
    git("add", "-A");
    git("commit", "-q", "-m", "as profiled");
    Files.writeString(root.resolve("handler.py"), "def handler(event, context):\n    return 'changed'\n");
    try (ServerConnection connection = new ServerConnection()) {
      connection.initialize(root, null);

      JsonObject result = verify(connection, root);

      assertTrue(result.get("summary").getAsString().endsWith(", outputs differ on 1 event"), result.toString());
      assertEquals(false, result.get("outputsIdentical").getAsBoolean());
    }
  }

  @Test
  void outsideGitTheFirstResolvedFixKeepsTheBaselineAndWithoutOneVerifyingIsAnError() throws Exception {
    app(HANDLER);
    try (ServerConnection connection = new ServerConnection()) {
      connection.initialize(root, null);

      ExecutionException refused = assertThrows(ExecutionException.class, () -> verify(connection, root));
      assertTrue(refused.getCause() instanceof ResponseErrorException);
      assertTrue(refused.getCause().getMessage().contains("no baseline to compare with"),
          refused.getCause().getMessage());

      String uri = root.resolve("handler.py").toUri().toString();
      var documents = connection.server.getTextDocumentService();
      documents.didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(uri, "python", 1, HANDLER)));
      connection.client.awaitDiagnostics(uri, p -> Integer.valueOf(1).equals(p.getVersion()) && !p.getDiagnostics().isEmpty());
      List<CodeAction> actions = documents.codeAction(new CodeActionParams(new TextDocumentIdentifier(uri),
              new Range(new Position(1, 0), new Position(1, 5)), new CodeActionContext(List.of())))
          .get(30, TimeUnit.SECONDS).stream().map(Either::getRight).toList();
      CodeAction resolved = documents.resolveCodeAction(actions.get(0)).get(30, TimeUnit.SECONDS);

      assertTrue(resolved.getEdit() != null, resolved.toString());
      assertEquals(HANDLER, Files.readString(root.resolve(".coldspy/baseline/handler.py")));
      assertTrue(Files.isRegularFile(root.resolve(".coldspy/baseline/events/one.json")));
      assertTrue(Files.notExists(root.resolve(".coldspy/baseline/.coldspy")));
    }
  }
}
