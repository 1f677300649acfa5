package dev.coldspy.engine;

import dev.coldspy.profile.Profile;
import dev.coldspy.profile.ProfileSet;
import dev.coldspy.python.FunctionDefinition;
import dev.coldspy.python.HandlerSpec;
import dev.coldspy.rules.RuleCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The rule {@link RuleCode#COMPILED_FROM_SOURCE}: "N modules compiled from source on every cold start: X ms
 * (Y % of init)". The estimate is the measured compile time (median over the cold starts); no finding when the
 * modules came from cached bytecode, when the profiles do not record bytecode, or below {@code min-ms}.
 */
final class CompiledFromSource {
  private static final int PACKAGES_NAMED = 3;

  private CompiledFromSource() {}

  static Optional<CompileFinding> find(CompileCosts costs, ProfileSet profiles, List<SourceFile> files,
      EngineSettings settings) {
    if (costs.coldStarts() == 0 || costs.medianUs() <= 0 || costs.medianUs() < settings.minMs() * 1000
        || settings.ignores(RuleCode.COMPILED_FROM_SOURCE)) {
      return Optional.empty();
    }
    double init = profiles.initUs().median();
    double share = init > 0 ? costs.medianUs() / init : 0;
    String file = null;
    int line = 1;
    int column = 1;
    String handler = profiles.app().handler();
    if (handler != null) {
      HandlerSpec spec = HandlerSpec.parse(handler);
      for (SourceFile source : files) {
        if (spec.isHandlerFile(source.relativePath(), source.moduleName())) {
          file = source.displayPath();
          ImportSite first = firstStatement(source);
          if (first != null) {
            line = first.oneBasedLine();
            column = first.oneBasedColumn();
          }
          for (FunctionDefinition function : source.functions()) {
            if (function.qualifiedName().equals(spec.function())) {
              line = function.firstLine() + 1;
              column = 1;
              break;
            }
          }
          if (source.suppresses(line, RuleCode.COMPILED_FROM_SOURCE.code())) {
            return Optional.empty();
          }
          break;
        }
      }
    }
    return Optional.of(new CompileFinding(file, line, column, settings.severityFor(costs.medianUs() / 1000),
        message(costs, share), detail(costs, cacheTag(profiles)), costs.medianUs(), share, costs.medianModules(),
        costs.coldStarts(), costs.packages().subList(0, Math.min(PACKAGES_NAMED, costs.packages().size())),
        costs.causes()));
  }

  /** The file's first statement (import or not), where the finding goes when the handler function is not found. */
  private static ImportSite firstStatement(SourceFile source) {
    ImportSite first = null;
    for (List<ImportSite> sites : List.of(source.imports(), source.otherStatements())) {
      for (ImportSite site : sites) {
        if (first == null || site.oneBasedLine() < first.oneBasedLine()) {
          first = site;
        }
      }
    }
    return first;
  }

  /**
   * What and how much, short enough for a Problems panel or a terminal line ({@link Classifier#MESSAGE_LIMIT}):
   * {@code 8 modules compiled from source on every cold start: 1.5 ms (3 % of init) — coldspy precompile saves
   * it}.
   */
  private static String message(CompileCosts costs, double share) {
    int modules = costs.medianModules();
    return Units.count(modules) + (modules == 1 ? " module" : " modules")
        + " compiled from source on every cold start: " + Units.ms(costs.medianUs())
        + " (" + percent(share) + " of init) — coldspy precompile saves it";
  }

  /** A share in whole percent; "<1 %" below one percent, so that a small share never reads as none. */
  private static String percent(double share) {
    return share * 100 < 1 ? "<1 %" : String.format(Locale.ROOT, "%.0f %%", share * 100);
  }

  /** The rest, for the hover and {@code --format json}: the largest packages, the cause, the fix and estimate. */
  private static String detail(CompileCosts costs, String cacheTag) {
    StringBuilder detail = new StringBuilder();
    List<String> largest = new ArrayList<>();
    for (CompileCosts.PackageCompile pkg : costs.packages().subList(0, Math.min(PACKAGES_NAMED,
        costs.packages().size()))) {
      largest.add(pkg.name() + " " + Units.ms(pkg.compileUs()));
    }
    if (!largest.isEmpty()) {
      detail.append("Largest: ").append(String.join(", ", largest)).append(". ");
    }
    if (!costs.causes().isEmpty()) {
      detail.append("Cause: ").append(costs.causes().stream().map(cause -> cause == CompileCosts.Cause.OTHER_VERSION
          && cacheTag != null ? cause.description() + " (this runtime reads " + cacheTag + ")" : cause.description())
          .collect(Collectors.joining("; "))).append(". ");
    }
    detail.append("Write bytecode for the runtime's Python into the deployment (coldspy precompile DIR): saves ~")
        .append(Units.ms(costs.medianUs())).append(" per cold start (the measured compile time, median over ")
        .append(costs.coldStarts()).append(costs.coldStarts() == 1 ? " cold start)." : " cold starts).");
    return detail.toString();
  }

  private static String cacheTag(ProfileSet profiles) {
    for (Profile profile : profiles.profiles()) {
      if (profile.environment().cacheTag() != null) {
        return profile.environment().cacheTag();
      }
    }
    return null;
  }
}
