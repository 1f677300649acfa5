package dev.coldspy.lsp;

import dev.coldspy.project.ProjectAnalysis;
import dev.coldspy.project.SourceReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import org.eclipse.lsp4j.CodeAction;
import org.eclipse.lsp4j.ConfigurationItem;
import org.eclipse.lsp4j.ConfigurationParams;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DidChangeWatchedFilesRegistrationOptions;
import org.eclipse.lsp4j.ExecuteCommandParams;
import org.eclipse.lsp4j.FileEvent;
import org.eclipse.lsp4j.FileSystemWatcher;
import org.eclipse.lsp4j.MessageType;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.Registration;
import org.eclipse.lsp4j.RegistrationParams;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;
import org.eclipse.lsp4j.TextDocumentItem;
import org.eclipse.lsp4j.VersionedTextDocumentIdentifier;
import org.eclipse.lsp4j.jsonrpc.CancelChecker;
import org.eclipse.lsp4j.jsonrpc.CompletableFutures;
import org.eclipse.lsp4j.services.LanguageClient;

/**
 * The server's state and its reactions to events. State is one immutable {@link WorkspaceSnapshot} (open
 * documents + the workspace setup: settings and projects) swapped atomically; every request and every
 * analysis works on the snapshot it started with, so no shared mutable structure is touched by two threads.
 * Results computed for an outdated version are dropped before publishing ({@link CurrentState} keeps that
 * check and the send together, before any later change).
 */
final class Workspace implements AutoCloseable {
  private final ServerLog log;
  private final Debouncer debouncer = new Debouncer();
  private final ExecutorService analysisThreads =
      Executors.newFixedThreadPool(
          Math.max(2, Runtime.getRuntime().availableProcessors()), DaemonThreads.named("coldspy-analysis"));
  /** Requests (hover, hints, actions) run apart from diagnostics, so a user never waits behind the workspace. */
  private final ExecutorService requestThreads =
      Executors.newCachedThreadPool(DaemonThreads.named("coldspy-request"));
  private final CurrentState state = new CurrentState();
  private final Analyzer analyzer;
  /** The diagnostics computation in flight per URI; a newer one cancels it. */
  private final ConcurrentHashMap<String, CompletableFuture<?>> publishing = new ConcurrentHashMap<>();
  /** URIs that currently have diagnostics on the client, so a reload can clear the ones that lost them. */
  private final Set<String> published = ConcurrentHashMap.newKeySet();
  private final AtomicInteger registrations = new AtomicInteger();
  private final ProfileRunner profileRunner;
  private final VerifyRunner verifyRunner;

  private volatile LanguageClient client;
  private volatile ClientFeatures features = ClientFeatures.NONE;
  private volatile List<Path> roots = List.of();
  private volatile StatusParams lastStatus;

  Workspace(ServerLog log) {
    this.log = log;
    this.profileRunner = new ProfileRunner(log);
    this.verifyRunner = new VerifyRunner(log);
    this.analyzer = new Analyzer(log);
  }

  void connect(LanguageClient client) {
    this.client = client;
  }

  void initialize(List<Path> workspaceRoots, ClientFeatures clientFeatures) {
    this.roots = workspaceRoots;
    this.features = clientFeatures;
  }

  /** After {@code initialized}: watch profile files, read settings and profiles, analyse the workspace. */
  void start() {
    reloadSettings();
  }

  // ---- documents ---------------------------------------------------------------------------------------

  void open(TextDocumentItem item) {
    TextDocument document =
        new TextDocument(item.getUri(), item.getLanguageId(), item.getText(), item.getVersion());
    state.update(snapshot -> snapshot.withDocument(document));
    analyseAndPublish(item.getUri());
  }

  void change(VersionedTextDocumentIdentifier id, List<TextDocumentContentChangeEvent> changes) {
    String uri = id.getUri();
    Optional<String> fullText = lastFullText(changes);
    if (fullText.isEmpty()) {
      log.warn("ignored a change to " + uri + " without the full text (the server asked for full sync)");
      return;
    }
    WorkspaceSnapshot updated =
        state.update(
            snapshot ->
                snapshot
                    .document(uri)
                    .filter(open -> id.getVersion() == null || id.getVersion() > open.version())
                    .map(open -> snapshot.withDocument(open.withText(fullText.get(), versionOf(id, open))))
                    .orElse(snapshot));
    if (updated.document(uri).isEmpty()) {
      log.warn("ignored a change to " + uri + ", which is not open");
      return;
    }
    debouncer.submit(uri, updated.setup().debounce(), () -> analyseAndPublish(uri));
  }

  void close(String uri) {
    debouncer.cancel(uri);
    cancelPublishing(uri);
    state.update(snapshot -> snapshot.withoutDocument(uri));
    // A profiled file keeps its workspace-wide diagnostics (from disk); any other file loses them.
    Optional<Path> path = TextDocument.pathOf(uri);
    if (path.isPresent() && state.get().setup().isProfiled(path.get())) {
      analyseFromDiskAndPublish(path.get());
    } else {
      // Unless the file was opened again, or a reload made it profiled, meanwhile: those publish it themselves.
      clearDiagnostics(uri, now -> now.document(uri).isEmpty()
          && path.map(file -> !now.setup().isProfiled(file)).orElse(true));
    }
  }

  void save(String uri) {
    debouncer.cancel(uri);
    analyseAndPublish(uri);
  }

  private static Optional<String> lastFullText(List<TextDocumentContentChangeEvent> changes) {
    if (changes == null || changes.isEmpty()) {
      return Optional.empty();
    }
    TextDocumentContentChangeEvent last = changes.get(changes.size() - 1);
    return last.getRange() == null && last.getText() != null
        ? Optional.of(last.getText())
        : Optional.empty();
  }

  private static int versionOf(VersionedTextDocumentIdentifier id, TextDocument open) {
    return id.getVersion() != null ? id.getVersion() : open.version() + 1;
  }

  // ---- requests ----------------------------------------------------------------------------------------

  /**
   * Runs a pure service on the current analysis of an open document, off the reader thread and cancellable by
   * {@code $/cancelRequest}. A request for a document that is not open answers {@code whenClosed}.
   */
  <R> CompletableFuture<R> request(
      String uri, R whenClosed, BiFunction<DocumentAnalysis, CancelChecker, R> service) {
    WorkspaceSnapshot snapshot = state.get();
    return CompletableFutures.computeAsync(
        requestThreads,
        cancel -> {
          Optional<TextDocument> document = snapshot.document(uri);
          if (document.isEmpty()) {
            log.warn("a request for " + uri + ", which is not open, was answered empty");
            return whenClosed;
          }
          try {
            return service.apply(analyzer.analyse(document.get(), snapshot, cancel), cancel);
          } catch (CancellationException cancelled) {
            throw cancelled;
          } catch (RuntimeException failure) {
            log.error("a request on " + uri + " failed", failure);
            throw failure;
          }
        });
  }

  CompletableFuture<Object> executeCommand(ExecuteCommandParams params) {
    WorkspaceSetup setup = state.get().setup();
    if (Commands.PROFILE.equals(params.getCommand())) {
      return profileRunner.run(params.getArguments(), params.getWorkDoneToken(), setup, client, features,
          this::reloadSettings);
    }
    if (Commands.VERIFY.equals(params.getCommand())) {
      return verifyRunner.run(params.getArguments(), params.getWorkDoneToken(), setup, client, features,
          this::refreshEditors);
    }
    log.warn("unknown command " + params.getCommand());
    return CompletableFuture.failedFuture(HandlerTarget.failure("unknown command " + params.getCommand()));
  }

  /**
   * {@code codeAction/resolve}: the fix's edit. Outside git, the first fix of a project first copies the
   * application as it is ({@link Baselines#keepBeforeFirstFix}): what "Verify Fixes" compares with.
   */
  CompletableFuture<CodeAction> resolveFix(CodeAction unresolved) {
    return request(CodeActionService.documentOf(unresolved), unresolved, (analysis, cancel) -> {
      CodeAction resolved = CodeActionService.resolve(analysis, unresolved, cancel);
      if (resolved.getEdit() != null && features.workspaceTrusted()) {
        analysis.project().map(ProjectAnalysis::project).ifPresent(project -> {
          try {
            Baselines.keepBeforeFirstFix(project.appRoot(), project.directory());
          } catch (IOException | RuntimeException failed) {
            log.warn("could not keep a copy of " + project.appRoot().getFileName() + " before the fix (Verify Fixes"
                + " needs it outside git): " + ServerLog.describe(failed));
          } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
          }
        });
      }
      return resolved;
    });
  }

  /** {@code window/workDoneProgress/cancel}. */
  void cancelProgress(String token) {
    profileRunner.cancel(token);
    verifyRunner.cancel(token);
  }

  // ---- diagnostics -------------------------------------------------------------------------------------

  private void analyseAndPublish(String uri) {
    WorkspaceSnapshot snapshot = state.get();
    snapshot.document(uri).ifPresent(document -> publish(document, snapshot));
  }

  /** Publishes a profiled file from disk; a file that cannot be read (deleted, too large) loses its diagnostics. */
  private void analyseFromDiskAndPublish(Path path) {
    String uri = TextDocument.uriOf(path);
    readFromDisk(path).ifPresentOrElse(document -> publish(document, state.get()),
        () -> clearDiagnostics(uri, now -> now.document(uri).isEmpty()));
  }

  /** Analyses and publishes a document of the snapshot; the future ends when it is published (or dropped). */
  private CompletableFuture<Void> publish(TextDocument document, WorkspaceSnapshot snapshot) {
    String uri = document.uri();
    WorkspaceSetup setup = snapshot.setup();
    CompletableFuture<Void> work =
        CompletableFutures.computeAsync(
            analysisThreads,
            cancel -> {
              DocumentAnalysis analysis = analyzer.analyse(document, snapshot, cancel);
              List<Diagnostic> diagnostics = DiagnosticService.diagnostics(analysis, cancel);
              cancel.checkCanceled();
              if (!state.sendIfCurrent(now -> isCurrent(now, document, setup), () -> send(uri, document, diagnostics))) {
                // The text or the setup changed while we analysed. Whoever changed it normally schedules its
                // own publish (which cancelled us); if none did, the newest state would never be published.
                republishCurrent(uri);
                return null;
              }
              analysis.summary().ifPresent(summary -> sendStatus(StatusService.status(summary)));
              return null;
            });
    CompletableFuture<?> previous = publishing.put(uri, work);
    if (previous != null) {
      previous.cancel(true);
    }
    work.whenComplete(
        (ignored, failure) -> {
          publishing.remove(uri, work);
          if (failure != null && !(failure instanceof CancellationException)) {
            log.error("analysing " + uri + " failed", failure);
          }
        });
    return work;
  }

  /** Publishes {@code uri} from the current snapshot: the open document, or the profiled file on disk. */
  private void republishCurrent(String uri) {
    WorkspaceSnapshot now = state.get();
    Optional<TextDocument> open = now.document(uri);
    if (open.isPresent()) {
      publish(open.get(), now);
      return;
    }
    TextDocument.pathOf(uri).filter(now.setup()::isProfiled).ifPresent(this::analyseFromDiskAndPublish);
  }

  /** True while nothing newer replaced the text or the setup an analysis was computed for. */
  private static boolean isCurrent(WorkspaceSnapshot now, TextDocument document, WorkspaceSetup setup) {
    if (now.setup() != setup) {
      return false;
    }
    Optional<TextDocument> open = now.document(document.uri());
    // A file on disk has diagnostics while it is closed and profiled (a reload can stop profiling it).
    return document.version() == TextDocument.ON_DISK
        ? open.isEmpty() && TextDocument.pathOf(document.uri()).map(setup::isProfiled).orElse(false)
        : open.map(current -> current.version() == document.version()).orElse(false);
  }

  private void send(String uri, TextDocument document, List<Diagnostic> diagnostics) {
    LanguageClient current = client;
    if (current == null) {
      return;
    }
    Integer version = document.version() == TextDocument.ON_DISK ? null : document.version();
    current.publishDiagnostics(new PublishDiagnosticsParams(uri, diagnostics, version));
    if (diagnostics.isEmpty()) {
      published.remove(uri);
    } else {
      published.add(uri);
    }
  }

  /** Clears {@code uri}'s diagnostics on the client, if it has any and {@code stillDue} holds for the state then. */
  private void clearDiagnostics(String uri, Predicate<WorkspaceSnapshot> stillDue) {
    LanguageClient current = client;
    if (current == null) {
      return;
    }
    state.sendIfCurrent(now -> published.contains(uri) && stillDue.test(now), () -> {
      published.remove(uri);
      current.publishDiagnostics(new PublishDiagnosticsParams(uri, List.of()));
    });
  }

  private void cancelPublishing(String uri) {
    CompletableFuture<?> inFlight = publishing.remove(uri);
    if (inFlight != null) {
      inFlight.cancel(true);
    }
  }

  // ---- settings, profiles and files --------------------------------------------------------------------

  /** Reads settings (client over pyproject), then profiles, then re-analyses everything. */
  void reloadSettings() {
    fetchClientSettings()
        .thenAcceptAsync(this::reloadContext, analysisThreads)
        .exceptionally(
            failure -> {
              log.error("reloading the settings failed", failure);
              return null;
            });
  }

  void filesChanged(List<FileEvent> events) {
    WorkspaceSetup setup = state.get().setup();
    boolean reload = false;
    List<Path> changedSources = new ArrayList<>();
    for (FileEvent event : events) {
      Optional<Path> path = TextDocument.pathOf(event.getUri());
      if (path.isEmpty()) {
        continue;
      }
      if (setup.isSettingsFile(path.get()) || setup.isProfileFile(path.get())) {
        reload = true;
      } else if (setup.isProfiled(path.get())) {
        changedSources.add(path.get());
      }
    }
    if (reload) {
      reloadSettings();
      return;
    }
    if (!changedSources.isEmpty()) {
      analyzer.filesChangedOnDisk();
    }
    for (Path source : changedSources) {
      if (state.get().document(TextDocument.uriOf(source)).isEmpty()) {
        analyseFromDiskAndPublish(source);
      }
    }
  }

  private CompletableFuture<Object> fetchClientSettings() {
    LanguageClient current = client;
    if (current == null || !features.configuration()) {
      return CompletableFuture.completedFuture(null);
    }
    ConfigurationItem item = new ConfigurationItem();
    item.setSection("coldspy");
    roots.stream().findFirst().ifPresent(root -> item.setScopeUri(TextDocument.uriOf(root)));
    return current
        .configuration(new ConfigurationParams(List.of(item)))
        .thenApply(values -> values == null || values.isEmpty() ? null : values.get(0))
        .exceptionally(
            failure -> {
              log.warn("the client did not answer workspace/configuration: " + ServerLog.describe(failure));
              return null;
            });
  }

  private void reloadContext(Object clientSettings) {
    WorkspaceSetup setup = WorkspaceSetup.load(roots, clientSettings, features.workspaceTrusted());
    for (String problem : setup.problems()) {
      log.tellUser(MessageType.Warning, problem);
    }
    WorkspaceSnapshot updated = state.update(snapshot -> snapshot.withSetup(setup));
    registerWatchers(setup);
    Set<String> stale = Set.copyOf(published);
    Map<String, TextDocument> open = updated.documents();
    List<TextDocument> onDisk = new ArrayList<>();
    for (Path source : setup.profiledFiles()) {
      if (!open.containsKey(TextDocument.uriOf(source))) {
        readFromDisk(source).ifPresent(onDisk::add);
      }
    }
    Set<String> toPublish = new HashSet<>(open.keySet());
    onDisk.forEach(document -> toPublish.add(document.uri()));
    for (String uri : stale) {
      if (!toPublish.contains(uri)) {
        // Unless a newer setup took over (it clears for itself) or the file was opened meanwhile.
        clearDiagnostics(uri, now -> now.setup() == setup && now.document(uri).isEmpty());
      }
    }
    // The files the user looks at first; the rest of the project once they are published, so that the first
    // squiggle does not wait behind every other file of the workspace.
    CompletableFuture<?>[] openFirst =
        open.values().stream().map(document -> publish(document, updated)).toArray(CompletableFuture[]::new);
    CompletableFuture.allOf(openFirst).whenComplete((done, failure) -> {
      WorkspaceSnapshot now = state.get();
      if (now.setup() == setup) { // a newer setup publishes everything itself
        onDisk.stream().filter(document -> now.document(document.uri()).isEmpty())
            .forEach(document -> publish(document, now));
      }
    });
    refreshEditors();
    if (setup.projects().isEmpty()) {
      sendStatus(StatusService.NO_PROFILE);
    }
  }

  private void refreshEditors() {
    LanguageClient current = client;
    if (current == null) {
      return;
    }
    if (features.inlayHintRefresh()) {
      current.refreshInlayHints();
    }
    if (features.codeLensRefresh()) {
      current.refreshCodeLenses();
    }
  }

  private synchronized void sendStatus(StatusParams status) {
    if (client instanceof ColdSpyLanguageClient coldSpyClient && !status.equals(lastStatus)) {
      lastStatus = status;
      coldSpyClient.status(status);
    }
  }

  /** Asks the client to tell us about changes to profiles and settings files (dynamic registration). */
  private void registerWatchers(WorkspaceSetup setup) {
    LanguageClient current = client;
    if (current == null || !features.watchedFilesDynamicRegistration()) {
      return;
    }
    List<FileSystemWatcher> watchers = new ArrayList<>();
    for (String glob : setup.watchGlobs()) {
      watchers.add(new FileSystemWatcher(org.eclipse.lsp4j.jsonrpc.messages.Either.forLeft(glob)));
    }
    String id = "coldspy-watch-" + registrations.incrementAndGet();
    Registration registration =
        new Registration(
            id,
            "workspace/didChangeWatchedFiles",
            new DidChangeWatchedFilesRegistrationOptions(watchers));
    current
        .registerCapability(new RegistrationParams(List.of(registration)))
        .exceptionally(
            failure -> {
              log.warn("the client refused to watch profile files: " + ServerLog.describe(failure));
              return null;
            });
    if (registrations.get() > 1) {
      String previous = "coldspy-watch-" + (registrations.get() - 1);
      current.unregisterCapability(
          new org.eclipse.lsp4j.UnregistrationParams(
              List.of(new org.eclipse.lsp4j.Unregistration(previous, "workspace/didChangeWatchedFiles"))));
    }
  }

  /** A profiled file nobody has open, as {@link SourceReader} reads it; one it cannot read is logged and skipped. */
  private Optional<TextDocument> readFromDisk(Path path) {
    try {
      return Optional.of(
          new TextDocument(TextDocument.uriOf(path), "python", SourceReader.read(path), TextDocument.ON_DISK));
    } catch (SourceReader.UnreadableSource unreadable) {
      log.warn(unreadable.getMessage());
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    debouncer.close();
    profileRunner.close();
    verifyRunner.close();
    analysisThreads.shutdownNow();
    requestThreads.shutdownNow();
  }
}
