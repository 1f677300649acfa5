package dev.coldspy.lsp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.google.gson.JsonObject;
import dev.coldspy.cli.CliError;
import dev.coldspy.verify.Events;
import dev.coldspy.verify.HandlerSpec;
import dev.coldspy.verify.Verification;
import dev.coldspy.verify.Verifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import org.eclipse.lsp4j.jsonrpc.CancelChecker;

/**
 * {@code workspace/executeCommand coldspy.verify} ("ColdSpy: Verify Fixes"): runs {@link Verifier} on a
 * handler ({@link HandlerTarget}) against a {@link Baselines baseline} — the last commit, or the copy taken
 * before the first fix — with {@code $/progress} and cancellation (the verifying thread is interrupted, which
 * stops its interpreter). The result is stored beside the profiles ({@code .coldspy/verify/<app>.json}, as
 * {@code coldspy verify} stores it) and answered as {@code {"summary": "verified: −457.0 ms per cold start (−62
 * %), outputs identical", "outputsIdentical": true, "verdict": "faster", "result": "/abs/.coldspy/verify/app.json"}};
 * the handler's code lens shows the summary ({@link #storedSummary}).
 */
final class VerifyRunner extends HandlerCommandRunner<VerifyRunner.Run> {
  /** Cold starts of each copy when the command does not say: enough pairs for a noise band. */
  static final int DEFAULT_COLD_STARTS = 10;
  static final Duration COLD_START_TIMEOUT = Duration.ofSeconds(300);
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  VerifyRunner(ServerLog log) {
    super(log, Commands.VERIFY, "verify");
  }

  /** @param onStored after the result is written (the code lens refreshes) */
  @Override
  Object work(HandlerTarget target, WorkProgress progress, CancelChecker cancel, Runnable onStored) {
    return verify(target, progress, cancel, onStored);
  }

  /** Interrupts the verification: the verifier stops its interpreter. */
  @Override
  void cancel(Run run) {
    log.info("verification cancelled");
    run.interrupt();
  }

  @Override
  void end(Run run) {
    run.interrupt();
  }

  private Object verify(HandlerTarget target, WorkProgress progress, CancelChecker cancel, Runnable onStored) {
    String handler = target.name();
    int coldStarts = target.coldStarts() != null ? target.coldStarts() : DEFAULT_COLD_STARTS;
    progress.begin("ColdSpy: verifying " + handler);
    Run run = new Run(Thread.currentThread());
    started(progress.token(), run); // window/workDoneProgress/cancel
    // $/cancelRequest only marks the request: a watcher turns it into the interrupt the verifier stops on.
    threads.execute(() -> {
      while (!run.isFinished()) {
        if (isCancelled(cancel)) {
          run.interrupt();
          return;
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException shutDown) {
          return;
        }
      }
    });
    Path scratch = null;
    try {
      scratch = Files.createTempDirectory("coldspy-baseline-");
      progress.report("exporting the baseline", 0);
      Baselines.Baseline baseline = Baselines.of(target.root(), target.projectDirectory(), scratch);
      HandlerSpec current = HandlerSpec.of(target.file(), target.function());
      HandlerSpec before = current.in(baseline.appRoot().resolve(target.root().relativize(current.appDir()).toString()));
      if (!Files.isRegularFile(before.file())) {
        throw new IllegalArgumentException(baseline.description() + " has no " + target.root().relativize(target.file()));
      }
      progress.report("warming up " + baseline.description() + " and the current code", 5);
      int total = 2 * coldStarts;
      Verification verification = Verifier.verify(target.python(), before, current, Events.load(target.events()),
          coldStarts, COLD_START_TIMEOUT, done -> progress.report(
              "cold start " + Math.min(total, done + 1) + " of " + total + " (" + baseline.description()
                  + " and the current code, interleaved)", 5 + 95 * done / total));
      Path stored = target.projectDirectory().resolve(HandlerSpec.resultFile(current.appDir()));
      Files.createDirectories(stored.getParent());
      Files.writeString(stored, JSON.writeValueAsString(verification.toJson()) + System.lineSeparator());
      String summary = verification.summary();
      progress.end(summary);
      log.info("verified " + handler + " against " + baseline.description() + ": " + summary);
      onStored.run();
      JsonObject result = new JsonObject();
      result.addProperty("summary", summary);
      result.addProperty("outputsIdentical", verification.outputsIdentical());
      result.addProperty("verdict", verification.verdict());
      result.addProperty("result", stored.toString());
      return result;
    } catch (InterruptedException interrupted) {
      progress.end("cancelled");
      throw new CancellationException("verification cancelled");
    } catch (CliError | IllegalArgumentException | IOException failed) {
      String reason = "cannot verify " + handler + ": " + ServerLog.describe(failed);
      progress.end("failed");
      log.warn(reason);
      throw HandlerTarget.failure(reason);
    } finally {
      run.finish();
      finished(progress.token(), run);
      Thread.interrupted(); // a cancel that came after the end must not leak into the pool's next task
      if (scratch != null) {
        Baselines.delete(scratch);
      }
    }
  }

  /** The summary line of the last verification stored for a handler file, if there is one. */
  static Optional<String> storedSummary(Path projectDirectory, Path handlerFile) {
    Path stored = projectDirectory.resolve(HandlerSpec.resultFile(handlerFile.getParent()));
    try {
      if (!Files.isRegularFile(stored) || Files.size(stored) > 1_000_000) {
        return Optional.empty();
      }
      var summary = JSON.readTree(stored.toFile()).path("summary");
      return summary.isTextual() ? Optional.of(ServerLog.printable(summary.asText())) : Optional.empty();
    } catch (IOException unreadable) {
      return Optional.empty();
    }
  }

  /** A verification's thread, interrupted to cancel it only while it still verifies (not a later pool task). */
  static final class Run {
    private final Thread thread;
    private boolean finished;

    Run(Thread thread) {
      this.thread = thread;
    }

    synchronized void interrupt() {
      if (!finished) {
        thread.interrupt();
      }
    }

    synchronized void finish() {
      finished = true;
    }

    synchronized boolean isFinished() {
      return finished;
    }
  }
}
