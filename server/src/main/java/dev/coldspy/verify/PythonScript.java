package dev.coldspy.verify;

import dev.coldspy.cli.CliError;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A single-file Python script shipped as a resource of this jar and run with {@code python -c}: nothing is
 * extracted to disk, so two runs of different jars never share a stale copy.
 */
public final class PythonScript {
  private final String name;
  private final String source;

  private PythonScript(String name, String source) {
    this.name = name;
    this.source = source;
  }

  /** The script {@code resource} next to {@code owner}'s class file. */
  public static PythonScript resource(Class<?> owner, String resource) {
    try (InputStream in = owner.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("this build of coldspy.jar lacks the resource " + resource);
      }
      return new PythonScript(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code python -c SOURCE arguments...}: the script sees {@code arguments} as {@code sys.argv[1:]}. */
  public List<String> command(String python, List<String> arguments) {
    List<String> command = new ArrayList<>(List.of(python, "-c", source));
    command.addAll(arguments);
    return command;
  }

  /**
   * Starts {@code builder}, whose command came from {@link #command}.
   *
   * @throws CliError when the interpreter cannot be run (not found, not executable)
   */
  public Process start(ProcessBuilder builder, String python) {
    try {
      return builder.start();
    } catch (IOException e) {
      throw new CliError("cannot run the Python interpreter '" + python + "' (" + reason(e)
          + "); install Python 3 or name one with --python", e);
    }
  }

  @Override
  public String toString() {
    return name;
  }

  private static String reason(IOException e) {
    // "Cannot run program "x": error=2, No such file or directory" → "No such file or directory"
    String message = String.valueOf(e.getMessage());
    int errno = message.indexOf("error=");
    int comma = errno < 0 ? -1 : message.indexOf(", ", errno);
    return comma < 0 ? message : message.substring(comma + 2);
  }
}
