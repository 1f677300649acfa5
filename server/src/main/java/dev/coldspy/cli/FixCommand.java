package dev.coldspy.cli;

import dev.coldspy.engine.Finding;
import dev.coldspy.fix.FixApplier;
import dev.coldspy.fix.FixPlan;
import dev.coldspy.fix.FixRequest;
import dev.coldspy.project.ProjectAnalysis;
import dev.coldspy.python.PythonModule;
import dev.coldspy.text.UnifiedDiff;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code coldspy fix}: like {@code ruff check --fix}, applies the safe fixes of the findings {@code check}
 * reports (same profile discovery and settings). For each finding the fix kinds it allows are tried in order
 * of preference and the first safe one is applied; findings with no safe fix are listed with the reason.
 * With {@code --diff} nothing is written: the changes are printed as a unified diff. Exit status: 0 nothing
 * left to fix (with {@code --diff}: no change to show), 1 findings remain unfixed (with {@code --diff}:
 * changes shown), 2 bad input.
 */
@Command(
    name = "fix",
    mixinStandardHelpOptions = true,
    description = {
      "Applies the safe fixes for the findings of 'check' (lazy-load, remove, TYPE_CHECKING guard,"
          + " PEP 810 lazy import, replace); with --diff prints them as a unified diff instead.",
      "Exit status: 0 nothing left, 1 findings remain (or, with --diff, changes shown), 2 bad input."
    })
public final class FixCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ProjectOptions options;

  @Option(names = "--diff", description = "Print the fixes as a unified diff; change no file.")
  boolean diff;


  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    CommandLineProject project = options.project(options.overrides(), err);
    Optional<ProjectAnalysis> analysed = options.analyse(project);
    if (analysed.isEmpty()) {
      return ExitCodes.ERROR;
    }
    ProjectAnalysis analysis = analysed.get();
    FixApplier applier = new FixApplier(analysis.fixPlanner());
    int fixed = 0;
    int remaining = 0;
    boolean changed = false;
    for (Map.Entry<Path, PythonModule> source : analysis.modules().entrySet()) {
      Path file = source.getKey();
      PythonModule module = source.getValue();
      List<Finding> findings = analysis.statements(file).stream()
          .flatMap(statement -> statement.finding().stream())
          .toList();
      List<FixRequest> requests = new ArrayList<>();
      List<Finding> requested = new ArrayList<>();
      for (Finding finding : findings) {
        if (finding.fixes().isEmpty()) {
          remaining++;
          continue;
        }
        requests.add(new FixRequest(finding.ref().index(), Set.of(), finding.fixes()));
        requested.add(finding);
      }
      if (requests.isEmpty()) {
        continue;
      }
      Optional<Path> elsewhere = outsideProject(file, analysis.project().directory());
      if (elsewhere.isPresent()) {
        for (Finding finding : requested) {
          remaining++;
          out.println(where(finding) + " not fixed: the file is a symbolic link to " + elsewhere.get()
              + ", outside the project; fix it where it lives");
        }
        continue;
      }
      FixApplier.Result result = applier.apply(module, requests);
      for (int i = 0; i < requested.size(); i++) {
        FixPlan plan = result.plans().get(i);
        if (plan instanceof FixPlan.Safe safe) {
          fixed++;
          if (!diff) {
            out.println(where(requested.get(i)) + " fixed: " + safe.title()
                + (safe.caveat().isEmpty() ? "" : " (note: " + safe.caveat() + ")"));
          }
        } else {
          remaining++;
          out.println(where(requested.get(i)) + " not fixed: " + ((FixPlan.Unsafe) plan).reason());
        }
      }
      if (!result.changed(module)) {
        continue;
      }
      changed = true;
      if (diff) {
        out.print(UnifiedDiff.of(analysis.project().relativePath(file), module.source(), result.module().source()));
      } else {
        write(file, result.module().source());
      }
    }
    out.println(summary(fixed, remaining));
    out.flush();
    if (project.hadErrors()) {
      return ExitCodes.ERROR;
    }
    if (diff) {
      return changed ? ExitCodes.FINDINGS : ExitCodes.OK;
    }
    return remaining > 0 ? ExitCodes.FINDINGS : ExitCodes.OK;
  }

  private String summary(int fixed, int remaining) {
    if (diff) {
      return "Would fix " + fixed + (fixed == 1 ? " finding" : " findings")
          + (remaining > 0 ? " (" + remaining + " not fixable)" : "") + ".";
    }
    if (fixed == 0 && remaining == 0) {
      return "All checks passed!";
    }
    return "Fixed " + fixed + (fixed == 1 ? " finding" : " findings") + ", " + remaining + " remaining.";
  }

  private static String where(Finding finding) {
    return finding.file() + ":" + finding.oneBasedLine() + ":" + finding.oneBasedColumn() + ": " + finding.rule().code();
  }

  /** Where {@code file} really is when that is outside {@code projectDirectory} (through a symlink). */
  private static Optional<Path> outsideProject(Path file, Path projectDirectory) {
    try {
      Path real = file.toRealPath();
      return real.startsWith(projectDirectory.toRealPath()) ? Optional.empty() : Optional.of(real);
    } catch (IOException unresolvable) {
      return Optional.empty(); // writing will report it
    }
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CliError(file + ": cannot write: " + e.getMessage());
    }
  }
}
