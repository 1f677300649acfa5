package dev.coldspy.verify;

import dev.coldspy.cli.CliError;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code APP_DIR/handler.py:FUNCTION}: the handler file's directory is the app's root (the task root Lambda puts
 * first on {@code sys.path}), the file's name without {@code .py} is the module that init imports — as Lambda's
 * runtime does it ({@code importlib.import_module}), so a file name that is no Python identifier
 * ({@code resize-image.py}) is a handler too. The spec is split as every command splits it
 * ({@link dev.coldspy.python.HandlerSpec}).
 *
 * @param appDir the directory that holds the handler file
 * @param fileName the handler file's name, e.g. {@code handler.py}
 * @param function the function each event is passed to
 */
public record HandlerSpec(Path appDir, String fileName, String function) {
  /**
   * Parses and checks a handler argument.
   *
   * @throws CliError when it is not {@code FILE.py:FUNCTION} or the file does not exist
   */
  public static HandlerSpec parse(String argument) {
    dev.coldspy.python.HandlerSpec spec = dev.coldspy.python.HandlerSpec.parse(argument);
    String file = spec.file();
    String function = spec.function();
    if (file == null || function == null || !file.endsWith(".py") || function.contains(".")) {
      throw new CliError(argument + ": expected APP_DIR/FILE.py:FUNCTION (e.g. app/handler.py:handler)");
    }
    Path path = Path.of(file).toAbsolutePath().normalize();
    if (!Files.isRegularFile(path)) {
      throw new CliError(file + ": handler file not found");
    }
    return new HandlerSpec(path.getParent(), path.getFileName().toString(), function);
  }

  /** The module init imports. */
  public String module() {
    return fileName.substring(0, fileName.length() - 3);
  }

  /** The handler file. */
  public Path file() {
    return appDir.resolve(fileName);
  }

  /** The same handler in another copy of the app (the baseline). */
  public HandlerSpec in(Path otherAppDir) {
    return new HandlerSpec(otherAppDir.toAbsolutePath().normalize(), fileName, function);
  }

  /** How the handler is named in output: {@code handler.py:handler}. */
  public String name() {
    return fileName + ":" + function;
  }
}
