package dev.coldspy.lsp;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.coldspy.project.Project;
import dev.coldspy.python.HandlerSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;

/**
 * What {@code coldspy.profile} and {@code coldspy.verify} run: a handler function in a file below an application
 * root, the events to call it with, the interpreter and the number of cold starts. Read from the commands' one
 * argument object {@code {"handler": "handler.py:handler", "root": "/abs/app", "events": ["..."], "coldStarts":
 * 10, "python": "python3"}}; what is missing comes from the workspace's first profiled project (its handler,
 * its application root, the {@code events/} directory there).
 *
 * @param file the handler file, absolute
 * @param root the folder the handler's path is relative to; the profiler and the handler run in it
 * @param coldStarts null: the command's default
 * @param project the profiled project the handler belongs to, if any (where results are stored)
 */
record HandlerTarget(Path file, String function, Path root, List<Path> events, String python, Integer coldStarts,
    Optional<Project> project) {
  private static final Gson GSON = new Gson();

  HandlerTarget {
    events = List.copyOf(events);
  }

  /** {@code handler.py:handler}, the file relative to the root: how messages name it (no absolute path). */
  String name() {
    Path base = root.toAbsolutePath().normalize();
    String shown = file.startsWith(base) ? base.relativize(file).toString() : file.getFileName().toString();
    return shown.replace('\\', '/') + ":" + function;
  }

  /** {@code /abs/app/handler.py:handler}, as the profiler and {@code verify} take it. */
  String absoluteSpec() {
    return file + ":" + function;
  }

  /** Where a project's results go: the project's folder, else the root. */
  Path projectDirectory() {
    return project.map(Project::directory).orElse(root);
  }

  /** The app's name: the profiles', else the root folder's. */
  String appName() {
    return project.map(p -> p.profiles().app().name())
        .orElse(root.getFileName() == null ? "app" : root.getFileName().toString());
  }

  /**
   * The target of a command that runs the workspace's code (profiling, verifying): refused in an untrusted
   * workspace, whoever sends it.
   *
   * @param verb what the command does, as the user reads it ("profile", "verify")
   * @throws ResponseErrorException the error response the command is answered with
   */
  static HandlerTarget forCodeRunningCommand(String command, String verb, List<Object> arguments, WorkspaceSetup setup,
      ClientFeatures features, ServerLog log) {
    if (!features.workspaceTrusted()) {
      log.warn("refused " + command + ": the workspace is not trusted");
      throw failure("ColdSpy does not " + verb + " in an untrusted workspace: it would run the workspace's code."
          + " Trust the workspace, then " + verb + " again.");
    }
    try {
      return of(arguments, setup);
    } catch (IllegalArgumentException invalid) {
      log.warn("cannot " + verb + ": " + invalid.getMessage());
      throw failure("cannot " + verb + ": " + invalid.getMessage());
    }
  }

  /** The error response a failed command is answered with: its message is what the user reads. */
  static ResponseErrorException failure(String message) {
    return new ResponseErrorException(
        new ResponseError(ResponseErrorCode.RequestFailed, ServerLog.printable(message), null));
  }

  /**
   * Reads the argument object.
   *
   * @throws IllegalArgumentException naming what is missing or wrong, for the user
   */
  static HandlerTarget of(List<Object> arguments, WorkspaceSetup setup) {
    JsonObject given = argumentObject(arguments);
    Optional<Project> project = setup.projects().stream().findFirst();
    String handler = string(given, "handler")
        .or(() -> project.map(p -> p.profiles().app().handler()))
        .orElseThrow(() -> new IllegalArgumentException("no handler given and no profile names one"));
    Path root = string(given, "root").map(Path::of)
        .or(() -> project.map(Project::appRoot))
        .or(() -> setup.roots().stream().findFirst())
        .orElseThrow(() -> new IllegalArgumentException("no application root given and no workspace folder"))
        .toAbsolutePath().normalize();
    HandlerSpec spec = HandlerSpec.parse(handler);
    if (spec.function() == null) {
      throw new IllegalArgumentException("the handler " + handler + " names no function (file.py:function)");
    }
    Path file = handlerFile(spec, root);
    List<Path> events = new ArrayList<>();
    if (given.has("events") && given.get("events").isJsonArray()) {
      given.get("events").getAsJsonArray().forEach(event -> events.add(root.resolve(event.getAsString())));
    } else if (Files.isDirectory(root.resolve("events"))) {
      events.add(root.resolve("events"));
    }
    if (events.isEmpty()) {
      throw new IllegalArgumentException("no events: put event JSON files in " + root.getFileName()
          + "/events/ or pass \"events\"");
    }
    Integer coldStarts = given.has("coldStarts") && given.get("coldStarts").isJsonPrimitive()
        ? given.get("coldStarts").getAsInt() : null;
    if (coldStarts != null && coldStarts < 1) {
      throw new IllegalArgumentException("coldStarts must be at least 1, not " + coldStarts);
    }
    String python = string(given, "python").orElse("python3");
    Optional<Project> owner = setup.projectOf(file).or(() -> project);
    return new HandlerTarget(file, spec.function(), root, events, python, coldStarts, owner);
  }

  /**
   * The handler file: the path as given below the root (the editor's workspace-relative path), else the file's
   * name below it (a profile records the path of the machine it was made on).
   */
  private static Path handlerFile(HandlerSpec spec, Path root) {
    String written = spec.file() != null ? spec.file() : spec.fileBelowAppRoot();
    Path given = root.resolve(written).normalize();
    if (Files.isRegularFile(given)) {
      return given;
    }
    Path byName = root.resolve(spec.fileBelowAppRoot()).normalize();
    if (Files.isRegularFile(byName)) {
      return byName;
    }
    throw new IllegalArgumentException("the handler file " + spec.fileBelowAppRoot() + " does not exist in "
        + root.getFileName());
  }

  private static JsonObject argumentObject(List<Object> arguments) {
    if (arguments == null || arguments.isEmpty() || arguments.get(0) == null) {
      return new JsonObject();
    }
    JsonElement first = arguments.get(0) instanceof JsonElement element ? element : GSON.toJsonTree(arguments.get(0));
    if (!first.isJsonObject()) {
      throw new IllegalArgumentException("the argument must be an object like {\"handler\": \"handler.py:handler\"}");
    }
    return first.getAsJsonObject();
  }

  private static Optional<String> string(JsonObject object, String key) {
    return object.has(key) && object.get(key).isJsonPrimitive()
        ? Optional.of(object.get(key).getAsString())
        : Optional.empty();
  }
}
