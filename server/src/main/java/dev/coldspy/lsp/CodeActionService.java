package dev.coldspy.lsp;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.coldspy.engine.StatementRef;
import dev.coldspy.fix.FixPlan;
import dev.coldspy.project.ProjectAnalysis.AnalysedStatement;
import dev.coldspy.rules.FixKind;
import dev.coldspy.text.Span;
import dev.coldspy.text.SpanEdit;
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
 * diagnostic. The list carries no edits; {@code codeAction/resolve} computes them for the one the user picks
 * (against the same document version, or not at all).
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
          CodeAction action = new CodeAction(title(safe));
          action.setKind(CodeActionKind.QuickFix);
          action.setDiagnostics(List.of(diagnostic));
          action.setIsPreferred(preferred);
          preferred = false;
          action.setData(data(analysis, statement, safe.kind()));
          actions.add(Either.forRight(action));
        }
      }
    }
    return actions;
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
    FixKind kind = FixKind.valueOf(data.get().get("fix").getAsString());
    JsonObject ref = data.get().getAsJsonObject("statement");
    Optional<AnalysedStatement> statement =
        analysis.statement(new StatementRef(ref.get("file").getAsString(), ref.get("index").getAsInt()));
    if (statement.isEmpty()) {
      return action;
    }
    cancel.checkCanceled();
    for (FixPlan plan : analysis.fixPlans(statement.get())) {
      if (plan instanceof FixPlan.Safe safe && safe.kind() == kind) {
        action.setEdit(workspaceEdit(analysis, safe.edits()));
      }
    }
    return action;
  }

  private static WorkspaceEdit workspaceEdit(DocumentAnalysis analysis, List<SpanEdit> edits) {
    List<org.eclipse.lsp4j.TextEdit> lspEdits = new ArrayList<>();
    for (SpanEdit edit : edits) {
      Span span = edit.span();
      lspEdits.add(new org.eclipse.lsp4j.TextEdit(DocumentAnalysis.lsp(analysis.text().toLsp(span)), edit.newText()));
    }
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

  private static JsonObject data(DocumentAnalysis analysis, AnalysedStatement statement, FixKind kind) {
    JsonObject data = new JsonObject();
    data.addProperty("uri", analysis.document().uri());
    data.addProperty("version", analysis.document().version());
    JsonObject ref = new JsonObject();
    ref.addProperty("file", statement.cost().ref().file());
    ref.addProperty("index", statement.cost().ref().index());
    data.add("statement", ref);
    data.addProperty("fix", kind.name());
    return data;
  }

  private static Optional<JsonObject> dataOf(CodeAction action) {
    Object data = action == null ? null : action.getData();
    if (data instanceof JsonElement element && element.isJsonObject()) {
      JsonObject object = element.getAsJsonObject();
      boolean complete = object.has("uri") && object.has("version") && object.has("statement")
          && object.has("fix");
      try {
        if (complete) {
          FixKind.valueOf(object.get("fix").getAsString());
          object.get("version").getAsInt();
          object.getAsJsonObject("statement").get("file").getAsString();
          object.getAsJsonObject("statement").get("index").getAsInt();
          return Optional.of(object);
        }
      } catch (RuntimeException malformed) {
        return Optional.empty();
      }
    }
    return Optional.empty();
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
