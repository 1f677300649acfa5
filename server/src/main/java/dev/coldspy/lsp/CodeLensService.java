package dev.coldspy.lsp;

import dev.coldspy.engine.HandlerSummary;
import dev.coldspy.engine.Units;
import dev.coldspy.project.ProjectAnalysis;
import dev.coldspy.project.SourceReader;
import dev.coldspy.python.FunctionDefinition;
import dev.coldspy.python.HandlerSpec;
import dev.coldspy.python.PythonModule;
import dev.coldspy.text.SourceText;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.lsp4j.CodeLens;
import org.eclipse.lsp4j.Command;
import org.eclipse.lsp4j.jsonrpc.CancelChecker;

/**
 * Code lenses above handler functions. On the profiled handler: its init time per cold start, the saving ColdSpy
 * estimates if every finding were fixed, and a command to profile it again. In a Python file no profile covers:
 * "Profile cold starts…" above each function Lambda could call ({@link HandlerCandidates}), which opens the
 * client's profiling dialog ({@link Commands#PROFILE_HANDLER}) for that handler — the first step of a new user.
 * After "Verify Fixes", the handler also shows its last result ({@code verified: −457.0 ms per cold start (−62
 * %), outputs identical}).
 */
final class CodeLensService {
  static final String PROFILE_TITLE = "Profile cold starts…";

  private CodeLensService() {}

  static List<CodeLens> lenses(DocumentAnalysis analysis, CancelChecker cancel) {
    Optional<ProjectAnalysis> app = analysis.project();
    Optional<Path> path = analysis.document().path();
    if (path.isEmpty() || !analysis.document().isPython()) {
      return List.of();
    }
    if (app.isEmpty()) {
      // Not before the profiles are loaded: a profiled handler would offer profiling for a moment.
      boolean unprofiled = analysis.setup() != WorkspaceSetup.NONE && analysis.setup().projectOf(path.get()).isEmpty();
      return unprofiled ? profileLenses(analysis, path.get(), cancel) : List.of();
    }
    HandlerSummary summary = app.get().analysis().summary();
    if (summary.handler() == null) {
      return List.of();
    }
    HandlerSpec handler = HandlerSpec.parse(summary.handler());
    Path handlerFile = app.get().project().appRoot().resolve(handler.fileBelowAppRoot());
    PythonModule module = app.get().modules().get(path.get());
    if (!handlerFile.normalize().equals(path.get()) || module == null) {
      return List.of();
    }
    cancel.checkCanceled();
    String function = handler.function();
    if (function == null) {
      return List.of();
    }
    Path appRoot = app.get().project().appRoot();
    List<Object> arguments = List.of(Map.of("handler", summary.handler(), "root", appRoot.toString()));
    return definitionLine(module.text(), function)
        .map(line -> {
          List<CodeLens> lenses = new ArrayList<>();
          CodeLens profile = new CodeLens(analysis.rangeOf(line));
          profile.setCommand(new Command(title(summary), Commands.PROFILE, arguments));
          lenses.add(profile);
          // The last "Verify Fixes" result, which re-runs it when clicked.
          VerifyRunner.storedSummary(app.get().project().directory(), handlerFile.normalize()).ifPresent(verified -> {
            CodeLens verify = new CodeLens(analysis.rangeOf(line));
            verify.setCommand(new Command(verified, Commands.VERIFY, arguments));
            lenses.add(verify);
          });
          return List.copyOf(lenses);
        })
        .orElse(List.of());
  }

  /** "Profile cold starts…" above each function of the file that Lambda could call. */
  private static List<CodeLens> profileLenses(DocumentAnalysis analysis, Path file, CancelChecker cancel) {
    if (SourceReader.isTooLarge(analysis.document().text())) {
      return List.of();
    }
    Path root = analysis.setup().roots().stream().filter(file::startsWith).findFirst().orElse(file.getParent());
    String relative = root.relativize(file).toString().replace('\\', '/');
    List<CodeLens> lenses = new ArrayList<>();
    for (FunctionDefinition function : HandlerCandidates.of(PythonModule.parse(analysis.document().text()))) {
      cancel.checkCanceled();
      CodeLens lens = new CodeLens(analysis.rangeOf(function.firstLine()));
      lens.setCommand(new Command(PROFILE_TITLE, Commands.PROFILE_HANDLER, List.of(
          Map.of("handler", relative + ":" + function.name(), "root", root.toString()))));
      lenses.add(lens);
    }
    return lenses;
  }

  /**
   * The 0-based line of the module-level {@code def name(} (the handler is a top-level function; Lambda
   * cannot call anything else). The last definition wins, as it does when Python runs the module.
   */
  static Optional<Integer> definitionLine(SourceText text, String name) {
    Pattern definition = Pattern.compile("^(?:async\\s+)?def\\s+" + Pattern.quote(name) + "\\s*\\(");
    Optional<Integer> found = Optional.empty();
    for (int line = 0; line < text.lineCount(); line++) {
      if (definition.matcher(text.lineText(line)).find()) {
        found = Optional.of(line);
      }
    }
    return found;
  }

  static String title(HandlerSummary summary) {
    String title = "⏱ init " + Units.ms(summary.initUs().median()) + " per cold start ("
        + summary.coldStarts() + (summary.coldStarts() == 1 ? " cold start" : " cold starts") + ")";
    if (summary.savingUs() > 0) {
      title += " · ColdSpy could save ~" + Units.ms(summary.savingUs());
    }
    return title + " · re-profile";
  }
}
