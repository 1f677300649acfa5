package dev.coldspy.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.lsp4j.CodeAction;
import org.eclipse.lsp4j.CodeActionContext;
import org.eclipse.lsp4j.CodeActionParams;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.InlayHint;
import org.eclipse.lsp4j.InlayHintParams;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.TextDocumentItem;
import org.eclipse.lsp4j.WorkspaceFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code coldspy.jar serve} over stdio, as an editor runs it, on the rules-engine fixture (the
 * thesis's StreamAlert case) with its golden profile.
 */
class PackagedServerIT {
  private static final Path FIXTURES = locate("fixtures");
  private static final String RULE_FILE = "rules/cloudtrail_public_resources.py";

  @TempDir Path workspace;

  @Test
  void diagnosticsHintsHoverAndAResolvedQuickFixOnTheRulesEngine() throws Exception {
    Path app = copyFixture("rules_engine");
    String ruleUri = app.resolve(RULE_FILE).toUri().toString();
    try (PackagedServer packaged = new PackagedServer(app)) {
      InitializeParams init = new InitializeParams();
      init.setProcessId((int) ProcessHandle.current().pid());
      init.setWorkspaceFolders(List.of(new WorkspaceFolder(app.toUri().toString(), "rules_engine")));
      init.setCapabilities(ServerConnection.vsCodeLikeCapabilities());
      assertEquals("coldspy", packaged.server.initialize(init).get(30, TimeUnit.SECONDS).getServerInfo().getName());
      packaged.server.initialized(new InitializedParams());

      // Workspace-wide: the rule file has its diagnostic before anyone opens it.
      PublishDiagnosticsParams unopened =
          packaged.client.awaitDiagnostics(ruleUri, p -> !p.getDiagnostics().isEmpty());
      Diagnostic policyuniverse = unopened.getDiagnostics().get(0);
      assertEquals("CS102", policyuniverse.getCode().getLeft());
      assertEquals(1, policyuniverse.getRange().getStart().getLine()); // line 2 of the file
      assertTrue(policyuniverse.getMessage().getLeft().contains("policyuniverse"));

      String text = Files.readString(app.resolve(RULE_FILE));
      var documents = packaged.server.getTextDocumentService();
      documents.didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(ruleUri, "python", 1, text)));
      PublishDiagnosticsParams opened =
          packaged.client.awaitDiagnostics(ruleUri, p -> Integer.valueOf(1).equals(p.getVersion()));
      assertEquals(unopened.getDiagnostics(), opened.getDiagnostics());

      List<InlayHint> hints = documents.inlayHint(new InlayHintParams(new TextDocumentIdentifier(ruleUri),
          new Range(new Position(0, 0), new Position(500, 0)))).get(30, TimeUnit.SECONDS);
      InlayHint onImport = hints.stream().filter(h -> h.getPosition().getLine() == 1).findFirst().orElseThrow();
      assertTrue(onImport.getLabel().getLeft().startsWith("⏱ "), onImport.getLabel().getLeft());

      Hover hover = documents.hover(new HoverParams(new TextDocumentIdentifier(ruleUri), new Position(1, 8)))
          .get(30, TimeUnit.SECONDS);
      String markdown = hover.getContents().getRight().getValue();
      assertTrue(markdown.contains("`policyuniverse"), markdown);
      assertTrue(markdown.contains("CS102"), markdown);

      CodeActionParams actionParams = new CodeActionParams(new TextDocumentIdentifier(ruleUri),
          new Range(new Position(1, 0), new Position(1, 0)), new CodeActionContext(opened.getDiagnostics()));
      List<CodeAction> actions = documents.codeAction(actionParams).get(30, TimeUnit.SECONDS).stream()
          .map(either -> either.getRight()).toList();
      assertFalse(actions.isEmpty(), "no quick fix for policyuniverse");
      CodeAction lazyLoad = actions.get(0);
      assertTrue(lazyLoad.getTitle().startsWith("ColdSpy: Lazy-load"), lazyLoad.getTitle());
      CodeAction resolved = documents.resolveCodeAction(lazyLoad).get(30, TimeUnit.SECONDS);
      var edit = resolved.getEdit().getDocumentChanges().get(0).getLeft();
      assertEquals(ruleUri, edit.getTextDocument().getUri());
      assertTrue(edit.getEdits().stream().anyMatch(e -> e.getLeft().getNewText().contains("from policyuniverse")),
          edit.toString());

      assertEquals(0, packaged.stop());
      packaged.assertStdoutWasOnlyJsonRpc();
    }
  }

  @Test
  void garbageOnStdinNeitherKillsTheServerNorReachesStdout() throws Exception {
    try (PackagedServer packaged = new PackagedServer(workspace)) {
      byte[] junk = "Content-Length: 5\r\n\r\nhello".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      packaged.process.getOutputStream().write(junk);
      packaged.process.getOutputStream().flush();
      InitializeParams init = new InitializeParams();
      init.setCapabilities(ServerConnection.vsCodeLikeCapabilities());
      assertEquals("coldspy", packaged.server.initialize(init).get(30, TimeUnit.SECONDS).getServerInfo().getName());
      assertEquals(0, packaged.stop());
      packaged.assertStdoutWasOnlyJsonRpc();
    }
  }

  private Path copyFixture(String name) throws IOException {
    Path source = FIXTURES.resolve("apps").resolve(name);
    Path target = workspace.resolve(name);
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Path copy = target.resolve(source.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(copy);
        } else {
          Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    Path profiles = target.resolve(dev.coldspy.project.Project.PROFILES_DIRECTORY);
    Files.createDirectories(profiles);
    Files.copy(FIXTURES.resolve("profiles").resolve(name + ".json"), profiles.resolve(name + ".json"));
    return target;
  }

  private static Path locate(String directory) {
    Path fromModule = Path.of("..", directory);
    return (Files.isDirectory(fromModule) ? fromModule : Path.of(directory)).toAbsolutePath().normalize();
  }
}
