package dev.coldspy.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.ExecuteCommandParams;
import org.eclipse.lsp4j.WorkDoneProgressCancelParams;
import org.eclipse.lsp4j.WorkDoneProgressBegin;
import org.eclipse.lsp4j.WorkDoneProgressEnd;
import org.eclipse.lsp4j.WorkDoneProgressNotification;
import org.eclipse.lsp4j.WorkDoneProgressReport;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code coldspy.profile} runs the embedded agent with the machine's python3, with progress and cancellation. */
class ProfileCommandProtocolTest {
  @TempDir Path root;

  private void app(String handler) throws Exception {
    Files.writeString(root.resolve("handler.py"), handler);
    Files.createDirectories(root.resolve("events"));
    Files.writeString(root.resolve("events/one.json"), "{\"name\": \"x\"}");
  }

  private static List<WorkDoneProgressNotification> progress(ServerConnection connection) {
    return connection.client.progress.stream().map(p -> p.getValue().getLeft()).toList();
  }

  @Test
  void profilingReportsEachColdStartOnTheRequestsTokenWritesAProfileAndReloads() throws Exception {
    app("import json\n\n\ndef handler(event, context):\n    return json.dumps(event)\n");
    try (ServerConnection connection = new ServerConnection()) {
      connection.initialize(root, null);
      ExecuteCommandParams params = new ExecuteCommandParams("coldspy.profile",
          List.of(Map.of("handler", "handler.py:handler", "root", root.toString(), "coldStarts", 2)));
      params.setWorkDoneToken(Either.forLeft("editor-token-7"));

      Object result = connection.server.getWorkspaceService().executeCommand(params).get(120, TimeUnit.SECONDS);

      Path profile = root.resolve(".coldspy/profiles/" + root.getFileName() + ".json");
      assertEquals(profile.toString(), ((JsonObject) com.google.gson.JsonParser.parseString(
          new com.google.gson.Gson().toJson(result))).get("profile").getAsString());
      assertTrue(Files.isRegularFile(profile));
      // One progress item, the editor's: no token of the server's, no absolute path on the screen.
      assertEquals(List.of(), connection.client.createdProgress);
      assertTrue(connection.client.progress.stream().allMatch(p -> "editor-token-7".equals(p.getToken().getLeft())));
      List<WorkDoneProgressNotification> progress = progress(connection);
      assertEquals("ColdSpy: profiling handler.py:handler", ((WorkDoneProgressBegin) progress.get(0)).getTitle());
      assertEquals(List.of("cold start 1 of 2 (0 %)", "cold start 2 of 2 (50 %)"), progress.stream()
          .filter(p -> p instanceof WorkDoneProgressReport).map(p -> (WorkDoneProgressReport) p)
          .map(r -> r.getMessage() + " (" + r.getPercentage() + " %)").toList());
      assertEquals("profile written to .coldspy/profiles/" + root.getFileName() + ".json",
          ((WorkDoneProgressEnd) progress.get(progress.size() - 1)).getMessage());
      StatusParams status = Await.until("a status for the new profile", () -> connection.client.statuses.stream()
          .filter(s -> s.getProfiles() == 1).findFirst().orElse(null));
      assertTrue(status.getInitMs() > 0, status.toString());
    }
  }

  @Test
  void withoutATokenFromTheRequestTheServerCreatesOne() throws Exception {
    app("def handler(event, context):\n    return 1\n");
    try (ServerConnection connection = new ServerConnection()) {
      connection.initialize(root, null);

      connection.server.getWorkspaceService().executeCommand(new ExecuteCommandParams("coldspy.profile",
          List.of(Map.of("root", root.toString(), "coldStarts", 1, "handler", "handler.py:handler"))))
          .get(120, TimeUnit.SECONDS);

      assertEquals(1, connection.client.createdProgress.size());
      String created = connection.client.createdProgress.get(0);
      assertTrue(connection.client.progress.stream().allMatch(p -> created.equals(p.getToken().getLeft())));
    }
  }

  @Test
  void aFailingHandlerIsAnErrorResponseAndItsTracebackKeepsItsIndentationInTheLog() throws Exception {
    app("import json\n\n\ndef configure():\n    raise ValueError('no table name')\n\n\nconfigure()\n\n\n"
        + "def handler(event, context):\n    return 1\n");
    try (ServerConnection connection = new ServerConnection()) {
      connection.initialize(root, null);

      ExecutionException failed = assertThrows(ExecutionException.class, () -> connection.server
          .getWorkspaceService().executeCommand(new ExecuteCommandParams("coldspy.profile", List.of(Map.of(
              "handler", "handler.py:handler", "root", root.toString(), "coldStarts", 1)))).get(120, TimeUnit.SECONDS));

      ResponseErrorException error = (ResponseErrorException) failed.getCause();
      assertEquals(ResponseErrorCode.RequestFailed.getValue(), error.getResponseError().getCode());
      assertTrue(error.getMessage().startsWith("profiling handler.py:handler failed (exit status 1): importing "),
          error.getMessage());
      assertTrue(error.getMessage().endsWith("raised ValueError (traceback above)"), error.getMessage());
      List<String> logged = connection.client.logMessages.stream().map(m -> m.getMessage()).toList();
      assertTrue(logged.contains("profiler:     raise ValueError('no table name')"), logged.toString());
      assertEquals(List.of(), connection.client.shownMessages, "the error response is the one message");
      assertTrue(progress(connection).get(progress(connection).size() - 1) instanceof WorkDoneProgressEnd end
          && "failed".equals(end.getMessage()));
    }
  }

  @Test
  void cancellingTheRequestStopsTheProfiler() throws Exception {
    app("import time\ntime.sleep(60)\n\n\ndef handler(event, context):\n    return 1\n");
    try (ServerConnection connection = new ServerConnection()) {
      connection.initialize(root, null);
      CompletableFuture<Object> running = connection.server.getWorkspaceService().executeCommand(
          new ExecuteCommandParams("coldspy.profile", List.of(Map.of("root", root.toString(),
              "handler", "handler.py:handler", "coldStarts", 1))));
      Await.until("the profiler to start", () -> !connection.client.progress.isEmpty());

      running.cancel(true); // LSP4J sends $/cancelRequest

      Await.until("the end of the progress", () -> progress(connection).stream()
          .anyMatch(p -> p instanceof WorkDoneProgressEnd end && "cancelled".equals(end.getMessage())));
    }
  }

  @Test
  void cancellingFromTheProgressStopsTheProfilerAndWhatTheHandlerStarted() throws Exception {
    // At import time the handler starts a process of its own: a kill of the agent alone would leave it running.
    app("import pathlib, subprocess, time\n"
        + "child = subprocess.Popen(['sleep', '120'])\n"
        + "pathlib.Path(" + pythonString(root.resolve("child.pid")) + ").write_text(str(child.pid))\n"
        + "time.sleep(120)\n\n\ndef handler(event, context):\n    return 1\n");
    try (ServerConnection connection = new ServerConnection()) {
      connection.initialize(root, null);
      CompletableFuture<Object> running = connection.server.getWorkspaceService().executeCommand(
          new ExecuteCommandParams("coldspy.profile", List.of(Map.of("root", root.toString(),
              "handler", "handler.py:handler", "coldStarts", 1))));
      long childPid = Await.until("the handler's own process", () -> {
        try {
          return Long.parseLong(Files.readString(root.resolve("child.pid")).strip());
        } catch (Exception notYet) {
          return null;
        }
      });
      String token = connection.client.progress.get(0).getToken().getLeft();

      connection.server.cancelProgress(new WorkDoneProgressCancelParams(Either.forLeft(token)));

      Await.until("the end of the progress", () -> progress(connection).stream()
          .anyMatch(p -> p instanceof WorkDoneProgressEnd end && "cancelled".equals(end.getMessage())));
      ExecutionException answer = assertThrows(ExecutionException.class, () -> running.get(30, TimeUnit.SECONDS));
      assertTrue(answer.getCause() instanceof ResponseErrorException, answer.toString());
      Await.until("the handler's process to end", () -> !isRunning(childPid));
      assertTrue(connection.client.shownMessages.stream().noneMatch(m -> m.getMessage().contains("failed")),
          connection.client.shownMessages.toString());
    }
  }

  @Test
  void anUntrustedWorkspaceIsNeverProfiled() throws Exception {
    app("import pathlib\npathlib.Path(" + pythonString(root.resolve("ran")) + ").write_text('the code ran')\n\n\n"
        + "def handler(event, context):\n    return 1\n");
    try (ServerConnection connection = new ServerConnection()) {
      connection.initialize(root, null, Map.of("workspaceTrusted", false));

      ExecutionException refused = assertThrows(ExecutionException.class, () -> connection.server
          .getWorkspaceService().executeCommand(new ExecuteCommandParams("coldspy.profile", List.of(Map.of(
              "handler", "handler.py:handler", "root", root.toString(), "coldStarts", 1)))).get(30, TimeUnit.SECONDS));

      ResponseErrorException error = (ResponseErrorException) refused.getCause();
      assertEquals(ResponseErrorCode.RequestFailed.getValue(), error.getResponseError().getCode());
      assertTrue(error.getMessage().contains("does not profile in an untrusted workspace"), error.getMessage());
      assertFalse(Files.exists(root.resolve("ran")), "the handler's code ran");
      assertFalse(Files.exists(root.resolve(".coldspy/profiles")), "a profile was written");
    }
  }

  private static String pythonString(Path path) {
    return "'" + path.toString().replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /** Alive and not a zombie (an orphan is reaped by whoever adopted it, perhaps much later). */
  private static boolean isRunning(long pid) {
    if (!Files.isDirectory(Path.of("/proc"))) {
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
    } catch (java.io.IOException gone) {
      return false;
    }
  }

  @Test
  void aMissingHandlerIsAnErrorResponse() throws Exception {
    try (ServerConnection connection = new ServerConnection()) {
      connection.initialize(root, null);

      ExecutionException failed = assertThrows(ExecutionException.class, () -> connection.server
          .getWorkspaceService().executeCommand(new ExecuteCommandParams("coldspy.profile",
              List.of(Map.of("handler", "nowhere.py:handler", "root", root.toString())))).get(30, TimeUnit.SECONDS));

      assertEquals("cannot profile: the handler file nowhere.py does not exist in " + root.getFileName(),
          failed.getCause().getMessage());
      assertEquals(List.of(), connection.client.shownMessages);
    }
  }
}
