package dev.coldspy.lsp;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.lsp4j.jsonrpc.CancelChecker;

/**
 * Turns a document of a workspace snapshot into its {@link DocumentAnalysis}. The engine runs once per
 * project and set of texts: the last project analysis is kept and re-used while the context and the texts of
 * the open files are unchanged (one keystroke invalidates it; hover, hints and lenses on the same version
 * share it).
 */
final class Analyzer {
  private final ServerLog log;
  /** The last analysis per project directory. */
  private final ConcurrentHashMap<Path, AppAnalysis> lastByProject = new ConcurrentHashMap<>();
  /** Projects whose last analysis may have read outdated texts. */
  private final java.util.Set<Path> stale = ConcurrentHashMap.newKeySet();

  Analyzer(ServerLog log) {
    this.log = log;
  }

  DocumentAnalysis analyse(TextDocument document, WorkspaceSnapshot snapshot, CancelChecker cancel) {
    AnalysisContext context = snapshot.context();
    if (!document.isPython()) {
      return DocumentAnalysis.unanalysed(document, context, "not a Python file");
    }
    if (document.text().length() > AnalysisContext.MAX_FILE_BYTES) {
      return DocumentAnalysis.unanalysed(document, context,
          "larger than " + AnalysisContext.MAX_FILE_BYTES + " characters");
    }
    Optional<Path> path = document.path();
    if (path.isEmpty()) {
      return DocumentAnalysis.unanalysed(document, context, "not a file on disk");
    }
    Optional<Project> project = context.projectOf(path.get());
    if (project.isEmpty()) {
      return DocumentAnalysis.unanalysed(document, context, "no ColdSpy profile covers this file");
    }
    Map<Path, String> openTexts = new HashMap<>();
    for (TextDocument open : snapshot.documents().values()) {
      open.path().filter(project.get()::contains).filter(p -> open.isPython())
          .ifPresent(p -> openTexts.put(p, open.text()));
    }
    openTexts.put(path.get(), document.text());
    AppAnalysis app = appAnalysis(project.get(), openTexts, context, cancel);
    return DocumentAnalysis.of(document, context, path.get(), app);
  }

  /**
   * Stops re-using the last project analyses as they are (a file changed on disk, a document was closed, the
   * context changed); their engine results are still re-used when the import statements turn out equal.
   */
  void invalidate() {
    stale.addAll(lastByProject.keySet());
  }

  private AppAnalysis appAnalysis(
      Project project, Map<Path, String> openTexts, AnalysisContext context, CancelChecker cancel) {
    AppAnalysis last = lastByProject.get(project.directory());
    if (last != null && last.project() == project && !stale.remove(project.directory())
        && last.usedTexts(openTexts)) {
      return last;
    }
    AppAnalysis fresh = AppAnalysis.run(project, openTexts, context, last, log, cancel);
    lastByProject.put(project.directory(), fresh);
    return fresh;
  }
}
