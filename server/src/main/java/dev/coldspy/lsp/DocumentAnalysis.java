package dev.coldspy.lsp;

import dev.coldspy.engine.CompileFinding;
import dev.coldspy.engine.FixedSinceProfiling;
import dev.coldspy.engine.HandlerSummary;
import dev.coldspy.engine.StatementRef;
import dev.coldspy.fix.FixPlan;
import dev.coldspy.project.ProjectAnalysis.AnalysedStatement;
import dev.coldspy.project.ProjectAnalysis;
import dev.coldspy.python.PythonModule;
import dev.coldspy.text.LspPosition;
import dev.coldspy.text.LspRange;
import dev.coldspy.text.SourceText;
import dev.coldspy.text.Span;
import java.nio.file.Path;
import java.util.List;
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
  private final TextDocument document;
  private final WorkspaceSetup setup;
  private final Optional<ProjectAnalysis> project;
  private final SourceText text;
  private final List<AnalysedStatement> statements;
  private final String unanalysedReason;

  private DocumentAnalysis(TextDocument document, WorkspaceSetup setup, Optional<ProjectAnalysis> project,
      SourceText text, List<AnalysedStatement> statements, String unanalysedReason) {
    this.document = document;
    this.setup = setup;
    this.project = project;
    this.text = text;
    this.statements = List.copyOf(statements);
    this.unanalysedReason = unanalysedReason;
  }

  /** A document ColdSpy has nothing to say about, and why. */
  static DocumentAnalysis unanalysed(TextDocument document, WorkspaceSetup setup, String reason) {
    return new DocumentAnalysis(document, setup, Optional.empty(), SourceText.of(document.text()), List.of(), reason);
  }

  /** The document's part of a project analysis. */
  static DocumentAnalysis of(TextDocument document, WorkspaceSetup setup, Path path, ProjectAnalysis project) {
    PythonModule module = project.modules().get(path);
    if (module == null) {
      return unanalysed(document, setup, "not part of the analysed application");
    }
    return new DocumentAnalysis(document, setup, Optional.of(project), module.text(), project.statements(path),
        null);
  }

  TextDocument document() {
    return document;
  }

  WorkspaceSetup setup() {
    return setup;
  }

  /** The analysis of the project the document belongs to, if it was analysed. */
  Optional<ProjectAnalysis> project() {
    return project;
  }

  Optional<HandlerSummary> summary() {
    return project.map(p -> p.analysis().summary());
  }

  /** The project's reporting threshold ({@code min-ms}); 0 without a project. */
  double minMs() {
    return project.map(p -> p.project().settings().minMs()).orElse(0.0);
  }

  SourceText text() {
    return text;
  }

  /** Every profiled import statement of the document, in document order. */
  List<AnalysedStatement> statements() {
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
  List<FixPlan> fixPlans(AnalysedStatement statement) {
    if (statement.finding().isEmpty() || statement.finding().get().fixes().isEmpty() || project.isEmpty()) {
      return List.of();
    }
    return project.get().fixPlans(statement.cost().ref(), statement.finding().get().fixes());
  }

  /**
   * The imports of this document that the profile saw at init and the code no longer runs there (moved into a
   * function, guarded): the engine's {@link FixedSinceProfiling}, no finding, a hint until re-profiled.
   */
  List<FixedSinceProfiling> fixedSinceProfiling() {
    Optional<Path> path = document.path();
    if (project.isEmpty() || path.isEmpty()) {
      return List.of();
    }
    String displayPath = project.get().project().displayPath(path.get());
    return project.get().analysis().fixedSinceProfiling().stream()
        .filter(fixed -> fixed.file().equals(displayPath)).toList();
  }

  /**
   * The engine's {@link CompileFinding} (CS107) when it sits in this document: on the handler's {@code def}, or
   * on the first statement of the handler's file when the function is not found.
   */
  Optional<CompileFinding> compileFinding() {
    Optional<Path> path = document.path();
    if (project.isEmpty() || path.isEmpty() || project.get().analysis().compile() == null) {
      return Optional.empty();
    }
    CompileFinding compile = project.get().analysis().compile();
    return project.get().project().displayPath(path.get()).equals(compile.file()) ? Optional.of(compile)
        : Optional.empty();
  }

  /** The range of a finding that sits on a line (CS107): from its 1-based column to the end of the line's text. */
  Range rangeOfLine(int oneBasedLine, int oneBasedColumn) {
    int line = Math.min(LspPosition.startOfOneBasedLine(oneBasedLine).line(), text.lineCount() - 1);
    int start = Math.min(text.lineStart(line) + Math.max(0, oneBasedColumn - 1), text.lineContentEnd(line));
    return lsp(text.toLsp(new Span(start, text.lineContentEnd(line))));
  }

  /** The end of a 1-based line's text (where a hint on that line goes), clamped to the document. */
  Position endOfOneBasedLine(int oneBasedLine) {
    int line = Math.min(LspPosition.startOfOneBasedLine(oneBasedLine).line(), text.lineCount() - 1);
    return lsp(text.toLsp(text.lineContentEnd(Math.max(0, line))));
  }

  /** The statement a ref names, if it is one of this document's. */
  Optional<AnalysedStatement> statement(StatementRef ref) {
    return statements.stream().filter(s -> s.cost().ref().equals(ref)).findFirst();
  }

  /** The profiled statement at an LSP position, if any. */
  Optional<AnalysedStatement> statementAt(Position position) {
    if (position.getLine() < 0 || position.getLine() >= text.lineCount() || position.getCharacter() < 0) {
      return Optional.empty();
    }
    int offset = text.fromLsp(position.getLine(), position.getCharacter());
    return statements.stream()
        .filter(s -> s.span().start() <= offset && offset <= s.span().end())
        .findFirst();
  }

  /** A statement's range in the current text. */
  Range rangeOf(Span statement) {
    return lsp(text.toLsp(statement));
  }

  /** The start of a 0-based line. */
  Range rangeOf(int line) {
    Position start = lsp(text.toLsp(text.lineStart(line)));
    return new Range(start, start);
  }

  /** The end of the statement's last line (where an inlay hint goes). */
  Position endOfLastLine(Span statement) {
    return lsp(text.toLsp(text.lineContentEnd(text.lineOfOffset(Math.max(statement.start(), statement.end() - 1)))));
  }

  /** The URI of a file named by a finding. */
  String uriOf(String displayPath) {
    return project.map(p -> TextDocument.uriOf(p.fileOf(displayPath))).orElseThrow();
  }

  /**
   * The URI of a library file the profiles recorded: its copy in the workspace when it lies below the recorded
   * application root (a vendored library), else the recorded path.
   */
  String libraryFileUri(String recordedPath) {
    return TextDocument.uriOf(project.map(p -> p.project().localFile(recordedPath)).orElse(Path.of(recordedPath)));
  }

  static Range lsp(LspRange range) {
    return new Range(lsp(range.start()), lsp(range.end()));
  }

  static Position lsp(LspPosition position) {
    return new Position(position.line(), position.character());
  }
}
