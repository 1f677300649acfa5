package dev.coldspy.lsp;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.coldspy.engine.CompileFinding;
import dev.coldspy.engine.StatementRef;
import dev.coldspy.engine.UnusedPart;
import dev.coldspy.fix.FixPlan;
import dev.coldspy.fix.NoqaFix;
import dev.coldspy.project.ProjectAnalysis;
import dev.coldspy.project.ProjectAnalysis.AnalysedStatement;
import dev.coldspy.rules.FixKind;
import dev.coldspy.rules.RuleCode;
import dev.coldspy.text.LspPosition;
import dev.coldspy.text.SourceText;
import dev.coldspy.text.Span;
import dev.coldspy.text.SpanEdit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.lsp4j.CodeAction;
import org.eclipse.lsp4j.CodeActionKind;
import org.eclipse.lsp4j.Command;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.TextDocumentEdit;
import org.eclipse.lsp4j.VersionedTextDocumentIdentifier;
import org.eclipse.lsp4j.WorkspaceEdit;
import org.eclipse.lsp4j.jsonrpc.CancelChecker;
import org.eclipse.lsp4j.jsonrpc.messages.Either;

/**
 * Quick fixes: the fix engine's safe fixes for the findings in the requested range, each bound to its
 * diagnostic, most preferred first; with {@code coldspy.fixVendoredLibraries} on, the fixes {@code coldspy fix
 * --vendored} makes inside libraries shipped in the function's folder (CS106); then, for every finding, "Suppress CSxxx on this line" ({@code # noqa:
 * CSxxx}, joined to a noqa list already there), never preferred. The list carries no edits;
 * {@code codeAction/resolve} computes them for the one the user picks (against the same document version, or
 * not at all).
 */
final class CodeActionService {
  private CodeActionService() {}

  static List<Either<Command, CodeAction>> actions(DocumentAnalysis analysis, Range range, CancelChecker cancel) {
    List<Either<Command, CodeAction>> actions = new ArrayList<>();
    if (range == null) {
      return actions;
    }
    for (AnalysedStatement statement : analysis.statements()) {
      if (statement.finding().isEmpty() || !overlaps(analysis.rangeOf(statement.span()), range)) {
        continue;
      }
      cancel.checkCanceled();
      Diagnostic diagnostic = DiagnosticService.diagnostic(analysis, statement, statement.finding().get());
      boolean preferred = true;
      for (FixPlan plan : analysis.fixPlans(statement)) {
        if (plan instanceof FixPlan.Safe safe) {
          actions.add(Either.forRight(action(title(safe), preferred, diagnostic,
              fixData(analysis, statement, safe.kind()))));
          preferred = false;
        }
      }
      for (VendoredPlan vendored : vendoredPlans(analysis, statement)) {
        JsonObject data = documentData(analysis);
        data.add("statement", ref(statement));
        data.addProperty("vendored", vendored.part().module());
        actions.add(Either.forRight(action(title(vendored.plan()) + " in " + vendored.part().libraryLine().displayPath()
            + " (library code)", false, diagnostic, data)));
      }
      actions.add(Either.forRight(suppress(analysis, diagnostic, statement)));
    }
    Optional<CompileFinding> compile = analysis.compileFinding();
    if (compile.isPresent()) {
      Diagnostic diagnostic = DiagnosticService.diagnostic(analysis, compile.get());
      if (overlaps(diagnostic.getRange(), range)) {
        actions.add(Either.forRight(suppress(analysis, diagnostic, null)));
      }
    }
    return actions;
  }

  private static CodeAction action(String title, boolean preferred, Diagnostic diagnostic, JsonObject data) {
    CodeAction action = new CodeAction(title);
    action.setKind(CodeActionKind.QuickFix);
    action.setDiagnostics(List.of(diagnostic));
    action.setIsPreferred(preferred);
    action.setData(data);
    return action;
  }

  /** A safe fix inside a vendored library for one unused part of a statement's CS106 finding. */
  private record VendoredPlan(UnusedPart part, StatementRef libraryStatement, FixPlan.Safe plan) {}

  /**
   * With {@code coldspy.fixVendoredLibraries} on, what {@code coldspy fix --vendored} does for a CS106 finding:
   * for each unused part of at least {@code min-ms} whose library ships in the function's folder, the safe fix
   * at the library's own line (a PEP 562 {@code __getattr__} for a package's re-export, else a lazy-load),
   * each library line once.
   */
  private static List<VendoredPlan> vendoredPlans(DocumentAnalysis analysis, AnalysedStatement statement) {
    Optional<ProjectAnalysis> project = analysis.project();
    if (!analysis.setup().fixVendoredLibraries() || project.isEmpty() || statement.finding().isEmpty()
        || statement.finding().get().rule() != RuleCode.UNUSED_PART) {
      return List.of();
    }
    List<VendoredPlan> plans = new ArrayList<>();
    for (UnusedPart part : statement.finding().get().cost().unusedParts()) {
      if (part.libraryLine() == null || part.savingUs() < analysis.minMs() * 1000) {
        continue;
      }
      project.get().vendoredFix(part.libraryLine())
          .filter(fix -> plans.stream().noneMatch(plan -> plan.libraryStatement().equals(fix.statement())))
          .ifPresent(fix -> project.get().fixPlans(fix.statement(), fix.kinds()).stream()
          .filter(FixPlan.Safe.class::isInstance).map(FixPlan.Safe.class::cast).findFirst()
          .ifPresent(safe -> plans.add(new VendoredPlan(part, fix.statement(), safe))));
    }
    return plans;
  }

  /** "Suppress CSxxx on this line" for a statement's finding, or for CS107 when {@code statement} is null. */
  private static CodeAction suppress(DocumentAnalysis analysis, Diagnostic diagnostic, AnalysedStatement statement) {
    String code = diagnostic.getCode().getLeft();
    JsonObject data = documentData(analysis);
    if (statement != null) {
      data.add("statement", ref(statement));
    }
    data.addProperty("suppress", code);
    return action("ColdSpy: Suppress " + code + " on this line", false, diagnostic, data);
  }

  /** The document a code action to resolve belongs to ("" when its data is not ours). */
  static String documentOf(CodeAction action) {
    return dataOf(action).map(data -> data.get("uri").getAsString()).orElse("");
  }

  /**
   * Adds the edit to a code action from {@link #actions}. Nothing is added when the document changed since
   * the action was listed, or the fix is no longer safe: the client then applies nothing.
   */
  static CodeAction resolve(DocumentAnalysis analysis, CodeAction action, CancelChecker cancel) {
    Optional<JsonObject> data = dataOf(action);
    if (data.isEmpty() || data.get().get("version").getAsInt() != analysis.document().version()) {
      return action;
    }
    Optional<AnalysedStatement> statement = Optional.empty();
    if (data.get().has("statement")) {
      JsonObject ref = data.get().getAsJsonObject("statement");
      statement = analysis.statement(new StatementRef(ref.get("file").getAsString(), ref.get("index").getAsInt()));
      if (statement.isEmpty()) {
        return action;
      }
    }
    cancel.checkCanceled();
    if (data.get().has("suppress")) {
      suppressEdit(analysis, statement, data.get().get("suppress").getAsString())
          .ifPresent(edit -> action.setEdit(workspaceEdit(analysis, List.of(edit))));
      return action;
    }
    if (data.get().has("vendored")) {
      String part = data.get().get("vendored").getAsString();
      vendoredPlans(analysis, statement.orElseThrow()).stream().filter(plan -> plan.part().module().equals(part))
          .findFirst().ifPresent(plan -> action.setEdit(libraryEdit(analysis.project().orElseThrow(), plan)));
      return action;
    }
    FixKind kind = FixKind.valueOf(data.get().get("fix").getAsString());
    for (FixPlan plan : analysis.fixPlans(statement.orElseThrow())) {
      if (plan instanceof FixPlan.Safe safe && safe.kind() == kind) {
        action.setEdit(workspaceEdit(analysis, safe.edits()));
      }
    }
    return action;
  }

  /**
   * The {@code # noqa} edit for a finding of {@code code}: after the import statement, after another
   * module-level statement, or on CS107's line; empty when the finding is gone.
   */
  private static Optional<SpanEdit> suppressEdit(DocumentAnalysis analysis, Optional<AnalysedStatement> statement,
      String code) {
    if (statement.isPresent()) {
      AnalysedStatement found = statement.get();
      if (found.finding().isEmpty() || !found.finding().get().rule().code().equals(code)) {
        return Optional.empty();
      }
      return found.isImport() ? NoqaFix.edit(analysis.text(), found.statement(), code)
          : Optional.of(NoqaFix.afterStatement(analysis.text(), found.span(), code));
    }
    return analysis.compileFinding().filter(compile -> compile.rule().code().equals(code))
        .map(compile -> NoqaFix.onLine(analysis.text(),
            LspPosition.startOfOneBasedLine(compile.oneBasedLine()).line(), code));
  }

  /** The edit of a vendored library's file, as the analysis read it (open in the editor, or on disk). */
  private static WorkspaceEdit libraryEdit(ProjectAnalysis project, VendoredPlan plan) {
    Path file = project.fileOf(plan.libraryStatement());
    return new WorkspaceEdit(Map.of(TextDocument.uriOf(file), lspEdits(project.modules().get(file).text(),
        plan.plan().edits())));
  }

  private static List<org.eclipse.lsp4j.TextEdit> lspEdits(SourceText text, List<SpanEdit> edits) {
    List<org.eclipse.lsp4j.TextEdit> lspEdits = new ArrayList<>();
    for (SpanEdit edit : edits) {
      Span span = edit.span();
      lspEdits.add(new org.eclipse.lsp4j.TextEdit(DocumentAnalysis.lsp(text.toLsp(span)), edit.newText()));
    }
    return lspEdits;
  }

  private static WorkspaceEdit workspaceEdit(DocumentAnalysis analysis, List<SpanEdit> edits) {
    List<org.eclipse.lsp4j.TextEdit> lspEdits = lspEdits(analysis.text(), edits);
    TextDocument document = analysis.document();
    if (document.version() == TextDocument.ON_DISK) {
      return new WorkspaceEdit(Map.of(document.uri(), lspEdits));
    }
    TextDocumentEdit versioned = new TextDocumentEdit(
        new VersionedTextDocumentIdentifier(document.uri(), document.version()),
        lspEdits.stream().map(edit -> Either.<org.eclipse.lsp4j.TextEdit, org.eclipse.lsp4j.SnippetTextEdit>forLeft(edit))
            .toList());
    return new WorkspaceEdit(List.of(Either.forLeft(versioned)));
  }

  private static String title(FixPlan.Safe safe) {
    String title = safe.title() == null || safe.title().isBlank() ? safe.kind().title() : safe.title();
    return "ColdSpy: " + title + (safe.caveat().isEmpty() ? "" : " (" + safe.caveat() + ")");
  }

  private static JsonObject fixData(DocumentAnalysis analysis, AnalysedStatement statement, FixKind kind) {
    JsonObject data = documentData(analysis);
    data.add("statement", ref(statement));
    data.addProperty("fix", kind.name());
    return data;
  }

  private static JsonObject documentData(DocumentAnalysis analysis) {
    JsonObject data = new JsonObject();
    data.addProperty("uri", analysis.document().uri());
    data.addProperty("version", analysis.document().version());
    return data;
  }

  private static JsonObject ref(AnalysedStatement statement) {
    JsonObject ref = new JsonObject();
    ref.addProperty("file", statement.cost().ref().file());
    ref.addProperty("index", statement.cost().ref().index());
    return ref;
  }

  /**
   * The data of one of our code actions: document and version, and either a fix kind for a statement or a code
   * to suppress (for a statement, or for CS107 without one); empty when it is anything else.
   */
  private static Optional<JsonObject> dataOf(CodeAction action) {
    Object data = action == null ? null : action.getData();
    if (!(data instanceof JsonElement element) || !element.isJsonObject()) {
      return Optional.empty();
    }
    JsonObject object = element.getAsJsonObject();
    try {
      object.get("uri").getAsString();
      object.get("version").getAsInt();
      if (object.has("statement")) {
        object.getAsJsonObject("statement").get("file").getAsString();
        object.getAsJsonObject("statement").get("index").getAsInt();
      }
      if (object.has("suppress")) {
        return RuleCode.fromCode(object.get("suppress").getAsString()).map(rule -> object);
      }
      if (object.has("vendored")) {
        object.get("vendored").getAsString();
        return object.has("statement") ? Optional.of(object) : Optional.empty();
      }
      FixKind.valueOf(object.get("fix").getAsString());
      return object.has("statement") ? Optional.of(object) : Optional.empty();
    } catch (RuntimeException malformed) {
      return Optional.empty();
    }
  }

  /** Whether two ranges share a position, ends included (a cursor at an import's end still touches it). */
  static boolean overlaps(Range a, Range b) {
    return compare(a.getStart(), b.getEnd()) <= 0 && compare(b.getStart(), a.getEnd()) <= 0;
  }

  private static int compare(org.eclipse.lsp4j.Position a, org.eclipse.lsp4j.Position b) {
    return a.getLine() != b.getLine()
        ? Integer.compare(a.getLine(), b.getLine())
        : Integer.compare(a.getCharacter(), b.getCharacter());
  }
}
