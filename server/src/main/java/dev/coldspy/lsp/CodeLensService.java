package dev.coldspy.lsp;

import dev.coldspy.engine.HandlerSummary;
import dev.coldspy.python.NameBinding;
import dev.coldspy.python.PythonModule;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.lsp4j.CodeLens;
import org.eclipse.lsp4j.Command;
import org.eclipse.lsp4j.jsonrpc.CancelChecker;

/**
 * A code lens above the profiled handler function: the handler's init time per cold start, the saving
 * ColdSpy estimates if every finding were fixed, and a command to profile it again.
 */
final class CodeLensService {
  private CodeLensService() {}

  static List<CodeLens> lenses(DocumentAnalysis analysis, CancelChecker cancel) {
    Optional<AppAnalysis> app = analysis.app();
    Optional<Path> path = analysis.document().path();
    if (app.isEmpty() || path.isEmpty()) {
      return List.of();
    }
    HandlerSummary summary = app.get().analysis().summary();
    if (summary.handler() == null) {
      return List.of();
    }
    Path handlerFile = app.get().project().appRoot().resolve(AnalysisContext.handlerFile(summary.handler()));
    PythonModule module = app.get().modules().get(path.get());
    if (!handlerFile.normalize().equals(path.get()) || module == null) {
      return List.of();
    }
    cancel.checkCanceled();
    String function = AnalysisContext.handlerFunction(summary.handler());
    return module.scopes().bindings(function).stream()
        .filter(binding -> binding.kind() == NameBinding.Kind.DEFINITION)
        .findFirst()
        .map(definition -> {
          int line = module.text().lineOfOffset(definition.span().start());
          CodeLens lens = new CodeLens(analysis.rangeOf(line));
          lens.setCommand(new Command(title(summary), Commands.PROFILE, List.of(
              Map.of("handler", summary.handler(), "root", app.get().project().appRoot().toString()))));
          return List.of(lens);
        })
        .orElse(List.of());
  }

  static String title(HandlerSummary summary) {
    String title = "⏱ init " + Format.duration(summary.initUs().median()) + " per cold start ("
        + summary.coldStarts() + (summary.coldStarts() == 1 ? " cold start" : " cold starts") + ")";
    if (summary.savingUs() > 0) {
      title += " · ColdSpy could save ~" + Format.duration(summary.savingUs());
    }
    return title + " · re-profile";
  }
}
