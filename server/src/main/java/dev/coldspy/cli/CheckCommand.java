package dev.coldspy.cli;

import dev.coldspy.engine.Analysis;
import dev.coldspy.output.JsonOutput;
import dev.coldspy.output.SarifOutput;
import dev.coldspy.output.TextOutput;
import dev.coldspy.project.ProjectAnalysis;
import dev.coldspy.settings.Settings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code coldspy check}: ranks the import statements of an application by the import time they cost per
 * cold start, one finding per line in the compiler convention {@code path:line:col: CODE message}, then a
 * summary. Exit status ({@link ExitCodes}): 0 nothing at or above the failing severity, 1 findings at or
 * above it (or the init-time budget exceeded), 2 bad input (one line naming the file and the problem; the
 * good profiles are still used).
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Reports the import statements that make cold starts slow, ranked by the milliseconds a fix would save.",
      "Exit status: 0 nothing at or above fail-on, 1 such findings or the budget exceeded, 2 bad input."
    })
public final class CheckCommand implements Callable<Integer> {

  /** Output formats. */
  enum Format {
    text,
    json,
    sarif
  }

  @Spec CommandSpec spec;

  @Mixin ProjectOptions options;

  @Option(names = "--format", paramLabel = "FORMAT", description = "text (default), json or sarif.")
  Format format = Format.text;

  @Option(names = "--budget-ms", paramLabel = "N",
      description = "Fail when the handler's median init time exceeds N ms (overrides budget-ms).")
  Double budgetMs;


  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Map<String, Object> overrides = options.overrides();
    overrides.put("budget-ms", budgetMs);
    CommandLineProject project = options.project(overrides, err);
    Settings settings = project.settings();
    Optional<ProjectAnalysis> analysed = options.analyse(project);
    if (analysed.isEmpty()) {
      return ExitCodes.ERROR;
    }
    Analysis analysis = analysed.get().analysis();
    List<Analysis> analyses = List.of(analysis);
    Double budget = settings.budgetMs();
    print(analyses, budget, analysed.get().project().directory(), out);
    out.flush();
    if (project.hadErrors()) {
      return ExitCodes.ERROR;
    }
    boolean failing = analysis.findings().stream().anyMatch(f -> settings.failsCheck(f.severity()));
    boolean overBudget = budget != null && analyses.stream().anyMatch(a -> a.summary().exceedsBudget(budget));
    return failing || overBudget ? ExitCodes.FINDINGS : ExitCodes.OK;
  }

  private void print(List<Analysis> analyses, Double budgetMs, Path sourceRoot, PrintWriter out) {
    switch (format) {
      case json -> out.print(JsonOutput.write(analyses, budgetMs));
      case sarif -> out.print(SarifOutput.write(analyses, Main.Version.current(), budgetMs,
          SarifOutput.sourceRootBase(sourceRoot)));
      case text -> TextOutput.write(analyses, budgetMs, out);
    }
  }
}
