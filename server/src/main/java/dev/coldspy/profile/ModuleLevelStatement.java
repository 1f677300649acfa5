package dev.coldspy.profile;

import java.util.List;
import java.util.Objects;

/**
 * The module-level statement that was running when an init-phase import was triggered from inside a function
 * (or class body) rather than by a module body: {@code model = joblib.load(path)} at the top of the handler,
 * which unpickles, which imports sklearn. The profile records it for such imports only (the trigger is then
 * the function's line, e.g. in pickle).
 *
 * @param file the recorded absolute path of the module whose body runs the statement (the innermost module
 *     body on the stack: the app's file, or a library's whose own import ran a call)
 * @param line its 1-based line
 * @param calls the frames from the statement down to the trigger, outermost first (at most a few at each
 *     end)
 * @param omittedFrames frames left out of the middle of {@code calls}
 */
public record ModuleLevelStatement(String file, int line, List<Call> calls, int omittedFrames) {
  /**
   * One call on the way from the statement to the import.
   *
   * @param file recorded absolute path
   * @param line 1-based line of the call (or of the import, for the last)
   * @param function the function's qualified name
   */
  public record Call(String file, int line, String function) {
    public Call {
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(function, "function");
    }
  }

  public ModuleLevelStatement {
    Objects.requireNonNull(file, "file");
    calls = List.copyOf(calls);
  }
}
