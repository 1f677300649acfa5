package dev.coldspy.lsp;

import dev.coldspy.engine.Finding;
import dev.coldspy.engine.HandlerSummary;
import dev.coldspy.engine.StatementCost;
import dev.coldspy.fix.FixPlan;
import dev.coldspy.python.ImportStatement;
import dev.coldspy.python.PythonModule;
import dev.coldspy.text.LspPosition;
import dev.coldspy.text.LspRange;
import dev.coldspy.text.SourceText;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;

/**
 * What ColdSpy knows about one document at one version: the engine's statement costs and findings for this
 * file, each tied to the import statement of the current text it belongs to. The engine reads the import
 * index of exactly this text, so positions follow the code as lines move, whatever lines the profile
 * recorded. Immutable; the services only read it.
 */
final class DocumentAnalysis {
  /** One import statement of the document with what the engine says about it. */
  record Statement(ImportStatement statement, StatementCost cost, Optional<Finding> finding) {}

  private final TextDocument document;
  private final AnalysisContext context;
  private final Optional<AppAnalysis> app;
  private final SourceText text;
  private final List<Statement> statements;
  private final String unanalysedReason;

  private DocumentAnalysis(TextDocument document, AnalysisContext context, Optional<AppAnalysis> app,
      SourceText text, List<Statement> statements, String unanalysedReason) {
    this.document = document;
    this.context = context;
    this.app = app;
    this.text = text;
    this.statements = List.copyOf(statements);
    this.unanalysedReason = unanalysedReason;
  }

  /** A document ColdSpy has nothing to say about, and why. */
  static DocumentAnalysis unanalysed(TextDocument document, AnalysisContext context, String reason) {
    return new DocumentAnalysis(document, context, Optional.empty(), SourceText.of(document.text()), List.of(), reason);
  }

  /** The document's part of a project analysis. */
  static DocumentAnalysis of(TextDocument document, AnalysisContext context, Path path, AppAnalysis app) {
    PythonModule module = app.modules().get(path);
    if (module == null) {
      return unanalysed(document, context, "not part of the analysed application");
    }
    SourceText text = module.text();
    String displayPath = app.project().relativePath(path);
    Map<String, Finding> findings = new HashMap<>();
    for (Finding finding : app.analysis().findings()) {
      if (finding.file().equals(displayPath)) {
        findings.put(key(finding.cost()), finding);
      }
    }
    List<Statement> statements = new ArrayList<>();
    for (StatementCost cost : app.analysis().statements()) {
      if (!cost.file().equals(displayPath)) {
        continue;
      }
      int offset = text.lineStart(cost.line() - 1) + cost.column() - 1;
      module.imports().atOffset(offset).ifPresent(statement ->
          statements.add(new Statement(statement, cost, Optional.ofNullable(findings.get(key(cost))))));
    }
    return new DocumentAnalysis(document, context, Optional.of(app), text, statements, null);
  }

  private static String key(StatementCost cost) {
    return cost.line() + ":" + cost.column();
  }

  TextDocument document() {
    return document;
  }

  AnalysisContext context() {
    return context;
  }

  Optional<AppAnalysis> app() {
    return app;
  }

  Optional<HandlerSummary> summary() {
    return app.map(a -> a.analysis().summary());
  }

  SourceText text() {
    return text;
  }

  /** Every profiled import statement of the document, in document order. */
  List<Statement> statements() {
    return statements;
  }

  /** Why the document has no analysis (not Python, no profile, too large), or null when it has one. */
  String unanalysedReason() {
    return unanalysedReason;
  }

  /**
   * The fix engine's answer for each fix kind the finding allows, in the finding's order of preference:
   * edits, or why the fix would not be safe.
   */
  List<FixPlan> fixPlans(Statement statement) {
    if (statement.finding().isEmpty() || app.isEmpty()) {
      return List.of();
    }
    return app.get().fixPlans(
        document.path().orElseThrow(), statement.statement(), statement.finding().get().fixes());
  }

  /** The statement the engine places at a 1-based line and column, if this analysis has it. */
  Optional<Statement> statementAt(int line, int column) {
    return statements.stream()
        .filter(s -> s.cost().line() == line && s.cost().column() == column)
        .findFirst();
  }

  /** The profiled statement at an LSP position, if any. */
  Optional<Statement> statementAt(Position position) {
    if (position.getLine() < 0 || position.getLine() >= text.lineCount() || position.getCharacter() < 0) {
      return Optional.empty();
    }
    int offset = text.fromLsp(position.getLine(), position.getCharacter());
    return statements.stream()
        .filter(s -> s.statement().span().start() <= offset && offset <= s.statement().span().end())
        .findFirst();
  }

  /** The statement's range in the current text. */
  Range rangeOf(ImportStatement statement) {
    return lsp(text.toLsp(statement.span()));
  }

  /** The start of a 0-based line. */
  Range rangeOf(int line) {
    Position start = lsp(text.toLsp(text.lineStart(line)));
    return new Range(start, start);
  }

  /** The end of the statement's last line (where an inlay hint goes). */
  Position endOfLastLine(ImportStatement statement) {
    return lsp(text.toLsp(text.lineContentEnd(statement.lastLine())));
  }

  /** The URI of a file named by a finding. */
  String uriOf(String displayPath) {
    return app.map(a -> a.uriOf(displayPath)).orElseThrow();
  }

  boolean isFor(TextDocument other, AnalysisContext otherContext) {
    return context == otherContext && document.version() == other.version() && document.text().equals(other.text());
  }

  static Range lsp(LspRange range) {
    return new Range(lsp(range.start()), lsp(range.end()));
  }

  static Position lsp(LspPosition position) {
    return new Position(position.line(), position.character());
  }
}
