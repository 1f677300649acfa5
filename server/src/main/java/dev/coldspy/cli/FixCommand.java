package dev.coldspy.cli;

import dev.coldspy.engine.Analysis;
import dev.coldspy.engine.CompileFinding;
import dev.coldspy.engine.Finding;
import dev.coldspy.engine.LibraryLine;
import dev.coldspy.engine.PythonVersion;
import dev.coldspy.engine.Units;
import dev.coldspy.engine.UnusedPart;
import dev.coldspy.engine.UsageEvidence;
import dev.coldspy.fix.FixApplier;
import dev.coldspy.fix.FixPlan;
import dev.coldspy.fix.FixRequest;
import dev.coldspy.fix.LazyImportsBootstrap;
import dev.coldspy.output.TerminalLines;
import dev.coldspy.project.ProjectAnalysis;
import dev.coldspy.project.ProjectAnalysis.AnalysedStatement;
import dev.coldspy.python.HandlerSpec;
import dev.coldspy.python.PythonModule;
import dev.coldspy.rules.FixKind;
import dev.coldspy.rules.RuleCode;
import dev.coldspy.text.SpanEdit;
import dev.coldspy.text.UnifiedDiff;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code coldspy fix}: like {@code ruff check --fix}, applies the safe fixes of the findings {@code check}
 * reports (same profile discovery and settings). For each finding the fix kinds it allows are tried in order
 * of preference and the first safe one is applied; findings with no safe fix are listed with the reason. A
 * fix that saves nothing net, or nothing in the median cold start, is not applied unless {@code
 * --include-no-saving} asks for it: deferring an import every cold start (or most of them) uses moves its cost
 * from init into the first invocation, which a user waits for just the same ({@link
 * dev.coldspy.engine.Finding#estimateFor}, {@link #mostlyMoves}).
 * Every finding left unfixed gets a line with the reason (CS107 too, which {@code coldspy precompile} fixes);
 * an applied deferral that moves more than {@value #SILENT_MOVE_US} µs into the first invocation of the cold
 * starts that use the import says how much and in how many. Long lines are wrapped ({@link TerminalLines}).
 * With {@code --diff} nothing is written: the changes are printed as a unified diff. Exit status: 0 nothing
 * left to fix, 1 findings remain unfixed or (with {@code --diff}) changes are shown, 2 bad input.
 */
@Command(
    name = "fix",
    mixinStandardHelpOptions = true,
    description = {
      "Applies the safe fixes for the findings of 'check' (lazy-load, remove, TYPE_CHECKING guard,"
          + " PEP 810 lazy import, replace; with --vendored also inside vendored libraries); with --diff prints"
          + " them as a unified diff instead.",
      "Exit status: 0 nothing left to fix, 1 findings remain unfixed or (with --diff) changes shown,"
          + " 2 bad input."
    })
public final class FixCommand implements Callable<Integer> {
  /** Issue 12: a fix moves nothing heavier than this into the first request without saying so. */
  static final double SILENT_MOVE_US = 10_000;

  @Spec CommandSpec spec;

  @Mixin ProjectOptions options;

  @Option(names = "--diff", description = "Print the fixes as a unified diff; change no file.")
  boolean diff;

  @Option(names = "--vendored", description = "Also defer, inside libraries shipped in the function's folder"
      + " (*.dist-info next to them, or the vendored setting), the import of each part that never ran (CS106):"
      + " a PEP 562 __getattr__ for a package's re-export, else an import inside the functions that use it;"
      + " under the same safety rules as the app's code.")
  boolean vendored;

  @Option(names = "--include-no-saving", description = "Also apply fixes that save nothing net or nothing in"
      + " the median cold start: deferring an import that every cold start (or most of them) uses moves its cost"
      + " from init into the first invocation.")
  boolean includeNoSaving;

  /**
   * A fix to try in one file, how to name it in the output, what to add when it is refused ("" or why the
   * fixes left out would not pay), and the finding it fixes (null for a vendored library's line).
   *
   * @param group for a line of a finding whose lines go together (applied all or none), the finding's index in
   *     the groups; else -1
   * @param line for such a line, which of the finding's lines it is (the first is the finding's own, where the
   *     group is reported); else null
   */
  private record Item(FixRequest request, String where, String leftOut, Finding finding, int group,
      Finding.TogetherLine line) {
    Item(FixRequest request, String where, String leftOut, Finding finding) {
      this(request, where, leftOut, finding, -1, null);
    }

    boolean lead() {
      return line == finding.together().get(0);
    }
  }

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
    Map<Path, String> changed = new LinkedHashMap<>();
    Map<Path, List<Item>> items = new LinkedHashMap<>();
    Map<Path, List<Item>> vendoredItems = new HashMap<>();
    if (vendored) {
      remaining += vendoredItems(analysis, vendoredItems, out);
    }
    // What is said about each file before its fixes' results: the findings no fix is tried for.
    Map<Path, List<String[]>> untried = new LinkedHashMap<>();
    int groups = 0;
    for (Map.Entry<Path, PythonModule> source : analysis.modules().entrySet()) {
      Path file = source.getKey();
      List<String[]> said = untried.computeIfAbsent(file, f -> new ArrayList<>());
      for (AnalysedStatement statement : analysis.statements(file)) {
        Finding finding = statement.finding().orElse(null);
        if (finding == null) {
          continue;
        }
        List<FixKind> paying = paying(finding, finding.together().isEmpty() ? finding.fixes()
            : finding.together().get(0).fixes());
        if (!finding.together().isEmpty() && !paying.isEmpty()) {
          int group = groups++;
          for (Finding.TogetherLine line : finding.together()) {
            boolean lead = line == finding.together().get(0);
            items.computeIfAbsent(analysis.fileOf(line.ref()), f -> new ArrayList<>()).add(new Item(
                new FixRequest(line.ref().index(), Set.of(), lead ? paying : line.fixes()), where(finding), "",
                finding, group, line));
          }
        } else if (!paying.isEmpty()) {
          String leftOut = paying.size() < finding.fixes().size() ? "; " + onlyMoves(finding) : "";
          items.computeIfAbsent(file, f -> new ArrayList<>()).add(new Item(
              new FixRequest(finding.ref().index(), Set.of(), paying), where(finding), leftOut, finding));
        } else if (!finding.fixes().isEmpty() || !finding.together().isEmpty()) {
          remaining++;
          said.add(new String[] {where(finding), onlyMoves(finding)});
        } else if (!(vendored && finding.rule() == RuleCode.UNUSED_PART)) {
          // with --vendored an unused part is tried, and counted, at its library lines
          remaining++;
          said.add(new String[] {where(finding), finding.whyNoFix() + manualRemedy(finding)});
        }
      }
      if (vendoredItems.containsKey(file)) {
        items.computeIfAbsent(file, f -> new ArrayList<>()).addAll(vendoredItems.get(file));
      }
    }
    Map<Path, Path> outside = new HashMap<>();
    items.keySet().forEach(file -> outsideProject(file, analysis.project().directory())
        .ifPresent(real -> outside.put(file, real)));
    // The fixes of a group's lines apply all or none: a group with a line refused (or in a file outside the
    // project) is taken out, and the files are fixed again without it, until every group left is whole.
    Map<Integer, String> refusedGroups = new HashMap<>();
    items.forEach((file, list) -> list.stream().filter(item -> item.group() >= 0 && outside.containsKey(file))
        .forEach(item -> refusedGroups.putIfAbsent(item.group(), item.line().where() + ": the file is a symbolic"
            + " link to " + outside.get(file) + ", outside the project; fix it where it lives")));
    Map<Path, FixApplier.Result> results = new HashMap<>();
    Map<Item, FixPlan> planOf = new IdentityHashMap<>();
    while (true) {
      results.clear();
      planOf.clear();
      for (Map.Entry<Path, List<Item>> fileItems : items.entrySet()) {
        List<Item> active = active(fileItems.getValue(), refusedGroups);
        if (active.isEmpty() || outside.containsKey(fileItems.getKey())) {
          continue;
        }
        // one request per statement: a line may go together with several findings' lines (reports.py's
        // `import pandas` for the handler's pandas, numpy and openpyxl)
        Map<Integer, Integer> requestOf = new LinkedHashMap<>();
        List<FixRequest> requests = new ArrayList<>();
        for (Item item : active) {
          requestOf.computeIfAbsent(item.request().statement(), statement -> {
            requests.add(item.request());
            return requests.size() - 1;
          });
        }
        FixApplier.Result result = applier.apply(analysis.modules().get(fileItems.getKey()), requests);
        results.put(fileItems.getKey(), result);
        for (Item item : active) {
          planOf.put(item, result.plans().get(requestOf.get(item.request().statement())));
        }
      }
      int before = refusedGroups.size();
      planOf.forEach((item, plan) -> {
        if (item.group() >= 0 && plan instanceof FixPlan.Unsafe unsafe) {
          refusedGroups.putIfAbsent(item.group(), item.line().where() + ": " + unsafe.reason());
        }
      });
      if (refusedGroups.size() == before) {
        break;
      }
    }
    for (Path file : analysis.modules().keySet()) {
      for (String[] line : untried.getOrDefault(file, List.of())) {
        notFixed(out, line[0], line[1]);
      }
      List<Item> fileItems = items.getOrDefault(file, List.of());
      for (Item item : fileItems) {
        if (item.group() >= 0) {
          if (!item.lead()) {
            continue;
          }
          String refused = refusedGroups.get(item.group());
          if (refused != null) {
            remaining++;
            notFixed(out, item.where(), "the lines go together and one cannot be fixed: " + refused);
          } else {
            fixed++;
            if (!diff) {
              TerminalLines.print(out, item.where() + " fixed: ", together(item.group(), planOf));
            }
          }
        } else if (outside.containsKey(file)) {
          remaining++;
          notFixed(out, item.where(), "the file is a symbolic link to " + outside.get(file)
              + ", outside the project; fix it where it lives");
        } else if (planOf.get(item) instanceof FixPlan.Safe safe) {
          fixed++;
          if (!diff) {
            TerminalLines.print(out, item.where() + " fixed: ", safe.title()
                + (safe.caveat().isEmpty() ? "" : " (note: " + safe.caveat() + ")")
                + moved(item.finding(), safe.kind()));
          }
        } else {
          remaining++;
          notFixed(out, item.where(), ((FixPlan.Unsafe) planOf.get(item)).reason() + item.leftOut());
        }
      }
      FixApplier.Result result = results.get(file);
      if (result != null && result.changed(analysis.modules().get(file))) {
        changed.put(file, result.module().source());
      }
    }
    remaining += compiledFromSource(analysis.analysis(), out);
    PythonVersion target = analysis.project().targetPython();
    if (target.compareTo(PythonVersion.PEP_810) >= 0) {
      fixed += bootstrap(analysis, changed, out);
    }
    for (Map.Entry<Path, String> change : changed.entrySet()) {
      Path file = change.getKey();
      PythonModule original = analysis.modules().get(file);
      if (diff) {
        out.print(UnifiedDiff.of(analysis.project().relativePath(file), original == null ? "" : original.source(),
            change.getValue()));
      } else {
        write(file, change.getValue());
      }
    }
    out.println(summary(fixed, remaining));
    out.flush();
    if (project.hadErrors()) {
      return ExitCodes.ERROR;
    }
    return remaining > 0 || (diff && !changed.isEmpty()) ? ExitCodes.FINDINGS : ExitCodes.OK;
  }

  /**
   * PEP 810 for the unused parts inside libraries (target Python 3.15+): writes {@value
   * LazyImportsBootstrap#MODULE}.py next to the handler, whose lazy-imports filter lets the parts that never ran
   * be lazy, and makes the handler import it first. Parts in vendored libraries that {@code --vendored} defers
   * at their own line are left out.
   *
   * @param changed the new text of each file changed so far, updated
   * @return 1 when the bootstrap was written or changed, else 0
   */
  private int bootstrap(ProjectAnalysis analysis, Map<Path, String> changed, PrintWriter out) {
    double minUs = analysis.project().settings().minMs() * 1000;
    Map<String, LazyImportsBootstrap.LazyModule> lazy = new TreeMap<>();
    for (Finding finding : analysis.analysis().findings()) {
      if (finding.rule() != RuleCode.UNUSED_PART) {
        continue;
      }
      for (UnusedPart part : finding.cost().unusedParts()) {
        boolean deferredInPlace = vendored && part.libraryLine() != null && analysis.project().vendored()
            .contains(analysis.project().relativePath(analysis.project().localFile(part.libraryLine().file())));
        if (part.savingUs() >= minUs && !deferredInPlace) {
          lazy.putIfAbsent(part.module(), new LazyImportsBootstrap.LazyModule(part.module(),
              Units.ms(part.costUs()) + ", never ran; " + part.chain()));
        }
      }
    }
    String handler = analysis.project().profiles().app().handler();
    if (lazy.isEmpty() || handler == null) {
      return 0;
    }
    Path handlerFile = analysis.project().appRoot().resolve(HandlerSpec.parse(handler).fileBelowAppRoot()).normalize();
    PythonModule handlerModule = analysis.modules().get(handlerFile);
    if (handlerModule == null) {
      TerminalLines.print(out, "PEP 810 bootstrap not written: ", "the handler's file " + handlerFile
          + " is not among the checked files");
      return 0;
    }
    Path bootstrapFile = handlerFile.resolveSibling(LazyImportsBootstrap.MODULE + ".py");
    String text = LazyImportsBootstrap.source(analysis.project().profiles().app().name(), List.copyOf(lazy.values()),
        handlerModule.text().dominantLineEnding().text());
    String current = changed.getOrDefault(handlerFile, handlerModule.source());
    String imported = SpanEdit.applyAll(current, LazyImportsBootstrap.importFirst(handlerModule.reparse(current)));
    boolean same = imported.equals(current) && text.equals(readIfPresent(bootstrapFile));
    if (same) {
      return 0;
    }
    changed.put(bootstrapFile, text);
    if (!imported.equals(current)) {
      changed.put(handlerFile, imported);
    }
    if (!diff) {
      TerminalLines.print(out, analysis.project().relativePath(bootstrapFile) + ": ", "PEP 810 lazy imports for "
          + lazy.size() + (lazy.size() == 1 ? " library part" : " library parts") + " that never ran ("
          + String.join(", ", lazy.keySet()) + "), imported first by " + analysis.project().relativePath(handlerFile));
    }
    return 1;
  }

  /**
   * CS107, modules compiled from source on every cold start: no edit of the source fixes it, bytecode written
   * into the deployment does ({@code coldspy precompile}), so it is said and counted like any finding left.
   *
   * @return 1 when the analysis has that finding, else 0
   */
  private static int compiledFromSource(Analysis analysis, PrintWriter out) {
    CompileFinding compile = analysis.compile();
    if (compile == null) {
      return 0;
    }
    // without the handler's file among the checked ones, check shows it under the handler's summary
    String where = compile.file() == null ? analysis.summary().app()
        : compile.file() + ":" + compile.oneBasedLine() + ":" + compile.oneBasedColumn();
    notFixed(out, where + ": " + compile.rule().code(), "bytecode is fixed by `coldspy precompile DEPLOYMENT_DIR`"
        + " (it writes bytecode for the runtime's Python into the deployment), not by editing source");
    return 1;
  }

  private static String readIfPresent(Path file) {
    try {
      return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
    } catch (IOException e) {
      throw new CliError(file + ": cannot read: " + e.getMessage());
    }
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
        if (part.savingUs() < minUs) {
          continue;
        }
        if (line == null) {
          untried++;
          notFixed(out, where(finding), "the profile does not record the library line that imports "
              + part.module() + " (profile again with the current agent)");
          continue;
        }
        if (!seen.add(line.file() + ":" + line.oneBasedLine())) {
          continue;
        }
        // named as check names files, so that a terminal or editor can open the line
        String where = analysis.project().displayPath(analysis.project().localFile(line.file())) + ":"
            + line.oneBasedLine() + ": " + RuleCode.UNUSED_PART.code() + " (" + part.module() + ", for "
            + finding.file() + ":" + finding.oneBasedLine() + ")";
        Optional<Path> file = analysis.vendoredFile(line);
        if (file.isEmpty()) {
          untried++;
          notFixed(out, where, "the library is not shipped in the function's folder (vendor it, or ask"
              + " its maintainers to import " + part.module() + " lazily)");
          continue;
        }
        Optional<ProjectAnalysis.VendoredFix> fix = analysis.vendoredFix(line);
        if (fix.isEmpty()) {
          untried++;
          notFixed(out, where, "no module-level import on that line of " + analysis.project()
              .relativePath(file.get()) + " (the file differs from the profiled one; profile again)");
          continue;
        }
        items.computeIfAbsent(file.get(), f -> new ArrayList<>())
            .add(new Item(new FixRequest(fix.get().statement().index(), Set.of(), fix.get().kinds()), where, "",
                null));
      }
    }
    return untried;
  }

  /** The items not taken out with a refused group. */
  private static List<Item> active(List<Item> items, Map<Integer, String> refusedGroups) {
    return items.stream().filter(item -> item.group() < 0 || !refusedGroups.containsKey(item.group())).toList();
  }

  /**
   * What a group's fixes did: the finding's own line's, then each other line's with where it is ("Remove
   * `import pandas`; together with services/reports.py:2: Lazy-load `pd` in `summarize()`").
   */
  private static String together(int group, Map<Item, FixPlan> planOf) {
    List<Item> members = planOf.keySet().stream().filter(item -> item.group() == group)
        .sorted(Comparator.comparingInt(item -> item.finding().together().indexOf(item.line())))
        .toList();
    StringBuilder text = new StringBuilder();
    for (Item member : members) {
      FixPlan.Safe safe = (FixPlan.Safe) planOf.get(member);
      text.append(member.lead() ? "" : "; together with " + member.line().where() + ": ").append(safe.title())
          .append(safe.caveat().isEmpty() ? "" : " (note: " + safe.caveat() + ")");
    }
    return text.toString();
  }

  /**
   * The finding's fix kinds that pay: a net saving of the cold start (init plus first invocation); all of
   * them with {@code --include-no-saving}.
   */
  private List<FixKind> paying(Finding finding, List<FixKind> kinds) {
    return kinds.stream()
        .filter(kind -> includeNoSaving || finding.estimateFor(kind).netUs() > 0 && !mostlyMoves(finding, kind))
        .toList();
  }

  /**
   * Whether deferring would move more than {@link #SILENT_MOVE_US} into the first invocation of at least half
   * of the cold starts: its net saving is real on average, but the median cold start, which {@code verify}
   * measures and most requests wait for, gains nothing, so {@code fix} leaves it to the user.
   */
  static boolean mostlyMoves(Finding finding, FixKind kind) {
    UsageEvidence use = finding.cost().usage();
    return movesMoreThanSilently(finding, kind)
        && use.known() && use.coldStarts() > 0 && 2 * use.coldStartsUsed() >= use.coldStarts();
  }

  /** Whether applying {@code kind} moves more than {@link #SILENT_MOVE_US} into some first invocation. */
  private static boolean movesMoreThanSilently(Finding finding, FixKind kind) {
    return finding.estimateFor(kind).firstInvocationUs() > 0 && finding.cost().costMedianUs() > SILENT_MOVE_US;
  }

  /**
   * What an applied fix moves into the first invocation when that is more than {@link #SILENT_MOVE_US}: the
   * import's cost, in the cold starts that use it ("" when nothing that heavy moves).
   */
  static String moved(Finding finding, FixKind kind) {
    if (finding == null || !movesMoreThanSilently(finding, kind)) {
      return "";
    }
    UsageEvidence use = finding.cost().usage();
    String inWhich = use.known() && use.coldStarts() > 0
        ? use.coldStartsUsed() + "/" + use.coldStarts() + " cold starts"
        : "every cold start that uses it (its use is unknown)";
    return "; moves ~" + Units.roundMs(finding.cost().costMedianUs()) + " into the first request of " + inWhich;
  }

  /** What the user can do by hand about a finding no fix applies to. */
  private String manualRemedy(Finding finding) {
    if (finding.knowledge() != null) {
      return "; " + finding.knowledge().advice();
    }
    if (finding.rule() == RuleCode.UNUSED_PART) {
      return "; pass --vendored to defer it in a library shipped in the function's folder, else vendor the"
          + " library and defer that import, or ask its maintainers to import it lazily";
    }
    return "";
  }

  /** Why no offered fix pays: deferring only moves the cost, and what would remove it. */
  private static String onlyMoves(Finding finding) {
    UsageEvidence use = finding.cost().usage();
    String remedy = finding.knowledge() != null ? finding.knowledge().advice()
        : "pass --include-no-saving to defer it anyway";
    if (!use.known()) {
      return "deferring it may only move its cost into the first invocation (its use is unknown); " + remedy;
    }
    String cost = "~" + Units.roundMs(finding.cost().costMedianUs());
    if (use.coldStartsUsed() == use.coldStarts()) {
      return "deferring it would only move " + cost + " into the first invocation (all " + use.coldStarts()
          + " cold starts use it); " + remedy;
    }
    return "deferring it would move " + cost + " into the first invocation of " + use.coldStartsUsed() + " of "
        + use.coldStarts() + " cold starts (the median cold start gains nothing); " + remedy;
  }

  /** {@code WHERE not fixed: REASON}, the reason wrapped ({@link TerminalLines}). */
  private static void notFixed(PrintWriter out, String where, String reason) {
    TerminalLines.print(out, where + " not fixed: ", reason);
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
