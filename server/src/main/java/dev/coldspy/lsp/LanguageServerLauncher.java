package dev.coldspy.lsp;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.jsonrpc.MessageConsumer;
import org.eclipse.lsp4j.jsonrpc.json.StreamMessageConsumer;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseMessage;
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
    // The stream to the client, caught as LSP4J builds it: malformed frames are answered on it.
    AtomicReference<MessageConsumer> toClient = new AtomicReference<>();
    ExecutorService messageThreads =
        Executors.newCachedThreadPool(DaemonThreads.named("coldspy-jsonrpc"));
    Launcher<ColdSpyLanguageClient> launcher =
        new LSPLauncher.Builder<ColdSpyLanguageClient>()
            .setLocalService(server)
            .setRemoteInterface(ColdSpyLanguageClient.class)
            .setInput(new FrameGuard(in, malformed -> answerMalformed(malformed, toClient.get(), log)))
            .setOutput(out)
            .setExecutorService(messageThreads)
            .wrapMessages(consumer -> {
              if (consumer instanceof StreamMessageConsumer stream) {
                toClient.set(stream);
              }
              return consumer;
            })
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
   * A frame without a usable {@code Content-Length} ({@link FrameGuard}): logged, and when its body is a request
   * (it has an id and a method), answered with an {@code InvalidRequest} error so that the client does not wait.
   */
  static void answerMalformed(FrameGuard.Malformed malformed, MessageConsumer toClient, ServerLog log) {
    JsonElement id = null;
    String method = null;
    try {
      JsonElement body = JsonParser.parseString(malformed.body());
      if (body.isJsonObject() && body.getAsJsonObject().has("method")) {
        id = body.getAsJsonObject().get("id");
        method = body.getAsJsonObject().get("method").getAsString();
      }
    } catch (RuntimeException notJson) {
      // nothing to answer: skipped and logged
    }
    log.error("JSON-RPC: skipped a message with a malformed header (" + malformed.header() + ")"
        + (method == null ? "" : ", method " + method), null);
    if (id == null || !id.isJsonPrimitive() || toClient == null) {
      return;
    }
    ResponseMessage response = new ResponseMessage();
    response.setRawId(id.getAsJsonPrimitive().isNumber()
        ? Either.forRight(id.getAsNumber()) : Either.forLeft(id.getAsString()));
    response.setError(new ResponseError(ResponseErrorCode.InvalidRequest,
        "the message's header has no valid Content-Length (" + malformed.header() + "); it was not processed", null));
    toClient.consume(response);
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
