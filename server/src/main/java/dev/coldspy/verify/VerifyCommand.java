package dev.coldspy.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.coldspy.cli.CliError;
import dev.coldspy.cli.ExitCodes;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code coldspy verify --baseline BASE_DIR APP_DIR/handler.py:FUNCTION --event E...}: whether a change (a fix,
 * bytecode) kept the handler's behaviour and made its cold start cheaper, measured in fresh interpreters.
 */
@Command(
    name = "verify",
    description = {
      "Checks that a change keeps the handler's outputs and measures its cold start against a baseline copy.",
      "Runs the events in fresh interpreters for both copies, interleaved; compares every return value and"
          + " exception type, and the medians of init, first invocation and their sum, with a noise band."
          + " Stores the result (default .coldspy/verify/<app>.json)."
    },
    footer = {"", "Exit status: 0 outputs identical, 1 an output differs, 2 error."})
public final class VerifyCommand implements Callable<Integer> {
  /** Output formats. */
  enum Format { text, json }

  @Spec CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
  boolean help;

  @Option(names = "--baseline", required = true, paramLabel = "BASE_DIR",
      description = "the app as it was (a copy, or a git worktree of the last commit); holds the same handler file")
  Path baseline;

  @Parameters(index = "0", paramLabel = "HANDLER", description = "APP_DIR/handler.py:FUNCTION, the current code")
  String handler;

  @Option(names = "--event", required = true, paramLabel = "PATH",
      description = "event JSON file, or a directory of *.json events (repeatable); every cold start runs them all")
  List<Path> events = new ArrayList<>();

  @Option(names = "--cold-starts", paramLabel = "N", defaultValue = "10",
      description = "cold starts per copy (default: ${DEFAULT-VALUE})")
  int coldStarts;

  @Option(names = "--python", paramLabel = "PYTHON", defaultValue = "python3",
      description = "the interpreter, ideally the runtime's version (default: ${DEFAULT-VALUE})")
  String python;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text or json")
  Format format;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE",
      description = "where to store the JSON result (default: .coldspy/verify/<app>.json)")
  Path output;

  @Option(names = "--timeout-s", paramLabel = "S", defaultValue = "300",
      description = "seconds allowed per cold start (default: ${DEFAULT-VALUE})")
  int timeoutS;

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (coldStarts < 1 || timeoutS < 1) {
      throw new CliError("--cold-starts and --timeout-s must be at least 1");
    }
    HandlerSpec current = HandlerSpec.parse(handler);
    if (!Files.isDirectory(baseline)) {
      throw new CliError(baseline + ": baseline directory not found");
    }
    HandlerSpec before = current.in(baseline);
    if (!Files.isRegularFile(before.file())) {
      throw new CliError(before.file() + ": the baseline has no " + current.fileName());
    }
    Events loaded = Events.load(events);
    Verification verification = Verifier.verify(python, before, current, loaded, coldStarts,
        Duration.ofSeconds(timeoutS));
    String json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .writeValueAsString(verification.toJson()) + System.lineSeparator();
    Path stored = output != null ? output : HandlerSpec.resultFile(current.appDir());
    store(stored, json);
    PrintWriter out = spec.commandLine().getOut();
    if (format == Format.json) {
      out.print(json);
    } else {
      out.print(verification.toText());
      out.println("Stored in " + stored);
    }
    out.flush();
    return verification.outputsIdentical() ? ExitCodes.OK : ExitCodes.FINDINGS;
  }

  private static void store(Path file, String json) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Files.writeString(file, json);
    } catch (IOException e) {
      throw new CliError(file + ": cannot store the result: " + e.getMessage(), e);
    }
  }
}
