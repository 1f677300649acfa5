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
    if (spec.file() == null || spec.function() == null) {
      throw notAHandler(argument);
    }
    return of(Path.of(spec.file()), spec.function());
  }

  /**
   * The handler a file and function name (as the editor's command resolves them), checked as {@link #parse}
   * checks an argument.
   *
   * @throws CliError when the file is no {@code .py} file, the function is no plain name, or the file does not
   *     exist
   */
  public static HandlerSpec of(Path file, String function) {
    if (!file.toString().endsWith(".py") || function.contains(".")) {
      throw notAHandler(file + ":" + function);
    }
    Path path = file.toAbsolutePath().normalize();
    if (!Files.isRegularFile(path)) {
      throw new CliError(file + ": handler file not found");
    }
    return new HandlerSpec(path.getParent(), path.getFileName().toString(), function);
  }

  private static CliError notAHandler(String argument) {
    return new CliError(argument + ": expected APP_DIR/FILE.py:FUNCTION (e.g. app/handler.py:handler)");
  }

  /**
   * Where the verification of a handler in {@code appDir} is stored, relative to the project's folder: beside
   * the profiles, {@code .coldspy/verify/<app>.json}, as both {@code coldspy verify} and the editor store it.
   */
  public static Path resultFile(Path appDir) {
    return Path.of(".coldspy", "verify", appDir.getFileName() + ".json");
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
