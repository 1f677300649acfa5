package dev.coldspy.cli;

import dev.coldspy.project.ProjectAnalysis;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The options {@code check} and {@code fix} share (a picocli mixin): which profiles, which findings, which
 * target Python, which knowledge file, and the app's paths. The same words in both commands' help, one place
 * that turns them into settings overrides.
 */
final class ProjectOptions {
  @Mixin ProfileOptions profileOptions;

  @Option(names = "--min-ms", paramLabel = "N",
      description = "Only findings saving at least N ms per cold start (overrides min-ms of [tool.coldspy]).")
  Double minMs;

  @Option(names = "--target-python", paramLabel = "X.Y",
      description = "Python version the code must run on (decides PEP 810 and rewrite fixes; overrides"
          + " target-python; default: the profiled interpreter's).")
  String targetPython;

  @Parameters(paramLabel = "PATH", arity = "1..*", description = "Python files or directories of the app.")
  List<Path> paths = new ArrayList<>();

  /** The settings these options override ({@code [tool.coldspy]} keys; null values leave a setting alone). */
  Map<String, Object> overrides() {
    Map<String, Object> overrides = new LinkedHashMap<>();
    overrides.put("min-ms", minMs);
    overrides.put("target-python", targetPython);
    return overrides;
  }

  CommandLineProject project(Map<String, Object> overrides, PrintWriter err) {
    return new CommandLineProject(paths, overrides, err);
  }

  /**
   * The project of these options analysed, or empty when no profile could be used (the reasons are printed).
   */
  Optional<ProjectAnalysis> analyse(CommandLineProject project) {
    return profileOptions.analyse(project);
  }
}
