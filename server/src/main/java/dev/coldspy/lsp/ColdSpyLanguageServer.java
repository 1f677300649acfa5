package dev.coldspy.lsp;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntConsumer;
import org.eclipse.lsp4j.CodeActionOptions;
import org.eclipse.lsp4j.CodeActionKind;
import org.eclipse.lsp4j.CodeLensOptions;
import org.eclipse.lsp4j.ExecuteCommandOptions;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.InlayHintRegistrationOptions;
import org.eclipse.lsp4j.SaveOptions;
import org.eclipse.lsp4j.ServerCapabilities;
import org.eclipse.lsp4j.ServerInfo;
import org.eclipse.lsp4j.TextDocumentSyncKind;
import org.eclipse.lsp4j.TextDocumentSyncOptions;
import org.eclipse.lsp4j.WorkDoneProgressCancelParams;
import org.eclipse.lsp4j.WorkspaceFolder;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.LanguageClientAware;
import org.eclipse.lsp4j.services.LanguageServer;

/**
 * The LSP lifecycle (initialize, initialized, shutdown, exit) and the capabilities ColdSpy offers. Everything
 * about documents and the workspace is in {@link Workspace}; the two LSP4J services are thin adapters to it.
 */
public final class ColdSpyLanguageServer implements LanguageServer, LanguageClientAware {
  static final Duration PARENT_POLL_INTERVAL = Duration.ofSeconds(2);

  private final ServerLog log;
  private final Workspace workspace;
  private final ColdSpyTextDocumentService textDocumentService;
  private final ColdSpyWorkspaceService workspaceService;
  private final IntConsumer exitProcess;
  private volatile boolean shutdownRequested;
  private volatile ParentProcessWatcher parentWatcher;

  /**
   * @param exitProcess ends the process with the given status; called on {@code exit} and when the parent
   *     process dies (tests pass a recorder instead of {@code System::exit})
   */
  public ColdSpyLanguageServer(ServerLog log, IntConsumer exitProcess) {
    this.log = log;
    this.exitProcess = exitProcess;
    this.workspace = new Workspace(log);
    this.textDocumentService = new ColdSpyTextDocumentService(workspace, log);
    this.workspaceService = new ColdSpyWorkspaceService(workspace, log);
  }

  @Override
  public void connect(LanguageClient client) {
    log.connect(client);
    workspace.connect(client);
  }

  @Override
  public CompletableFuture<InitializeResult> initialize(InitializeParams params) {
    Integer parentPid = params.getProcessId();
    if (parentPid != null) {
      parentWatcher =
          new ParentProcessWatcher(
              parentPid,
              PARENT_POLL_INTERVAL,
              () -> {
                log.info("the editor process " + parentPid + " is gone; exiting");
                exitProcess.accept(1);
              });
    }
    workspace.initialize(workspaceRoots(params), ClientFeatures.of(params));
    return CompletableFuture.completedFuture(
        new InitializeResult(capabilities(), new ServerInfo("coldspy", version())));
  }

  @Override
  public void initialized(InitializedParams params) {
    workspace.start();
  }

  @Override
  public CompletableFuture<Object> shutdown() {
    shutdownRequested = true;
    workspace.close();
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void exit() {
    release();
    exitProcess.accept(exitStatus());
  }

  /** LSP: exit status 0 after a shutdown request, 1 otherwise. */
  int exitStatus() {
    return shutdownRequested ? 0 : 1;
  }

  /** Stops the server's threads (watchers, timers, analysis); idempotent. */
  void release() {
    ParentProcessWatcher watcher = parentWatcher;
    if (watcher != null) {
      watcher.close();
    }
    workspace.close();
  }

  @Override
  public void cancelProgress(WorkDoneProgressCancelParams params) {
    if (params != null && params.getToken() != null) {
      workspace.cancelProgress(params.getToken().isLeft()
          ? params.getToken().getLeft() : String.valueOf(params.getToken().getRight()));
    }
  }

  @Override
  public ColdSpyTextDocumentService getTextDocumentService() {
    return textDocumentService;
  }

  @Override
  public ColdSpyWorkspaceService getWorkspaceService() {
    return workspaceService;
  }

  static ServerCapabilities capabilities() {
    ServerCapabilities capabilities = new ServerCapabilities();
    TextDocumentSyncOptions sync = new TextDocumentSyncOptions();
    sync.setOpenClose(true);
    // Full sync: a whole Python module per change is small, and it avoids applying ranges to stale text.
    sync.setChange(TextDocumentSyncKind.Full);
    sync.setSave(new SaveOptions(false));
    capabilities.setTextDocumentSync(sync);
    capabilities.setHoverProvider(true);
    capabilities.setInlayHintProvider(new InlayHintRegistrationOptions());
    CodeActionOptions codeActions = new CodeActionOptions(List.of(CodeActionKind.QuickFix));
    codeActions.setResolveProvider(true);
    capabilities.setCodeActionProvider(codeActions);
    capabilities.setCodeLensProvider(new CodeLensOptions(false));
    capabilities.setExecuteCommandProvider(new ExecuteCommandOptions(List.of(Commands.PROFILE, Commands.VERIFY)));
    return capabilities;
  }

  private static List<Path> workspaceRoots(InitializeParams params) {
    List<Path> roots = new ArrayList<>();
    List<WorkspaceFolder> folders = params.getWorkspaceFolders();
    if (folders != null) {
      for (WorkspaceFolder folder : folders) {
        TextDocument.pathOf(folder.getUri()).ifPresent(roots::add);
      }
    }
    if (roots.isEmpty() && params.getRootUri() != null) {
      TextDocument.pathOf(params.getRootUri()).ifPresent(roots::add);
    }
    @SuppressWarnings("deprecation")
    String rootPath = params.getRootPath();
    if (roots.isEmpty() && rootPath != null) {
      roots.add(Path.of(rootPath).toAbsolutePath().normalize());
    }
    return List.copyOf(roots);
  }

  private static String version() {
    return Optional.ofNullable(ColdSpyLanguageServer.class.getPackage().getImplementationVersion())
        .orElse("dev");
  }
}
