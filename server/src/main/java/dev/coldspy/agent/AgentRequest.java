package dev.coldspy.agent;

import dev.coldspy.python.HandlerSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One run of the profiler agent embedded in the jar, as {@code coldspy profile} and the editor's profile
 * command ask for it. Null options are left to the agent's defaults.
 *
 * @param python the interpreter to profile with
 * @param handler {@code path/to/handler.py:function} or {@code pkg.mod.function}
 * @param events event JSON files or folders of them
 * @param output the profile to write, or null for the agent's default
 * @param environment what the profiled interpreters see besides the caller's environment
 */
public record AgentRequest(
    String python,
    String handler,
    List<Path> events,
    Integer coldStarts,
    Integer invocations,
    Double intervalMs,
    String clock,
    String usageSignal,
    String name,
    Integer memoryMb,
    Integer timeoutS,
    Path output,
    ProfiledEnvironment environment) {
  public AgentRequest {
    events = List.copyOf(events);
    environment = environment == null ? ProfiledEnvironment.INHERITED : environment;
  }

  /** A run with the agent's defaults but for the cold starts (null: the agent's default) and the output. */
  public static AgentRequest of(String python, String handler, List<Path> events, Integer coldStarts, Path output) {
    return new AgentRequest(python, handler, events, coldStarts, null, null, null, null, null, null, null, output,
        ProfiledEnvironment.INHERITED);
  }

  /**
   * The agent's process for this request, its output left to the caller: the command line lets it inherit the
   * terminal, the language server reads it (its own stdout is the JSON-RPC stream). Extracts the agent on
   * first use (a per-user cache, else a temporary folder).
   *
   * @throws AgentException when the handler file, an event, an env file, the working directory or a path
   *     directory is missing, an {@code --env} assignment is malformed, or the agent cannot be extracted
   */
  public ProcessBuilder process() {
    checkInputs();
    Path agentHome = extract(ProfilerAgent.embedded(), ProfilerAgent.defaultCacheRoot());
    return new ProcessBuilder(ProfilerAgent.command(python, agentHome, agentArguments()));
  }

  private void checkInputs() {
    String file = HandlerSpec.parse(handler).file();
    if (file != null && file.endsWith(".py") && !Files.isRegularFile(Path.of(file))) {
      throw new AgentException("handler file not found: " + file);
    }
    for (Path event : events) {
      if (!Files.exists(event)) {
        throw new AgentException("event file or directory not found: " + event);
      }
    }
    environment.check();
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
        throw new AgentException("cannot extract the profiler agent to " + cacheRoot + " or a temporary directory: "
            + again.getMessage(), again);
      }
    }
  }

  /** The agent's own command line ({@code profiler/coldspy/__main__.py}). */
  public List<String> agentArguments() {
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
    environment.addArguments(arguments);
    return arguments;
  }

  private static void addOption(List<String> arguments, String option, Object value) {
    if (value != null) {
      arguments.add(option);
      arguments.add(value.toString());
    }
  }
}
