package dev.coldspy.lsp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.lsp4j.ClientCapabilities;
import org.eclipse.lsp4j.DidChangeWatchedFilesCapabilities;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.InlayHintWorkspaceCapabilities;
import org.eclipse.lsp4j.WindowClientCapabilities;
import org.eclipse.lsp4j.WorkspaceClientCapabilities;
import org.eclipse.lsp4j.WorkspaceFolder;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageServer;

/**
 * The server on one end of a real JSON-RPC connection (piped streams, LSP4J launchers on both sides) and a
 * {@link RecordingClient} on the other. {@link #sendRaw} writes bytes straight into the server's input.
 */
final class ServerConnection implements AutoCloseable {
  final RecordingClient client = new RecordingClient();
  final LanguageServer server;
  final AtomicInteger exitStatus = new AtomicInteger(-1);
  final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
  private final OutputStream toServer;
  private final Socket clientSide;
  private final CompletableFuture<Integer> serving;

  ServerConnection() {
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      // A loopback socket pair, like the stdio pipes of a real editor: neither java.io.Piped* (they fail once
      // the thread that last wrote has ended) nor NIO pipes (an interrupted writer thread, such as an analysis
      // thread stopped at shutdown, closes a NIO channel for good, which stdio never does).
      clientSide = new Socket(listener.getInetAddress(), listener.getLocalPort());
      Socket serverSide = listener.accept();
      clientSide.setTcpNoDelay(true);
      serverSide.setTcpNoDelay(true);
      toServer = clientSide.getOutputStream();
      InputStream serverIn = serverSide.getInputStream();
      OutputStream fromServer = serverSide.getOutputStream();
      InputStream clientIn = clientSide.getInputStream();
      PrintStream serverErr = new PrintStream(stderr, true, StandardCharsets.UTF_8);
      // Its own thread, not the common pool: the server blocks it for the whole session.
      serving = new CompletableFuture<>();
      Thread serverThread = new Thread(
          () -> serving.complete(LanguageServerLauncher.serve(serverIn, fromServer, serverErr, exitStatus::set)),
          "test-server");
      serverThread.setDaemon(true);
      serverThread.start();
      Launcher<LanguageServer> launcher =
          new LSPLauncher.Builder<LanguageServer>()
              .setLocalService(client)
              .setRemoteInterface(LanguageServer.class)
              .setInput(clientIn)
              .setOutput(new SynchronizedOutput(toServer))
              .create();
      launcher.startListening();
      server = launcher.getRemoteProxy();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** initialize + initialized for a workspace folder, with the capabilities VS Code announces. */
  InitializeResult initialize(Path root, Integer parentPid) throws Exception {
    return initialize(root, parentPid, null);
  }

  /** The same, with the client's {@code initializationOptions}. */
  InitializeResult initialize(Path root, Integer parentPid, Object initializationOptions) throws Exception {
    InitializeParams params = new InitializeParams();
    params.setInitializationOptions(initializationOptions);
    params.setProcessId(parentPid);
    if (root != null) {
      params.setWorkspaceFolders(List.of(new WorkspaceFolder(root.toUri().toString(), "root")));
    }
    params.setCapabilities(vsCodeLikeCapabilities());
    InitializeResult result = server.initialize(params).get(30, TimeUnit.SECONDS);
    server.initialized(new InitializedParams());
    return result;
  }

  static ClientCapabilities vsCodeLikeCapabilities() {
    WorkspaceClientCapabilities workspace = new WorkspaceClientCapabilities();
    workspace.setConfiguration(true);
    workspace.setDidChangeWatchedFiles(new DidChangeWatchedFilesCapabilities(true));
    workspace.setInlayHint(new InlayHintWorkspaceCapabilities(true));
    WindowClientCapabilities window = new WindowClientCapabilities();
    window.setWorkDoneProgress(true);
    ClientCapabilities capabilities = new ClientCapabilities();
    capabilities.setWorkspace(workspace);
    capabilities.setWindow(window);
    return capabilities;
  }

  void sendRaw(String bytes) throws IOException {
    synchronized (toServer) {
      toServer.write(bytes.getBytes(StandardCharsets.UTF_8));
      toServer.flush();
    }
  }

  /** Closes the server's input (the editor went away) and returns the server's exit status. */
  int closeInput() throws Exception {
    synchronized (toServer) {
      clientSide.shutdownOutput(); // end of input for the server; its answers can still be read
    }
    return serving.get(30, TimeUnit.SECONDS);
  }

  boolean isServing() {
    return !serving.isDone();
  }

  /** An orderly end (shutdown, then close), so that nothing is still being written into a closed pipe. */
  @Override
  public void close() throws Exception {
    if (!serving.isDone()) {
      server.shutdown().get(30, TimeUnit.SECONDS);
      closeInput();
    }
    clientSide.close();
  }

  /** Raw writes and LSP4J's writes must not interleave inside one message. */
  private static final class SynchronizedOutput extends OutputStream {
    private final OutputStream target;

    SynchronizedOutput(OutputStream target) {
      this.target = target;
    }

    @Override
    public void write(int b) throws IOException {
      synchronized (target) {
        target.write(b);
      }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      synchronized (target) {
        target.write(bytes, offset, length);
        target.flush();
      }
    }
  }
}
