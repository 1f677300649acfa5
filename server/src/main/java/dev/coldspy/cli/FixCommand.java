package dev.coldspy.cli;

import dev.coldspy.engine.Finding;
import dev.coldspy.engine.LibraryLine;
import dev.coldspy.engine.UnusedPart;
import dev.coldspy.fix.FixApplier;
import dev.coldspy.fix.FixPlan;
import dev.coldspy.fix.FixRequest;
import dev.coldspy.project.ProjectAnalysis;
import dev.coldspy.python.ImportStatement;
import dev.coldspy.python.PythonModule;
import dev.coldspy.rules.FixKind;
import dev.coldspy.rules.RuleCode;
import dev.coldspy.text.UnifiedDiff;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
          + " PEP 810 lazy import, replace; with --vendored also inside vendored libraries); with --diff prints"
          + " them as a unified diff instead.",
      "Exit status: 0 nothing left, 1 findings remain (or, with --diff, changes shown), 2 bad input."
    })
public final class FixCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ProjectOptions options;

  @Option(names = "--diff", description = "Print the fixes as a unified diff; change no file.")
  boolean diff;

  @Option(names = "--vendored", description = "Also defer, inside libraries shipped in the function's folder"
      + " (*.dist-info next to them, or the vendored setting), the import of each part that never ran (CS106):"
      + " a PEP 562 __getattr__ for a package's re-export, else an import inside the functions that use it;"
      + " under the same safety rules as the app's code.")
  boolean vendored;

  /** A fix to try in one file, and how to name it in the output. */
  private record Item(FixRequest request, String where) {}

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
    Map<Path, List<Item>> vendoredItems = new HashMap<>();
    if (vendored) {
      remaining += vendoredItems(analysis, vendoredItems, out);
    }
    for (Map.Entry<Path, PythonModule> source : analysis.modules().entrySet()) {
      Path file = source.getKey();
      PythonModule module = source.getValue();
      List<Finding> findings = analysis.statements(file).stream()
          .flatMap(statement -> statement.finding().stream())
          .toList();
      List<Item> items = new ArrayList<>();
      for (Finding finding : findings) {
        if (!finding.fixes().isEmpty()) {
          items.add(new Item(new FixRequest(finding.ref().index(), Set.of(), finding.fixes()), where(finding)));
        } else if (!(vendored && finding.rule() == RuleCode.UNUSED_PART)) {
          remaining++; // with --vendored an unused part counts by its library lines below
        }
      }
      items.addAll(vendoredItems.getOrDefault(file, List.of()));
      if (items.isEmpty()) {
        continue;
      }
      FixApplier.Result result = applier.apply(module, items.stream().map(Item::request).toList());
      for (int i = 0; i < items.size(); i++) {
        FixPlan plan = result.plans().get(i);
        if (plan instanceof FixPlan.Safe safe) {
          fixed++;
          if (!diff) {
            out.println(items.get(i).where() + " fixed: " + safe.title()
                + (safe.caveat().isEmpty() ? "" : " (note: " + safe.caveat() + ")"));
          }
        } else {
          remaining++;
          out.println(items.get(i).where() + " not fixed: " + ((FixPlan.Unsafe) plan).reason());
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

  /**
   * The fixes {@code --vendored} tries: for each unused part (CS106, at least {@code min-ms}) whose importing
   * line lies in a vendored library's file, that line's statement — a package's {@code __init__.py} re-export
   * deferred with a module {@code __getattr__} (else moved into functions), any other module's import moved
   * into the functions that use it. Each library line once.
   *
   * @return the unused parts that cannot be tried (their line is in no vendored file, or no longer an import),
   *     each said on {@code out}
   */
  private static int vendoredItems(ProjectAnalysis analysis, Map<Path, List<Item>> items, PrintWriter out) {
    int untried = 0;
    double minUs = analysis.project().settings().minMs() * 1000;
    Set<String> seen = new HashSet<>();
    for (Finding finding : analysis.analysis().findings()) {
      if (finding.rule() != RuleCode.UNUSED_PART) {
        continue;
      }
      for (UnusedPart part : finding.cost().unusedParts()) {
        LibraryLine line = part.libraryLine();
        if (part.costUs() < minUs || line == null || !seen.add(line.file() + ":" + line.oneBasedLine())) {
          continue;
        }
        String where = line.location() + ": " + RuleCode.UNUSED_PART.code() + " (" + part.module() + ", for "
            + finding.file() + ":" + finding.oneBasedLine() + ")";
        Path file = analysis.project().localFile(line.file());
        PythonModule module = analysis.modules().get(file);
        if (module == null || !analysis.project().vendored().contains(analysis.project().relativePath(file))) {
          untried++;
          out.println(where + " not fixed: the library is not shipped in the function's folder (vendor it, or ask"
              + " its maintainers to import " + part.module() + " lazily)");
          continue;
        }
        Optional<ImportStatement> statement = module.imports().moduleLevel().stream()
            .filter(s -> s.coversLine(line.oneBasedLine() - 1)).findFirst();
        if (statement.isEmpty()) {
          untried++;
          out.println(where + " not fixed: no module-level import on that line of " + analysis.project()
              .relativePath(file) + " (the file differs from the profiled one; profile again)");
          continue;
        }
        List<FixKind> kinds = module.identity().packageInit()
            ? List.of(FixKind.LAZY_REEXPORT, FixKind.LAZY_LOAD) : List.of(FixKind.LAZY_LOAD);
        items.computeIfAbsent(file, f -> new ArrayList<>())
            .add(new Item(new FixRequest(statement.get().index(), Set.of(), kinds), where));
      }
    }
    return untried;
  }

  private static String where(Finding finding) {
    return finding.file() + ":" + finding.oneBasedLine() + ":" + finding.oneBasedColumn() + ": " + finding.rule().code();
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CliError(file + ": cannot write: " + e.getMessage());
    }
  }
}
