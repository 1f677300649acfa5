package dev.coldspy.lsp;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.launch.LSPLauncher;

/** Starts the ColdSpy language server on a pair of streams. */
public final class LanguageServerLauncher {
  /** Held strongly: java.util.logging keeps loggers weakly, and a collected logger forgets its handlers. */
  private static final Logger LSP4J_LOGGER = Logger.getLogger("org.eclipse.lsp4j");

  private LanguageServerLauncher() {}

  /**
   * Serves LSP on this process's stdin/stdout until the client sends {@code exit}, closes stdin, or its process
   * dies. Nothing else may ever reach stdout: {@code System.out} is redirected to stderr before anything runs,
   * so a stray print in any library cannot corrupt the JSON-RPC stream.
   *
   * @return the process exit status: 0 after a {@code shutdown} request, 1 otherwise (as LSP asks)
   */
  public static int serveStdio() {
    PrintStream jsonRpcOut = System.out;
    System.setOut(System.err);
    IntConsumer exitProcess =
        status -> {
          jsonRpcOut.flush();
          System.exit(status);
        };
    ServerLog log = new ServerLog(System.err);
    // Process-wide, so only here: in tests a client in the same JVM logs through LSP4J too.
    routeLsp4jLogging(log);
    return serve(System.in, jsonRpcOut, log, exitProcess);
  }

  /** Serves LSP on the given streams and returns when the input ends; {@code exitProcess} handles {@code exit}. */
  public static int serve(InputStream in, OutputStream out, PrintStream stderr, IntConsumer exitProcess) {
    return serve(in, out, new ServerLog(stderr), exitProcess);
  }

  private static int serve(InputStream in, OutputStream out, ServerLog log, IntConsumer exitProcess) {
    ColdSpyLanguageServer server = new ColdSpyLanguageServer(log, exitProcess);
    ExecutorService messageThreads =
        Executors.newCachedThreadPool(
            runnable -> {
              Thread thread = new Thread(runnable, "coldspy-jsonrpc");
              thread.setDaemon(true);
              return thread;
            });
    Launcher<ColdSpyLanguageClient> launcher =
        new LSPLauncher.Builder<ColdSpyLanguageClient>()
            .setLocalService(server)
            .setRemoteInterface(ColdSpyLanguageClient.class)
            .setInput(in)
            .setOutput(out)
            .setExecutorService(messageThreads)
            .create();
    server.connect(launcher.getRemoteProxy());
    Future<Void> listening = launcher.startListening();
    try {
      listening.get();
      log.info("the client closed the connection");
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException failure) {
      log.error("the connection failed", failure);
    } finally {
      server.release();
      messageThreads.shutdownNow();
    }
    return server.exitStatus();
  }

  /**
   * One LSP4J log record in the server's log: warnings and worse as errors, except a {@code $/cancelRequest}
   * for a request already answered, which LSP allows (the client cancels what it no longer needs while the
   * answer is on its way; VS Code does so for every superseded inlay-hint or code-action request).
   */
  static void report(ServerLog log, LogRecord record) {
    if (record.getLevel().intValue() < Level.WARNING.intValue()) {
      return;
    }
    String message = "JSON-RPC: " + record.getMessage();
    if (record.getMessage() != null && record.getMessage().startsWith("Unmatched cancel notification")) {
      log.info(message);
    } else {
      log.error(message, record.getThrown());
    }
  }

  /**
   * LSP4J reports malformed messages and failed handlers through java.util.logging, with stack traces, on
   * stderr. Route them through the server's log instead: one line each, also visible in the editor's log.
   */
  private static void routeLsp4jLogging(ServerLog log) {
    Logger lsp4j = LSP4J_LOGGER;
    lsp4j.setUseParentHandlers(false);
    for (Handler handler : lsp4j.getHandlers()) {
      lsp4j.removeHandler(handler);
    }
    lsp4j.addHandler(
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            report(log, record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        });
  }
}
