package dev.coldspy.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code coldspy profile HANDLER --event FILE...}: runs the profiler agent embedded in the jar with the
 * user's Python, so that the jar alone is enough to profile and check. The agent's output and errors go
 * straight to the terminal; its exit status decides ours (any failure is {@link ExitCodes#ERROR}).
 */
@Command(
    name = "profile",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Profile a Python handler through N cold starts with the profiler agent embedded in this jar.",
      "Writes a profile (default .coldspy/profiles/<app>.json) that 'coldspy check' reads."
    })
public final class ProfileCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "HANDLER", description = "path/to/handler.py:function")
  String handler;

  @Option(names = "--event", required = true, paramLabel = "PATH",
      description = "event JSON file, or a directory of *.json events (repeatable)")
  List<Path> events = new ArrayList<>();

  @Option(names = "--cold-starts", paramLabel = "N",
      description = "cold starts, each a fresh interpreter (agent default: 10)")
  Integer coldStarts;

  @Option(names = "--invocations", paramLabel = "K", description = "handler calls per cold start (agent default: 3)")
  Integer invocations;

  @Option(names = "--interval-ms", paramLabel = "MS",
      description = "sampling interval, 0 turns sampling off (agent default: 1)")
  Double intervalMs;

  @Option(names = "--clock", paramLabel = "cpu|wall",
      description = "sampling clock: cpu time, or wall time that also sees waits (agent default: cpu)")
  String clock;

  @Option(names = "--usage-signal", paramLabel = "SIGNAL",
      description = "exact, auto, sys.monitoring, setprofile or none (agent default: exact)")
  String usageSignal;

  @Option(names = "--name", paramLabel = "APP", description = "app name (default: the handler's directory name)")
  String name;

  @Option(names = "--memory-mb", paramLabel = "MB", description = "context.memory_limit_in_mb (agent default: 128)")
  Integer memoryMb;

  @Option(names = "--timeout-s", paramLabel = "S",
      description = "function timeout: context.get_remaining_time_in_millis() counts down from it"
          + " (agent default: 900)")
  Integer timeoutS;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "profile to write")
  Path output;

  @Option(names = "--python", paramLabel = "PYTHON", defaultValue = "python3",
      description = "the interpreter to profile with (default: ${DEFAULT-VALUE})")
  String python;

  @Override
  public Integer call() throws IOException, InterruptedException {
    checkInputs();
    Path agentHome = extract(ProfilerAgent.embedded(), ProfilerAgent.defaultCacheRoot());
    List<String> command = ProfilerAgent.command(python, agentHome, agentArguments());
    Process process;
    try {
      process = new ProcessBuilder(command).inheritIO().start();
    } catch (IOException e) {
      throw new CliError("cannot run the Python interpreter '" + python + "' (" + reason(e)
          + "); install Python 3 or name one with --python", e);
    }
    int status = process.waitFor();
    // The agent has already explained a failure on stderr.
    return status == 0 ? ExitCodes.OK : ExitCodes.ERROR;
  }

  /**
   * The agent's process for a {@code profile} command line (without the word {@code profile}), its output left
   * to the caller: the language server reads it, as its own stdout is the JSON-RPC stream.
   *
   * @throws CliError when an input is missing or the agent cannot be extracted
   * @throws picocli.CommandLine.ParameterException when the arguments are malformed
   */
  public static ProcessBuilder agentProcess(String... args) {
    ProfileCommand command = new ProfileCommand();
    new picocli.CommandLine(command).parseArgs(args);
    command.checkInputs();
    Path agentHome = extract(ProfilerAgent.embedded(), ProfilerAgent.defaultCacheRoot());
    return new ProcessBuilder(ProfilerAgent.command(command.python, agentHome, command.agentArguments()));
  }

  private void checkInputs() {
    int colon = handler.lastIndexOf(':');
    String handlerFile = colon > 0 ? handler.substring(0, colon) : handler;
    if (handlerFile.endsWith(".py") && !Files.isRegularFile(Path.of(handlerFile))) {
      throw new CliError("handler file not found: " + handlerFile);
    }
    for (Path event : events) {
      if (!Files.exists(event)) {
        throw new CliError("event file or directory not found: " + event);
      }
    }
  }

  private static Path extract(ProfilerAgent agent, Path cacheRoot) {
    try {
      return agent.extract(cacheRoot);
    } catch (IOException e) {
      try {
        // An unwritable cache (read-only home, CI sandbox) falls back to a private temporary copy.
        Path temporary = Files.createTempDirectory("coldspy-agent-");
        temporary.toFile().deleteOnExit();
        return agent.extract(temporary);
      } catch (IOException again) {
        throw new CliError("cannot extract the profiler agent to " + cacheRoot + " or a temporary directory: "
            + again.getMessage(), again);
      }
    }
  }

  /** The agent's own command line ({@code profiler/coldspy/__main__.py}). */
  List<String> agentArguments() {
    List<String> arguments = new ArrayList<>(List.of("run", handler));
    for (Path event : events) {
      arguments.add("--event");
      arguments.add(event.toString());
    }
    addOption(arguments, "--cold-starts", coldStarts);
    addOption(arguments, "--invocations", invocations);
    addOption(arguments, "--interval-ms", intervalMs);
    addOption(arguments, "--clock", clock);
    addOption(arguments, "--usage-signal", usageSignal);
    addOption(arguments, "--name", name);
    addOption(arguments, "--memory-mb", memoryMb);
    addOption(arguments, "--timeout-s", timeoutS);
    addOption(arguments, "--output", output);
    return arguments;
  }

  private static void addOption(List<String> arguments, String option, Object value) {
    if (value != null) {
      arguments.add(option);
      arguments.add(value.toString());
    }
  }

  private static String reason(IOException e) {
    String message = String.valueOf(e.getMessage());
    if (message.contains("error=2,")) {
      return "not found";
    }
    if (message.contains("error=13,")) {
      return "permission denied";
    }
    return message;
  }
}
