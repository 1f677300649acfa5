package dev.coldspy.lsp;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.coldspy.agent.AgentRequest;
import dev.coldspy.project.Project;
import dev.coldspy.python.HandlerSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.lsp4j.MessageType;
import org.eclipse.lsp4j.ProgressParams;
import org.eclipse.lsp4j.WorkDoneProgressBegin;
import org.eclipse.lsp4j.WorkDoneProgressCreateParams;
import org.eclipse.lsp4j.WorkDoneProgressEnd;
import org.eclipse.lsp4j.WorkDoneProgressReport;
import org.eclipse.lsp4j.jsonrpc.CancelChecker;
import org.eclipse.lsp4j.jsonrpc.CompletableFutures;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;
import org.eclipse.lsp4j.services.LanguageClient;

/**
 * {@code workspace/executeCommand coldspy.profile}: runs the profiler agent embedded in the jar (the {@code
 * profile} command's logic) for a handler, reporting its output as {@code $/progress}, cancellable from the
 * progress UI or by cancelling the request. The new profile lands in the project's {@code
 * .coldspy/profiles/}, and the workspace reloads.
 *
 * <p>Arguments: one object {@code {"handler": "handler.py:handler", "root": "/abs/app", "events": ["..."],
 * "coldStarts": 10, "python": "python3"}}; all optional — by default the first profiled project's handler,
 * its application root and the {@code events/} directory there.
 */
final class ProfileRunner implements AutoCloseable {
  /** One run: the agent's request and the folder it runs in (the application root). */
  record Request(AgentRequest agent, Path root) {
    String handler() {
      return agent.handler();
    }

    Path output() {
      return agent.output();
    }
  }

  static final String UNTRUSTED = "ColdSpy does not profile in an untrusted workspace: profiling runs the"
      + " workspace's code. Trust the workspace, then profile again.";
  private static final Gson GSON = new Gson();
  private final ServerLog log;
  private final AtomicInteger tokens = new AtomicInteger();
  private final ConcurrentHashMap<String, Run> running = new ConcurrentHashMap<>();
  private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
    Thread thread = new Thread(runnable, "coldspy-profile");
    thread.setDaemon(true);
    return thread;
  });

  ProfileRunner(ServerLog log) {
    this.log = log;
  }

  CompletableFuture<Object> run(List<Object> arguments, WorkspaceSetup setup, LanguageClient client,
      ClientFeatures features, Runnable onProfileWritten) {
    if (!features.workspaceTrusted()) {
      // Profiling imports and runs the workspace's code: never for a client that says the user does not trust it.
      log.warn("refused " + Commands.PROFILE + ": the workspace is not trusted");
      return CompletableFuture.failedFuture(new ResponseErrorException(new ResponseError(
          ResponseErrorCode.RequestFailed, UNTRUSTED, null)));
    }
    Request request;
    try {
      request = request(arguments, setup);
    } catch (IllegalArgumentException invalid) {
      log.tellUser(MessageType.Error, "cannot profile: " + invalid.getMessage());
      return CompletableFuture.completedFuture(null);
    }
    return CompletableFutures.computeAsync(threads, cancel -> profile(request, cancel, client, features,
        onProfileWritten));
  }

  /** {@code window/workDoneProgress/cancel}: stops the run behind the token. */
  void cancel(String token) {
    Run run = running.get(token);
    if (run != null) {
      log.info("profiling cancelled");
      run.cancelled = true; // the run's own thread stops the processes: this is the client's message thread
    }
  }

  /**
   * Ends the agent and everything it started: it runs one interpreter per cold start, and the handler may start
   * processes of its own, which would outlive a kill of the agent alone. The descendants are listed before the
   * agent dies (afterwards they belong to init); each gets SIGTERM, and SIGKILL if still there after 2 s.
   */
  static void stop(Process process) {
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(0, process.toHandle());
    tree.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    for (ProcessHandle handle : tree) {
      try {
        long left = Math.max(0, deadline - System.nanoTime());
        handle.onExit().get(left, TimeUnit.NANOSECONDS);
      } catch (Exception stillRunning) {
        handle.destroyForcibly();
      }
    }
  }

  private Object profile(Request request, CancelChecker cancel, LanguageClient client, ClientFeatures features,
      Runnable onProfileWritten) {
    String token = "coldspy-profile-" + tokens.incrementAndGet();
    Progress progress = new Progress(client, features.workDoneProgress() ? token : null);
    progress.begin("ColdSpy: profiling " + request.handler());
    AtomicReference<String> lastLine = new AtomicReference<>("");
    Process process;
    try {
      ProcessBuilder builder = request.agent().process();
      process = builder.directory(request.root().toFile()).redirectErrorStream(true).start();
    } catch (IOException | RuntimeException failed) {
      String reason = ServerLog.describe(failed);
      progress.end("failed: " + reason);
      log.tellUser(MessageType.Error, "cannot profile " + request.handler() + ": " + reason);
      return null;
    }
    Run run = new Run(process);
    running.put(token, run);
    try {
      process.getOutputStream().close();
      Thread reader = new Thread(() -> forwardOutput(process, progress, lastLine), "coldspy-profile-output");
      reader.setDaemon(true);
      reader.start();
      while (!process.waitFor(100, TimeUnit.MILLISECONDS)) {
        if (run.cancelled || isCancelled(cancel)) {
          run.cancelled = true;
          stop(process);
        }
      }
      if (run.cancelled) {
        // The exit status of a process we killed (143) says nothing about the handler: it was the user's choice.
        progress.end("cancelled");
        throw new CancellationException("profiling cancelled");
      }
      reader.join(2_000);
      int status = process.exitValue();
      if (status != 0) {
        progress.end("failed");
        log.tellUser(MessageType.Error, "profiling " + request.handler() + " failed (exit status " + status + "): "
            + lastLine.get());
        return null;
      }
      progress.end("profile written to " + request.output());
      onProfileWritten.run();
      JsonObject result = new JsonObject();
      result.addProperty("profile", request.output().toString());
      return result;
    } catch (InterruptedException interrupted) {
      stop(process);
      Thread.currentThread().interrupt();
      progress.end("cancelled");
      throw new CancellationException("profiling interrupted");
    } catch (IOException unreachable) {
      progress.end("failed");
      return null;
    } finally {
      running.remove(token);
    }
  }

  private static boolean isCancelled(CancelChecker cancel) {
    try {
      cancel.checkCanceled();
      return false;
    } catch (CancellationException cancelled) {
      return true;
    }
  }

  private void forwardOutput(Process process, Progress progress, AtomicReference<String> lastLine) {
    try (BufferedReader output = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = output.readLine(); line != null; line = output.readLine()) {
        if (!line.isBlank()) {
          lastLine.set(line.strip());
          log.info("profiler: " + line.strip());
          progress.report(line.strip());
        }
      }
    } catch (IOException closed) {
      // the process ended or was destroyed
    }
  }

  /** Reads the command's argument object, filling in what the workspace's first profiled project knows. */
  static Request request(List<Object> arguments, WorkspaceSetup setup) {
    JsonObject given = new JsonObject();
    if (arguments != null && !arguments.isEmpty() && arguments.get(0) != null) {
      JsonElement first = arguments.get(0) instanceof JsonElement element ? element : GSON.toJsonTree(arguments.get(0));
      if (!first.isJsonObject()) {
        throw new IllegalArgumentException("the argument must be an object like {\"handler\": \"handler.py:handler\"}");
      }
      given = first.getAsJsonObject();
    }
    Optional<Project> project = setup.projects().stream().findFirst();
    String handler = string(given, "handler")
        .or(() -> project.map(p -> p.profiles().app().handler()))
        .orElseThrow(() -> new IllegalArgumentException("no handler given and no profile names one"));
    Path root = string(given, "root").map(Path::of)
        .or(() -> project.map(Project::appRoot))
        .or(() -> setup.roots().stream().findFirst())
        .orElseThrow(() -> new IllegalArgumentException("no application root given and no workspace folder"));
    HandlerSpec spec = HandlerSpec.parse(handler);
    String file = spec.fileBelowAppRoot();
    String function = spec.function();
    if (function == null) {
      throw new IllegalArgumentException("the handler " + handler + " names no function (file.py:function)");
    }
    if (!Files.isRegularFile(root.resolve(file))) {
      throw new IllegalArgumentException("the handler file " + root.resolve(file) + " does not exist");
    }
    List<Path> events = new ArrayList<>();
    if (given.has("events") && given.get("events").isJsonArray()) {
      given.get("events").getAsJsonArray().forEach(event -> events.add(root.resolve(event.getAsString())));
    } else if (Files.isDirectory(root.resolve("events"))) {
      events.add(root.resolve("events"));
    }
    if (events.isEmpty()) {
      throw new IllegalArgumentException("no events: put event JSON files in " + root.resolve("events")
          + " or pass \"events\"");
    }
    Integer coldStarts = given.has("coldStarts") ? given.get("coldStarts").getAsInt() : null;
    String python = string(given, "python").orElse("python3");
    Path projectDirectory = project.map(Project::directory).orElse(root);
    String name = project.map(p -> p.profiles().app().name())
        .orElse(root.getFileName() == null ? "app" : root.getFileName().toString());
    Path output = projectDirectory.resolve(Project.PROFILES_DIRECTORY).resolve(name + ".json");
    return new Request(
        AgentRequest.of(python, root.resolve(file) + ":" + function, events, coldStarts, output), root);
  }

  private static Optional<String> string(JsonObject object, String key) {
    return object.has(key) && object.get(key).isJsonPrimitive()
        ? Optional.of(object.get(key).getAsString())
        : Optional.empty();
  }

  @Override
  public void close() {
    running.values().forEach(run -> stop(run.process));
    threads.shutdownNow();
  }

  /** A running agent, and whether the user cancelled it (then its exit status is not a failure). */
  private static final class Run {
    final Process process;
    volatile boolean cancelled;

    Run(Process process) {
      this.process = process;
    }
  }

  /** {@code $/progress} for one run, or nothing when the client cannot show it. */
  private static final class Progress {
    private final LanguageClient client;
    private final String token;

    Progress(LanguageClient client, String token) {
      this.client = client;
      this.token = token;
      if (client != null && token != null) {
        try {
          // The token must exist on the client before the first $/progress.
          client.createProgress(new WorkDoneProgressCreateParams(Either.forLeft(token))).get(5, TimeUnit.SECONDS);
        } catch (Exception refused) {
          // progress is a courtesy: run without it
        }
      }
    }

    void begin(String title) {
      WorkDoneProgressBegin begin = new WorkDoneProgressBegin();
      begin.setTitle(title);
      begin.setCancellable(true);
      send(begin);
    }

    void report(String message) {
      WorkDoneProgressReport report = new WorkDoneProgressReport();
      report.setMessage(message);
      send(report);
    }

    void end(String message) {
      WorkDoneProgressEnd end = new WorkDoneProgressEnd();
      end.setMessage(message);
      send(end);
    }

    private void send(org.eclipse.lsp4j.WorkDoneProgressNotification value) {
      if (client != null && token != null) {
        client.notifyProgress(new ProgressParams(Either.forLeft(token), Either.forLeft(value)));
      }
    }
  }
}
