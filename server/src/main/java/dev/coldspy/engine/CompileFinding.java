package dev.coldspy.engine;

import dev.coldspy.rules.RuleCode;
import dev.coldspy.rules.Severity;
import java.util.List;

/**
 * The application's modules were compiled from source on every cold start ({@link RuleCode#COMPILED_FROM_SOURCE}):
 * reported on the handler function's {@code def}, as no import statement is at fault.
 *
 * @param file the handler's file as findings show it, or null when it is not among the checked files (the
 *     finding then appears only with the summary)
 * @param oneBasedLine the handler function's {@code def} line (1 when the function is not found)
 * @param oneBasedColumn 1-based column of the {@code def}
 * @param severity from the estimated saving and the settings
 * @param message what and how much, at most {@link Classifier#MESSAGE_LIMIT} characters: how many modules, the
 *     time and its share of init, the fix
 * @param detail the rest: the largest packages, the cause, the fix's command and the estimate's basis
 * @param compileUs the estimate: median over the cold starts of the time compiling the application's modules
 * @param initShare {@code compileUs} as a fraction of the median init time
 * @param modules median number of modules compiled per cold start
 * @param coldStarts cold starts with bytecode records the medians are over
 * @param packages the largest top-level packages compiled, largest first
 * @param causes why, as far as the profile tells, largest share of the compile time first
 */
public record CompileFinding(
    String file,
    int oneBasedLine,
    int oneBasedColumn,
    Severity severity,
    String message,
    String detail,
    double compileUs,
    double initShare,
    int modules,
    int coldStarts,
    List<CompileCosts.PackageCompile> packages,
    List<CompileCosts.Cause> causes) {
  public CompileFinding {
    packages = List.copyOf(packages);
    causes = List.copyOf(causes);
  }

  public RuleCode rule() {
    return RuleCode.COMPILED_FROM_SOURCE;
  }

  /** The saving if fixed: the measured compile time (bytecode read from a cache costs next to nothing). */
  public double savingUs() {
    return compileUs;
  }
}
