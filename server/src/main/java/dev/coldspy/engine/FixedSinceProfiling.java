package dev.coldspy.engine;

/**
 * An import the profile saw running at init that the code, as it reads now, no longer runs there: moved into
 * a function, guarded by {@code if TYPE_CHECKING:}, removed or replaced since the profile was taken. It gets
 * no finding and its import time counts in no saving; the editor shows {@link #HINT} until a new profile
 * confirms the change.
 *
 * @param file display path of the file the profile recorded the import in
 * @param oneBasedLine where the hint goes: the first statement that now imports the module inside a function
 *     or for type checking only; for a removed import, the line the profile recorded it at
 * @param ref that statement, or null when the import was removed
 * @param subject the modules the recorded statement imported ({@code pandas}, {@code rich.console})
 * @param costUs median import time per cold start that left init (with the modules they imported)
 */
public record FixedSinceProfiling(String file, int oneBasedLine, StatementRef ref, String subject, double costUs) {
  /** What the editor shows on the line. */
  public static final String HINT = "fixed since profiling — re-profile to confirm";

  /** True when no statement of the file imports the modules any more (removed, or replaced by another library). */
  public boolean removed() {
    return ref == null;
  }
}
