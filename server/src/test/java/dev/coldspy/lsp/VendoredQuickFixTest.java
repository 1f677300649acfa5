package dev.coldspy.lsp;

import static dev.coldspy.lsp.LspAssert.applied;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import dev.coldspy.verify.FixtureApps;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.lsp4j.CodeAction;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.TextEdit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The opt-in quick fix inside a library shipped in the function's folder, on the delivery_zones fixture (a
 * vendored {@code geozones} whose {@code __init__.py} eagerly imports its drawing part, which pulls in
 * matplotlib): offered on the user's {@code import geozones} only with {@code coldspy.fixVendoredLibraries}, and
 * its edit of the library's file is what {@code coldspy fix --vendored} writes.
 */
class VendoredQuickFixTest {
  private static final Path PROFILE =
      Path.of("../fixtures/profiles/delivery_zones.json").toAbsolutePath().normalize();

  @TempDir Path root;

  private Path app() throws IOException {
    Path app = FixtureApps.copy("delivery_zones", root.resolve("delivery_zones"));
    Path profiles = Files.createDirectories(app.resolve(".coldspy/profiles"));
    Files.copy(PROFILE, profiles.resolve("delivery_zones.json"));
    return app;
  }

  private static DocumentAnalysis handler(Path app, String clientSettings) throws IOException {
    WorkspaceSetup setup = WorkspaceSetup.load(List.of(app), JsonParser.parseString(clientSettings));
    Path file = app.resolve("handler.py");
    TextDocument onDisk = new TextDocument(TextDocument.uriOf(file), "python",
        Files.readString(file, StandardCharsets.UTF_8), TextDocument.ON_DISK);
    return new Analyzer(new ServerLog(System.err)).analyse(onDisk, WorkspaceSnapshot.EMPTY.withSetup(setup),
        TestProject.NEVER_CANCELLED);
  }

  private static Diagnostic unusedPart(DocumentAnalysis analysis) {
    return DiagnosticService.diagnostics(analysis, TestProject.NEVER_CANCELLED).stream()
        .filter(d -> d.getCode().getLeft().equals("CS106")).findFirst().orElseThrow();
  }

  private static List<CodeAction> actions(DocumentAnalysis analysis, Diagnostic diagnostic) {
    return CodeActionService.actions(analysis, diagnostic.getRange(), TestProject.NEVER_CANCELLED).stream()
        .map(either -> either.getRight()).toList();
  }

  @Test
  void withoutTheSettingOnlyTheSuppressionIsOffered() throws IOException {
    DocumentAnalysis analysis = handler(app(), "{}");

    assertEquals(List.of("ColdSpy: Suppress CS106 on this line"),
        actions(analysis, unusedPart(analysis)).stream().map(CodeAction::getTitle).toList());
  }

  @Test
  void optedInTheLibrarysOwnLineIsDeferredAsFixVendoredDoes(@TempDir Path cli) throws IOException {
    Path app = app();
    DocumentAnalysis analysis = handler(app, "{\"fixVendoredLibraries\": true}");
    Diagnostic diagnostic = unusedPart(analysis);

    List<CodeAction> actions = actions(analysis, diagnostic);

    assertEquals(2, actions.size(), actions.toString());
    assertTrue(actions.get(0).getTitle().startsWith("ColdSpy: Defer `render_map` to first access with a module"
        + " `__getattr__` (PEP 562)"), actions.get(0).getTitle());
    assertTrue(actions.get(0).getTitle().endsWith(" in geozones/__init__.py (library code)"), actions.get(0).getTitle());
    assertEquals(false, actions.get(0).getIsPreferred());
    assertEquals("ColdSpy: Suppress CS106 on this line", actions.get(1).getTitle());

    CodeAction listed = new CodeAction(actions.get(0).getTitle());
    listed.setData(JsonParser.parseString(actions.get(0).getData().toString()));
    CodeAction resolved = CodeActionService.resolve(analysis, listed, TestProject.NEVER_CANCELLED);

    Path library = app.resolve("geozones/__init__.py");
    Map<String, List<TextEdit>> changes = resolved.getEdit().getChanges();
    assertEquals(List.of(TextDocument.uriOf(library)), List.copyOf(changes.keySet()));
    Path byCommandLine = FixtureApps.copy("delivery_zones", cli.resolve("delivery_zones"));
    // 1: CS107 (modules compiled from source) remains, precompile's to fix
    assertEquals(1, FixtureApps.coldspy("fix", "--vendored", "--profile", PROFILE.toString(),
        byCommandLine.toString()).status());
    assertEquals(Files.readString(byCommandLine.resolve("geozones/__init__.py")),
        applied(Files.readString(library), changes.get(TextDocument.uriOf(library))));
  }
}
