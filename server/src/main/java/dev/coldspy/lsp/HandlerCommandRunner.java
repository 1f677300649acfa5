package dev.coldspy.lsp;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.lsp4j.jsonrpc.CancelChecker;
import org.eclipse.lsp4j.jsonrpc.CompletableFutures;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.eclipse.lsp4j.services.LanguageClient;

/**
 * What the commands that run a handler's code in the background share ({@link ProfileRunner}, {@link
 * VerifyRunner}): the handler is resolved on the request's thread ({@link HandlerTarget}; a refusal is the
 * request's error response), the work runs on a pool of daemon threads with {@code $/progress} on the request's
 * token or one the server creates there, the runs in flight are kept by progress token for {@code
 * window/workDoneProgress/cancel}, and closing the server ends them all.
 *
 * @param <R> what a run in flight keeps to be cancelled or ended
 */
abstract class HandlerCommandRunner<R> implements AutoCloseable {
  final ServerLog log;
  final ExecutorService threads;
  private final String command;
  private final String verb;
  private final AtomicInteger tokens = new AtomicInteger();
  private final ConcurrentHashMap<String, R> running = new ConcurrentHashMap<>();

  /**
   * @param command the workspace command ({@link Commands#PROFILE})
   * @param verb what it does, for messages, thread names and progress tokens ("profile")
   */
  HandlerCommandRunner(ServerLog log, String command, String verb) {
    this.log = log;
    this.command = command;
    this.verb = verb;
    this.threads = Executors.newCachedThreadPool(DaemonThreads.named("coldspy-" + verb));
  }

  /**
   * @param workDoneToken the request's own progress token, which the client already shows (null: the server
   *     creates one when the client supports server-initiated progress)
   * @param onDone after the run has written its result (the workspace reloads, the code lens refreshes)
   */
  final CompletableFuture<Object> run(List<Object> arguments, Either<String, Integer> workDoneToken,
      WorkspaceSetup setup, LanguageClient client, ClientFeatures features, Runnable onDone) {
    HandlerTarget target;
    try {
      target = HandlerTarget.forCodeRunningCommand(command, verb, arguments, setup, features, log);
    } catch (ResponseErrorException refused) {
      return CompletableFuture.failedFuture(refused);
    }
    String serverToken = "coldspy-" + verb + "-" + tokens.incrementAndGet();
    // On the pool thread: creating a server token waits for the client's answer, which this message thread reads.
    return CompletableFutures.computeAsync(threads, cancel ->
        work(target, WorkProgress.of(client, features, workDoneToken, serverToken), cancel, onDone));
  }

  /** The run itself, on a pool thread; throws {@link HandlerTarget#failure} or a cancellation. */
  abstract Object work(HandlerTarget target, WorkProgress progress, CancelChecker cancel, Runnable onDone);

  /**
   * Asks the run to stop and logs it ({@code window/workDoneProgress/cancel}); called on the client's message
   * thread.
   */
  abstract void cancel(R run);

  /** Ends the run now: the server is closing. */
  abstract void end(R run);

  /** Keeps a run in flight under its progress token until {@link #finished}. */
  final void started(String token, R run) {
    running.put(token, run);
  }

  final void finished(String token, R run) {
    running.remove(token, run);
  }

  /** {@code window/workDoneProgress/cancel}: stops the run behind the token, if it is one of this command's. */
  final void cancel(String token) {
    R run = running.get(token);
    if (run != null) {
      cancel(run);
    }
  }

  /** Whether the request was cancelled ({@code $/cancelRequest}), without throwing. */
  static boolean isCancelled(CancelChecker cancel) {
    try {
      cancel.checkCanceled();
      return false;
    } catch (CancellationException cancelled) {
      return true;
    }
  }

  @Override
  public final void close() {
    running.values().forEach(this::end);
    threads.shutdownNow();
  }
}
