package dev.coldspy.agent;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What the profiled interpreters see besides the caller's environment, which they inherit unchanged: the
 * agent's {@code --env}, {@code --env-file}, {@code --cwd} and {@code --pythonpath} options.
 *
 * @param variables {@code NAME=VALUE} assignments, later ones winning, all winning over the env files
 * @param envFiles dotenv-style files of {@code NAME=VALUE} lines, later files winning
 * @param workingDirectory the interpreters' working directory, or null for the handler's directory
 * @param pythonPath {@link File#pathSeparator}-separated directory lists searched after the handler's directory
 */
public record ProfiledEnvironment(
    List<String> variables, List<Path> envFiles, Path workingDirectory, List<String> pythonPath) {
  /** The caller's environment, as it is; the handler's directory as the working directory. */
  public static final ProfiledEnvironment INHERITED = new ProfiledEnvironment(List.of(), List.of(), null, List.of());

  /** The agent's rule for a variable's name ({@code profiler/coldspy/runner.py}, env_assignment). */
  private static final Pattern ASSIGNMENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*=.*", Pattern.DOTALL);

  public ProfiledEnvironment {
    variables = List.copyOf(variables);
    envFiles = List.copyOf(envFiles);
    pythonPath = List.copyOf(pythonPath);
  }

  /**
   * Checks what the agent would refuse, so that the user hears of it before any interpreter starts.
   *
   * @throws AgentException naming the option and the value at fault
   */
  void check() {
    for (String variable : variables) {
      if (!ASSIGNMENT.matcher(variable).matches()) {
        throw new AgentException("--env: expected NAME=VALUE with NAME made of letters, digits and _, got '"
            + variable + "'");
      }
    }
    for (Path envFile : envFiles) {
      if (!Files.isRegularFile(envFile)) {
        throw new AgentException("--env-file: " + envFile + " is not a file");
      }
    }
    if (workingDirectory != null && !Files.isDirectory(workingDirectory)) {
      throw new AgentException("--cwd: " + workingDirectory + " is not a directory");
    }
    for (String directories : pythonPath) {
      for (String directory : directories.split(Pattern.quote(File.pathSeparator))) {
        if (!directory.isEmpty() && !Files.isDirectory(Path.of(directory))) {
          throw new AgentException("--pythonpath: " + directory + " is not a directory");
        }
      }
    }
  }

  /** The agent's options for this environment. */
  void addArguments(List<String> arguments) {
    for (String variable : variables) {
      arguments.add("--env");
      arguments.add(variable);
    }
    for (Path envFile : envFiles) {
      arguments.add("--env-file");
      arguments.add(envFile.toString());
    }
    if (workingDirectory != null) {
      arguments.add("--cwd");
      arguments.add(workingDirectory.toString());
    }
    for (String directories : pythonPath) {
      arguments.add("--pythonpath");
      arguments.add(directories);
    }
  }
}
