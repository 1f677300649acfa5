package dev.coldspy.cli;

import dev.coldspy.agent.AgentException;
import dev.coldspy.agent.AgentRequest;
import dev.coldspy.agent.ProfiledEnvironment;
import java.io.IOException;
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
      "Writes a profile (default .coldspy/profiles/<app>.json) that 'coldspy check' reads.",
      "The profiled interpreters inherit this command's environment variables unchanged (--env and --env-file"
          + " add or override some) and run in the handler's directory (--cwd), with that directory first on"
          + " sys.path (--pythonpath adds more, e.g. a Lambda layer's python/)."
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
      description = "exact, auto, sys.monitoring, code-counters, setprofile or none (agent default: exact)")
  String usageSignal;

  @Option(names = "--name", paramLabel = "APP", description = "app name (default: the handler's directory name)")
  String name;

  @Option(names = "--memory-mb", paramLabel = "MB", description = "context.memory_limit_in_mb (agent default: 128)")
  Integer memoryMb;

  @Option(names = "--timeout-s", paramLabel = "S",
      description = "function timeout: context.get_remaining_time_in_millis() counts down from it"
          + " (agent default: 900)")
  Integer timeoutS;

  @Option(names = "--env", paramLabel = "NAME=VALUE",
      description = "environment variable for the profiled interpreters (repeatable; wins over --env-file)")
  List<String> variables = new ArrayList<>();

  @Option(names = "--env-file", paramLabel = "PATH",
      description = "file of NAME=VALUE lines (# comments, optional 'export ', quotes removed) added to the"
          + " inherited environment (repeatable, later files win)")
  List<Path> envFiles = new ArrayList<>();

  @Option(names = "--cwd", paramLabel = "DIR",
      description = "working directory of the profiled interpreters (default: the handler's directory)")
  Path workingDirectory;

  @Option(names = "--pythonpath", paramLabel = "DIRS",
      description = "directories ('${sys:path.separator}'-separated, repeatable) searched after the handler's"
          + " directory and before an inherited PYTHONPATH")
  List<String> pythonPath = new ArrayList<>();

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "profile to write")
  Path output;

  @Option(names = "--python", paramLabel = "PYTHON", defaultValue = "python3",
      description = "the interpreter to profile with (default: ${DEFAULT-VALUE})")
  String python;

  @Override
  public Integer call() throws InterruptedException {
    ProcessBuilder agent;
    try {
      agent = request().process();
    } catch (AgentException e) {
      throw new CliError(e.getMessage(), e);
    }
    Process process;
    try {
      process = agent.inheritIO().start();
    } catch (IOException e) {
      throw new CliError("cannot run the Python interpreter '" + python + "' (" + reason(e)
          + "); install Python 3 or name one with --python", e);
    }
    int status = process.waitFor();
    // The agent has already explained a failure on stderr.
    return status == 0 ? ExitCodes.OK : ExitCodes.ERROR;
  }

  /** The agent run these options ask for. */
  AgentRequest request() {
    return new AgentRequest(python, handler, events, coldStarts, invocations, intervalMs, clock, usageSignal, name,
        memoryMb, timeoutS, output, new ProfiledEnvironment(variables, envFiles, workingDirectory, pythonPath));
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
