package dev.coldspy.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coldspy.cli.CliError;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs cold starts of one copy of an app: each is a fresh interpreter running {@code cold_start.py}. The
 * environment is the user's with the bytecode state and hash seed fixed (the same for every copy): no bytecode
 * written, none read from a {@code PYTHONPYCACHEPREFIX} elsewhere.
 */
final class ColdStartRunner {
  private static final PythonScript COLD_START = PythonScript.resource(ColdStartRunner.class, "cold_start.py");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String python;
  private final HandlerSpec handler;
  private final String side;
  private final Path eventsFile;
  private final Path scratch;
  private final Duration timeout;
  private Interpreter interpreter;

  /** The interpreter's version and cache tag ({@code cpython-311}). */
  record Interpreter(String version, String cacheTag) {}

  /**
   * @param side how errors name this copy ({@code baseline} or {@code current})
   * @param eventsFile the events as {@link Events#write} wrote them
   * @param scratch a private directory for result and stderr files
   */
  ColdStartRunner(String python, HandlerSpec handler, String side, Path eventsFile, Path scratch, Duration timeout) {
    this.python = python;
    this.handler = handler;
    this.side = side;
    this.eventsFile = eventsFile;
    this.scratch = scratch;
    this.timeout = timeout;
  }

  /** The interpreter that ran the last cold start. */
  Interpreter interpreter() {
    return interpreter;
  }

  /**
   * One cold start whose first call gets event number {@code firstEvent}.
   *
   * @throws CliError when init fails, the function is missing, or the interpreter dies or times out
   * @throws InterruptedException when cancelled (the interpreter is killed)
   */
  MeasuredColdStart run(int firstEvent) throws IOException, InterruptedException {
    Path result = resultFile();
    Path stderr = stderrFile();
    Files.deleteIfExists(result);
    ProcessBuilder builder = new ProcessBuilder(COLD_START.command(python, List.of(handler.appDir().toString(),
            handler.module(), handler.function(), eventsFile.toString(), String.valueOf(firstEvent), result.toString())))
        .directory(handler.appDir().toFile())
        .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(stderr.toFile());
    Map<String, String> environment = builder.environment();
    environment.put("PYTHONDONTWRITEBYTECODE", "1");
    environment.put("PYTHONHASHSEED", "0");
    // The app's own __pycache__ is the bytecode state under test (Lambda sets no prefix).
    environment.remove("PYTHONPYCACHEPREFIX");
    Process process = COLD_START.start(builder, python);
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new CliError(handler.file() + ": a cold start of the " + side + " took longer than "
            + timeout.toSeconds() + " s (--timeout-s)");
      }
    } finally {
      process.destroyForcibly();
    }
    if (process.exitValue() != 0 || !Files.isRegularFile(result)) {
      throw new CliError(handler.file() + ": the " + side + "'s interpreter exited with status "
          + process.exitValue() + " during a cold start" + lastLine(stderr));
    }
    return parse(JSON.readTree(result.toFile()));
  }

  /** Deletes the files the cold starts left in the scratch directory. */
  void deleteFiles() throws IOException {
    Files.deleteIfExists(resultFile());
    Files.deleteIfExists(stderrFile());
  }

  private Path resultFile() {
    return scratch.resolve(side.replace(' ', '-') + "-result.json");
  }

  private Path stderrFile() {
    return scratch.resolve(side.replace(' ', '-') + "-stderr.txt");
  }

  private MeasuredColdStart parse(JsonNode result) {
    interpreter = new Interpreter(result.path("python").asText(), result.path("cacheTag").asText());
    JsonNode importError = result.get("importError");
    if (importError != null) {
      throw new CliError(handler.file() + ": importing the " + side + "'s handler raised "
          + importError.path("type").asText() + ": " + importError.path("message").asText());
    }
    if (result.has("missingFunction")) {
      throw new CliError(handler.file() + ": the " + side + "'s module has no function '" + handler.function() + "'");
    }
    List<MeasuredColdStart.Invocation> invocations = new ArrayList<>();
    for (JsonNode call : result.path("invocations")) {
      invocations.add(new MeasuredColdStart.Invocation(call.path("event").asText(), call.path("ns").asLong(),
          call.path("outcome")));
    }
    return new MeasuredColdStart(result.path("initNs").asLong(), invocations);
  }

  private static String lastLine(Path stderr) throws IOException {
    if (!Files.isRegularFile(stderr)) {
      return "";
    }
    List<String> lines = new String(Files.readAllBytes(stderr), StandardCharsets.UTF_8).lines()
        .filter(line -> !line.isBlank()).toList();
    return lines.isEmpty() ? "" : ": " + lines.get(lines.size() - 1).strip();
  }

  private static File nullDevice() {
    return new File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }
}
