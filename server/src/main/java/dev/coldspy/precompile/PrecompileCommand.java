package dev.coldspy.precompile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.coldspy.cli.CliError;
import dev.coldspy.cli.ExitCodes;
import dev.coldspy.verify.PythonScript;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code coldspy precompile PATH [--python P]}: writes unchecked-hash bytecode for the runtime's Python into a
 * deployment folder (see {@code precompile.py}), so that no cold start compiles the app's modules from source.
 */
@Command(
    name = "precompile",
    description = {
      "Writes bytecode for the runtime's Python into a deployment folder, valid whatever packaging does to file times.",
      "Unchecked-hash .pyc files: run it as the last build step, after every source change. Reports what it"
          + " compiled; check the gain with 'coldspy verify'."
    },
    footer = {"", "Exit status: 0 done (files that do not compile are listed and keep no bytecode), 2 error."})
public final class PrecompileCommand implements Callable<Integer> {
  private static final PythonScript PRECOMPILE = PythonScript.resource(PrecompileCommand.class, "precompile.py");
  private static final int PACKAGES_LISTED = 8;

  /** Output formats. */
  enum Format { text, json }

  @Spec CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
  boolean help;

  @Parameters(index = "0", paramLabel = "PATH", description = "the deployment folder (the app and its libraries)")
  Path path;

  @Option(names = "--python", paramLabel = "PYTHON", defaultValue = "python3",
      description = "an interpreter of the runtime's exact version: the bytecode is only valid for it"
          + " (default: ${DEFAULT-VALUE})")
  String python;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text or json")
  Format format;

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (!Files.isDirectory(path)) {
      throw new CliError(path + ": directory not found");
    }
    JsonNode result = compile();
    PrintWriter out = spec.commandLine().getOut();
    if (format == Format.json) {
      out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result));
    } else {
      out.print(text(result));
    }
    out.flush();
    return ExitCodes.OK;
  }

  private JsonNode compile() throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(PRECOMPILE.command(python, List.of(path.toString())))
        .redirectInput(ProcessBuilder.Redirect.PIPE);
    builder.environment().remove("PYTHONPYCACHEPREFIX"); // the bytecode belongs in the deployment folder
    Process process = PRECOMPILE.start(builder, python);
    process.getOutputStream().close();
    // stderr is small (a traceback at most); read it on its own thread so that neither pipe fills up.
    StringBuilder errors = new StringBuilder();
    Thread errorReader = new Thread(() -> {
      try {
        errors.append(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        errors.append(e.getMessage());
      }
    });
    errorReader.start();
    String output;
    try {
      output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      process.waitFor();
      errorReader.join();
    } finally {
      process.destroyForcibly();
    }
    if (process.exitValue() != 0) {
      List<String> lines = errors.toString().lines().filter(line -> !line.isBlank()).toList();
      throw new CliError(path + ": compiling with '" + python + "' failed (exit status " + process.exitValue() + ")"
          + (lines.isEmpty() ? "" : ": " + lines.get(lines.size() - 1).strip()));
    }
    try {
      return new ObjectMapper().readTree(output);
    } catch (JsonProcessingException e) {
      throw new CliError("'" + python + "' did not report what it compiled: " + e.getOriginalMessage(), e);
    }
  }

  private String text(JsonNode result) {
    StringBuilder text = new StringBuilder();
    int compiled = result.path("compiled").asInt();
    text.append(String.format(Locale.ROOT, "Compiled %d module%s in %s for %s (Python %s), unchecked-hash .pyc%n",
        compiled, compiled == 1 ? "" : "s", path, result.path("cacheTag").asText(), result.path("python").asText()));
    List<String> packages = new ArrayList<>();
    for (JsonNode entry : result.path("packages")) {
      if (packages.size() < PACKAGES_LISTED) {
        packages.add(String.format(Locale.ROOT, "%s %d (%.0f ms)", entry.path("name").asText(),
            entry.path("modules").asInt(), entry.path("compileMs").asDouble()));
      }
    }
    int more = result.path("packages").size() - packages.size();
    if (!packages.isEmpty()) {
      text.append("  by package: ").append(String.join(", ", packages))
          .append(more > 0 ? ", and " + more + " more" : "").append(System.lineSeparator());
    }
    JsonNode before = result.path("before");
    text.append(String.format(Locale.ROOT, "  before: %d without bytecode for %s, %d timestamp-based, %d hash-based%n",
        before.path("none").asInt(), result.path("cacheTag").asText(), before.path("timestamp").asInt(),
        before.path("checkedHash").asInt() + before.path("uncheckedHash").asInt()));
    for (Map.Entry<String, JsonNode> tag : result.path("otherCacheTags").properties()) {
      text.append(String.format(Locale.ROOT, "  found %d .pyc file%s for %s: another Python, unused by %s%n",
          tag.getValue().asInt(), tag.getValue().asInt() == 1 ? "" : "s", tag.getKey(),
          result.path("cacheTag").asText()));
    }
    text.append(String.format(Locale.ROOT, "Compiling took %.0f ms here: the most a cold start saves, if it imports"
            + " every one of these modules; one that imports some saves their share.%n",
        result.path("compileMs").asDouble()));
    text.append("The expected saving per cold start needs a profile with per-module compile time, which profiles do"
        + " not record yet; measure it: coldspy verify --baseline <a copy without bytecode> " + path
        + "/<handler>.py:<function> --event ...").append(System.lineSeparator());
    for (JsonNode failure : result.path("failed")) {
      text.append("warning: ").append(path.resolve(failure.path("path").asText())).append(": not compiled: ")
          .append(failure.path("error").asText()).append(System.lineSeparator());
    }
    return text.toString();
  }
}
