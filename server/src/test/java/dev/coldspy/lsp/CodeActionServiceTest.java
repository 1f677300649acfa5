package dev.coldspy.lsp;

import static dev.coldspy.lsp.LspAssert.assertCodeActions;
import static dev.coldspy.lsp.LspAssert.applied;
import static dev.coldspy.lsp.LspAssert.assertDiagnostics;
import static dev.coldspy.lsp.LspAssert.ca;
import static dev.coldspy.lsp.LspAssert.d;
import static dev.coldspy.lsp.LspAssert.r;
import static dev.coldspy.lsp.LspAssert.te;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.lsp4j.CodeAction;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DiagnosticSeverity;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.TextEdit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodeActionServiceTest {
  @TempDir Path root;

  private static final String HANDLER =
      """
      import json
      from reportlab.pdfgen import canvas


      def render(event):
          return canvas.Canvas(event["name"])


      def handler(event, context):
          if event.get("pdf"):
              return render(event)
          return json.dumps(event)
      """;

  private TestProject project(String source) {
    return new TestProject(root)
        .file("handler.py", source)
        .module("json", 2, "handler.py", 1)
        .module("reportlab", 300, "handler.py", 2)
        .submodule("reportlab.pdfgen", "reportlab", 100)
        .usedIn("json", 40)
        .usedIn("reportlab", 2)
        .useSite("handler.py", "render", 6, "reportlab", 57);
  }

  private static Range line(int line) {
    return new Range(new Position(line, 0), new Position(line, 0));
  }

  private static List<CodeAction> actions(DocumentAnalysis analysis, Range range) {
    return CodeActionService.actions(analysis, range, TestProject.NEVER_CANCELLED).stream()
        .map(either -> either.getRight()).toList();
  }

  /** The action as the client sends it back for resolving: through JSON, data as a JSON tree. */
  private static CodeAction roundTrip(CodeAction action) {
    CodeAction copy = new CodeAction(action.getTitle());
    copy.setData(JsonParser.parseString(action.getData().toString()));
    return copy;
  }


  private static String hover(DocumentAnalysis analysis, int line) {
    return HoverService.hover(analysis, new Position(line, 0), TestProject.NEVER_CANCELLED).getContents().getRight()
        .getValue();
  }

  private static List<TextEdit> resolvedEdits(DocumentAnalysis analysis, CodeAction listed) {
    CodeAction resolved = CodeActionService.resolve(analysis, roundTrip(listed), TestProject.NEVER_CANCELLED);
    return resolved.getEdit().getDocumentChanges().get(0).getLeft().getEdits().stream()
        .map(either -> either.getLeft()).toList();
  }

  @Test
  void aRarelyUsedImportOffersLazyLoadingFirstAndSuppressingLast() {
    DocumentAnalysis analysis = project(HANDLER).analyse("handler.py");

    List<CodeAction> actions = actions(analysis, line(1));

    // Listed without edits (computed on resolve), bound to the diagnostic the server published.
    Diagnostic published = DiagnosticService.diagnostics(analysis, TestProject.NEVER_CANCELLED).get(0);
    assertEquals("CS102", published.getCode().getLeft());
    assertCodeActions(actions,
        ca("ColdSpy: Lazy-load `canvas` in `render()`", true, published),
        ca("ColdSpy: Suppress CS102 on this line", false, published));
  }

  @Test
  void suppressingAddsANoqaCommentThatTheServerHonours() {
    DocumentAnalysis analysis = project(HANDLER).analyse("handler.py");

    List<TextEdit> edits = resolvedEdits(analysis, actions(analysis, line(1)).get(1));

    assertEquals(List.of(te(1, 35, 1, 35, "  # noqa: CS102")), edits);
    String silenced = applied(HANDLER, edits);
    assertEquals("from reportlab.pdfgen import canvas  # noqa: CS102\n", silenced.lines().skip(1).findFirst()
        .orElseThrow() + "\n");
    DocumentAnalysis after = project(silenced).analyse("handler.py");
    assertEquals(List.of(), DiagnosticService.diagnostics(after, TestProject.NEVER_CANCELLED));
    assertEquals(List.of(), actions(after, line(1)));
  }

  @Test
  void suppressingJoinsANoqaListAlreadyOnTheLine() {
    String flake8 = HANDLER.replace("import canvas\n", "import canvas  # noqa: F401\n");
    DocumentAnalysis analysis = project(flake8).analyse("handler.py");

    List<TextEdit> edits = resolvedEdits(analysis, actions(analysis, line(1)).get(1));

    assertEquals(List.of(te(1, 49, 1, 49, ", CS102")), edits);
    assertEquals(List.of(), DiagnosticService.diagnostics(project(applied(flake8, edits)).analyse("handler.py"),
        TestProject.NEVER_CANCELLED));
  }

  @Test
  void anotherCodesNoqaDoesNotSilenceTheFinding() {
    DocumentAnalysis analysis = project(HANDLER.replace("import canvas\n", "import canvas  # noqa: CS101\n"))
        .analyse("handler.py");

    assertEquals(List.of("CS102"), DiagnosticService.diagnostics(analysis, TestProject.NEVER_CANCELLED).stream()
        .map(d -> d.getCode().getLeft()).toList());
  }

  @Test
  void resolvingMovesTheImportIntoTheFunctionThatUsesIt() {
    DocumentAnalysis analysis = project(HANDLER).analyse("handler.py");
    CodeAction listed = actions(analysis, line(1)).get(0);

    CodeAction resolved = CodeActionService.resolve(analysis, roundTrip(listed), TestProject.NEVER_CANCELLED);

    List<TextEdit> edits = resolvedEdits(analysis, listed);
    assertEquals(List.of(te(1, 0, 2, 0, ""), te(5, 0, 5, 0, "    from reportlab.pdfgen import canvas\n")), edits);
    assertEquals(
        """
        import json


        def render(event):
            from reportlab.pdfgen import canvas
            return canvas.Canvas(event["name"])


        def handler(event, context):
            if event.get("pdf"):
                return render(event)
            return json.dumps(event)
        """,
        applied(HANDLER, edits));
    assertEquals(1, resolved.getEdit().getDocumentChanges().get(0).getLeft().getTextDocument().getVersion());
  }

  @Test
  void anUnsafeCaseOffersOnlyTheSuppressionAndTheHoverSaysWhy() {
    // `global canvas` in a function rebinds the module-level name: moving the import would change that.
    String rebound = HANDLER.replace("def handler(event, context):\n",
        "def handler(event, context):\n    global canvas\n    canvas = canvas or None\n");
    DocumentAnalysis analysis = project(rebound).analyse("handler.py");

    List<Diagnostic> diagnostics = DiagnosticService.diagnostics(analysis, TestProject.NEVER_CANCELLED);
    assertDiagnostics(diagnostics, d(r(1, 0, 1, 35), DiagnosticSeverity.Warning, "CS102",
        "reportlab used in 2/40 cold starts — lazy-load saves ~380 ms"));
    assertCodeActions(actions(analysis, line(1)), ca("ColdSpy: Suppress CS102 on this line", false, diagnostics.get(0)));
    assertTrue(hover(analysis, 1).contains("No automatic fix: lazy-load this import: `canvas` is also declared"
        + " `global` in function `handler` at line 10 (`global canvas`)"), hover(analysis, 1));
  }

  @Test
  void noActionsAwayFromFindings() {
    assertEquals(List.of(), actions(project(HANDLER).analyse("handler.py"), line(8)));
  }

  @Test
  void aStaleOrForeignActionResolvesToNothing() {
    DocumentAnalysis analysis = project(HANDLER).analyse("handler.py");
    CodeAction listed = roundTrip(actions(analysis, line(1)).get(0));
    listed.setData(JsonParser.parseString(listed.getData().toString().replace("\"version\":1", "\"version\":7")));
    assertNull(CodeActionService.resolve(analysis, listed, TestProject.NEVER_CANCELLED).getEdit());

    CodeAction foreign = new CodeAction("something else");
    foreign.setData(JsonParser.parseString("{\"fix\":\"NOT_A_FIX\"}"));
    assertNull(CodeActionService.resolve(analysis, foreign, TestProject.NEVER_CANCELLED).getEdit());
    assertEquals("", CodeActionService.documentOf(foreign));
  }

  @Test
  void removingAnImportOfAProjectModuleThatActsWhenImportedIsRefused() {
    DocumentAnalysis analysis = new TestProject(root)
        .file("handler.py", "import json\nimport parsers\n\n\ndef handler(event, context):\n    return json.dumps(event)\n")
        .file("parsers.py", "from registry import register\n\n\n@register(\"csv\")\ndef parse_csv(text):\n    return text\n")
        .module("json", 2, "handler.py", 1).module("parsers", 300, "handler.py", 2).usedIn("json", 40)
        .analyse("handler.py");

    List<Diagnostic> diagnostics = DiagnosticService.diagnostics(analysis, TestProject.NEVER_CANCELLED);
    assertDiagnostics(diagnostics, d(r(1, 0, 1, 14), DiagnosticSeverity.Warning, "CS101",
        "parsers never used in 40 cold starts — remove it (saves ~300 ms)"));
    assertCodeActions(actions(analysis, line(1)), ca("ColdSpy: Suppress CS101 on this line", false, diagnostics.get(0)));
    assertTrue(hover(analysis, 1).contains("No automatic fix: remove this unused import: importing the project's"
        + " module `parsers` runs code (its line 4 does more than define names) the program may rely on"),
        hover(analysis, 1));
  }

  @Test
  void sideEffectModulesFromTheSettingsAreNeverRemoved() {
    String source = "import json\nimport acme_hooks\n\n\ndef handler(event, context):\n    return json.dumps(event)\n";
    TestProject plain = new TestProject(root).file("handler.py", source)
        .module("json", 2, "handler.py", 1).module("acme_hooks", 300, "handler.py", 2).usedIn("json", 40);
    assertEquals(List.of("ColdSpy: Remove unused import `acme_hooks`", "ColdSpy: Suppress CS101 on this line"),
        titles(actions(plain.analyse("handler.py"), line(1))));

    DocumentAnalysis configured = plain
        .file("pyproject.toml", "[tool.coldspy]\nside-effect-modules = [\"acme_hooks\"]\n").analyse("handler.py");
    assertEquals(List.of("ColdSpy: Suppress CS101 on this line"), titles(actions(configured, line(1))));
  }

  @Test
  void eachImportLineOffersItsOwnFix() {
    String twoRarelyUsed = HANDLER.replace("from reportlab.pdfgen import canvas\n",
        "from reportlab.pdfgen import canvas\nimport yaml\n").replace("def handler(event, context):\n",
        "def load(text):\n    return yaml.safe_load(text)\n\n\ndef handler(event, context):\n");
    DocumentAnalysis analysis = project(twoRarelyUsed)
        .module("yaml", 200, "handler.py", 3).usedIn("yaml", 1).useSite("handler.py", "load", 11, "yaml", 3)
        .analyse("handler.py");

    assertEquals(List.of("ColdSpy: Lazy-load `canvas` in `render()`", "ColdSpy: Suppress CS102 on this line"),
        titles(actions(analysis, line(1))));
    assertEquals(List.of("ColdSpy: Lazy-load `yaml` in `load()`", "ColdSpy: Suppress CS102 on this line"),
        titles(actions(analysis, line(2))));
  }

  @Test
  void aNeverUsedImportNothingRefersToOffersRemoveFirst() {
    String source = "import json\nimport yaml\n\n\ndef handler(event, context):\n    return json.dumps(event)\n";
    DocumentAnalysis analysis = new TestProject(root).file("handler.py", source)
        .module("json", 2, "handler.py", 1).module("yaml", 200, "handler.py", 2).usedIn("json", 40)
        .analyse("handler.py");
    Diagnostic published = DiagnosticService.diagnostics(analysis, TestProject.NEVER_CANCELLED).get(0);

    // Nothing to lazy-load into: no function refers to `yaml`.
    assertCodeActions(actions(analysis, line(1)),
        ca("ColdSpy: Remove unused import `yaml`", true, published),
        ca("ColdSpy: Suppress CS101 on this line", false, published));
    assertEquals(List.of(te(1, 0, 2, 0, "")), resolvedEdits(analysis, actions(analysis, line(1)).get(0)));
  }

  @Test
  void aNeverUsedImportAFunctionRefersToIsLazyLoadedNotRemoved() {
    // `load` never ran in the profiled cold starts, but removing the import would break it when it does.
    String source = "import json\nimport yaml\n\n\ndef load(text):\n    return yaml.safe_load(text)\n\n\n"
        + "def handler(event, context):\n    return json.dumps(event)\n";
    DocumentAnalysis analysis = new TestProject(root).file("handler.py", source)
        .module("json", 2, "handler.py", 1).module("yaml", 200, "handler.py", 2).usedIn("json", 40)
        .analyse("handler.py");
    Diagnostic published = DiagnosticService.diagnostics(analysis, TestProject.NEVER_CANCELLED).get(0);

    assertEquals("CS101", published.getCode().getLeft());
    assertCodeActions(actions(analysis, line(1)),
        ca("ColdSpy: Lazy-load `yaml` in `load()`", true, published),
        ca("ColdSpy: Suppress CS101 on this line", false, published));
  }

  @Test
  void compilingFromSourceIsSuppressedOnTheHandlersDef() {
    TestProject compiled = project(HANDLER).compiledFromSource();
    DocumentAnalysis analysis = compiled.analyse("handler.py");
    Diagnostic cs107 = DiagnosticService.diagnostics(analysis, TestProject.NEVER_CANCELLED).get(1);
    assertEquals("CS107", cs107.getCode().getLeft());

    List<CodeAction> actions = actions(analysis, line(8));

    assertCodeActions(actions, ca("ColdSpy: Suppress CS107 on this line", false, cs107));
    List<TextEdit> edits = resolvedEdits(analysis, actions.get(0));
    assertEquals(List.of(te(8, 28, 8, 28, "  # noqa: CS107")), edits);
    DocumentAnalysis after = compiled.file("handler.py", applied(HANDLER, edits)).analyse("handler.py");
    assertEquals(List.of("CS102"), DiagnosticService.diagnostics(after, TestProject.NEVER_CANCELLED).stream()
        .map(d -> d.getCode().getLeft()).toList());
  }

  private static List<String> titles(List<CodeAction> actions) {
    return actions.stream().map(CodeAction::getTitle).toList();
  }
}
