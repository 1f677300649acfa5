package dev.coldspy.intellij.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coldspy.intellij.core.ServerJvm;
import dev.coldspy.intellij.core.ServerJvm.ArchiveIdentity;
import dev.coldspy.intellij.core.StatusParams;
import dev.coldspy.intellij.core.StatusText;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.lsp4j.ClientCapabilities;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.MessageActionItem;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.ShowMessageRequestParams;
import org.eclipse.lsp4j.TextDocumentItem;
import org.eclipse.lsp4j.WorkspaceFolder;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.jsonrpc.services.JsonNotification;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.LanguageServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The IntelliJ plugin's server start ({@code ServerJvm}, used by {@code ColdSpyServerProcess}): the options it
 * puts before {@code -jar}, its class-data archive, and a real server started with them on the Java that runs
 * this test, talking to a client that takes {@code coldspy/status} as the plugin's client does.
 */
class ServerJvmTest {
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final Path JAVA_HOME = Path.of("/usr/lib/jvm/temurin-21");
  private static final ArchiveIdentity IDENTITY =
      new ArchiveIdentity(Path.of("/plugins/coldspy/server/coldspy.jar"), 6_363_316, 1_764_695_400_123L, JAVA_HOME, "21.0.8+9-b1038.68");

  @TempDir Path work;

  @Test
  void anArchiveIsNamedAfterTheJarAndTheJava() {
    String name = ServerJvm.archiveFileName(IDENTITY);

    assertTrue(name.matches("coldspy-[0-9a-f]{16}\\.jsa"), name);
    assertEquals(name, ServerJvm.archiveFileName(new ArchiveIdentity(IDENTITY.jar(), IDENTITY.jarSize(),
        IDENTITY.jarModifiedMillis(), IDENTITY.javaHome(), IDENTITY.javaVersion())));
    assertNotEquals(name, ServerJvm.archiveFileName(new ArchiveIdentity(IDENTITY.jar(), IDENTITY.jarSize() + 1,
        IDENTITY.jarModifiedMillis(), IDENTITY.javaHome(), IDENTITY.javaVersion())));
    assertNotEquals(name, ServerJvm.archiveFileName(new ArchiveIdentity(IDENTITY.jar(), IDENTITY.jarSize(),
        IDENTITY.jarModifiedMillis() + 1000, IDENTITY.javaHome(), IDENTITY.javaVersion())));
    assertNotEquals(name, ServerJvm.archiveFileName(new ArchiveIdentity(IDENTITY.jar(), IDENTITY.jarSize(),
        IDENTITY.jarModifiedMillis(), IDENTITY.javaHome(), "21.0.9+10-b1163.69")));
  }

  @Test
  void java19AndNewerKeepTheArchiveThemselvesOlderOnesStartWithTheFlagsAlone() {
    Path folder = Path.of("/idea-system/coldspy/class-data");

    assertEquals(ServerJvm.START_FLAGS, ServerJvm.options(folder, IDENTITY, 17));
    List<String> expected = new ArrayList<>(ServerJvm.START_FLAGS);
    expected.add("-XX:+AutoCreateSharedArchive");
    expected.add("-XX:SharedArchiveFile=" + folder.resolve(ServerJvm.archiveFileName(IDENTITY)));
    expected.add("-Xlog:cds*=off:stderr");
    assertEquals(expected, ServerJvm.options(folder, IDENTITY, 21));
    // JSON-RPC flows on stdout: the JVM's own log lines must go to stderr.
    List<String> flags = ServerJvm.START_FLAGS;
    assertEquals(List.of("-Xlog:disable", "-Xlog:all=warning:stderr"), flags.subList(flags.indexOf("-Xlog:disable"), flags.size()));
  }

  @Test
  void theStartFlagsAreTheVsCodeClients() throws Exception {
    // Both clients start the same server; the flags were chosen once, by measurement (docs/benchmarks.md).
    Path vscode = Repository.root().resolve("vscode-client/src/serverJvm.ts");
    Matcher declaration = Pattern.compile("START_FLAGS: readonly string\\[] = \\[([^\\]]*)]").matcher(Files.readString(vscode));
    assertTrue(declaration.find(), "no START_FLAGS array in " + vscode);
    List<String> vscodeFlags = Pattern.compile("'([^']*)'").matcher(declaration.group(1)).results().map(m -> m.group(1)).toList();

    assertEquals(vscodeFlags, ServerJvm.START_FLAGS);
  }

  @Test
  void theOptionsGoRightAfterTheJavaExecutableBeforeLsp4ijsDebugAgentAndTheJar() {
    List<String> lsp4ij = List.of("/jbr/bin/java", "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=5005", "-jar", "/p/coldspy.jar");

    assertEquals(
        List.of("/jbr/bin/java", "-XX:TieredStopAtLevel=1", "-Xlog:disable",
            "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=5005", "-jar", "/p/coldspy.jar"),
        ServerJvm.withOptions(lsp4ij, List.of("-XX:TieredStopAtLevel=1", "-Xlog:disable")));
  }

  @Test
  void archivesOfOtherJarsOrJavasAreDeleted() throws Exception {
    Path folder = Files.createDirectories(work.resolve("class-data"));
    Path current = Files.writeString(folder.resolve(ServerJvm.archiveFileName(IDENTITY)), "current");
    Path old = Files.writeString(folder.resolve("coldspy-0011223344556677.jsa"), "old plugin version");
    Path unrelated = Files.writeString(folder.resolve("notes.txt"), "not an archive");

    ServerJvm.deleteOtherArchives(folder, IDENTITY);

    assertTrue(Files.exists(current));
    assertFalse(Files.exists(old));
    assertTrue(Files.exists(unrelated));
    ServerJvm.deleteOtherArchives(work.resolve("never-created"), IDENTITY); // nothing to do, no failure
  }

  @Test
  void theServerStartedWithTheseOptionsReportsItsStatusAndKeepsItsArchive() throws Exception {
    Path jar = Repository.serverJar();
    Path java = Path.of(ProcessHandle.current().info().command().orElseThrow());
    Path javaHome = java.getParent().getParent();
    int feature = Runtime.version().feature();
    Path archives = Files.createDirectories(work.resolve("class-data"));
    var identity = ArchiveIdentity.of(jar, javaHome, Runtime.version().toString());
    Path project = FixtureProject.copy("pdf_report", "pdf_report.json", work);
    List<String> command = ServerJvm.withOptions(List.of(java.toString(), "-jar", jar.toString()),
        ServerJvm.options(archives, identity, feature));
    List<String> serve = new ArrayList<>(command);
    serve.add("serve");

    Session first = session(serve, project, "first");
    StatusText status = StatusText.of(first.status());
    assertTrue(status.text().matches("handler: [\\d.]+ (ms|s) init( \\(−[\\d.]+ (ms|s) possible\\))?"), status.text());

    Path archive = archives.resolve(ServerJvm.archiveFileName(identity));
    if (feature >= 19) {
      assertTrue(Files.size(archive) > 0, "Java " + feature + " wrote no archive at exit: " + first.stderr());
      // -Xshare:on makes a JVM that cannot map the archive fail instead of running without it.
      Process strict = new ProcessBuilder(java.toString(), "-Xshare:on", "-XX:SharedArchiveFile=" + archive, "-jar",
          jar.toString(), "--version").redirectErrorStream(true).start();
      String said = new String(strict.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(strict.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS));
      assertEquals(0, strict.exitValue(), "the written archive does not map: " + said);
      Session second = session(serve, project, "second");
      assertNotNull(second.status());
      assertFalse(second.stderr().contains("[warning]"), "the JVM warned: " + second.stderr());
    } else {
      assertFalse(Files.exists(archive), "Java " + feature + " cannot keep an archive by itself");
    }
    assertFalse(first.stderr().contains("[error"), "JVM errors: " + first.stderr());
  }

  /** One editor session: the first {@code coldspy/status} after opening the handler, and the JVM's stderr. */
  private record Session(StatusParams status, String stderr) {}

  private Session session(List<String> command, Path project, String name) throws Exception {
    Path stderr = work.resolve(name + "-stderr.log");
    Process server = new ProcessBuilder(command).directory(project.toFile()).redirectError(stderr.toFile()).start();
    try {
      var client = new StatusClient();
      Launcher<LanguageServer> launcher = LSPLauncher.createClientLauncher(client, server.getInputStream(), server.getOutputStream());
      launcher.startListening();
      LanguageServer languageServer = launcher.getRemoteProxy();
      var params = new InitializeParams();
      params.setProcessId((int) ProcessHandle.current().pid());
      params.setWorkspaceFolders(List.of(new WorkspaceFolder(project.toUri().toString(), project.getFileName().toString())));
      params.setCapabilities(new ClientCapabilities());
      languageServer.initialize(params).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      languageServer.initialized(new InitializedParams());
      Path handler = project.resolve("handler.py");
      languageServer.getTextDocumentService().didOpen(new DidOpenTextDocumentParams(
          new TextDocumentItem(handler.toUri().toString(), "python", 1, Files.readString(handler, StandardCharsets.UTF_8))));
      StatusParams status = client.statuses.poll(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      assertNotNull(status, "no coldspy/status within " + PATIENCE + "; stderr: " + Files.readString(stderr));
      languageServer.shutdown().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      languageServer.exit();
      assertTrue(server.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS), "the server must exit after `exit`");
      return new Session(status, Files.readString(stderr));
    } finally {
      server.destroyForcibly();
    }
  }

  /** A client that takes {@code coldspy/status} into the plugin's {@link StatusParams}, as ColdSpyLanguageClient does. */
  public static final class StatusClient implements LanguageClient {
    final LinkedBlockingQueue<StatusParams> statuses = new LinkedBlockingQueue<>();

    @JsonNotification("coldspy/status")
    public void status(StatusParams params) {
      if (params.handler != null) {
        statuses.add(params);
      }
    }

    @Override
    public void telemetryEvent(Object object) {}

    @Override
    public void publishDiagnostics(PublishDiagnosticsParams diagnostics) {}

    @Override
    public void showMessage(MessageParams messageParams) {}

    @Override
    public CompletableFuture<MessageActionItem> showMessageRequest(ShowMessageRequestParams requestParams) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void logMessage(MessageParams message) {}
  }
}
