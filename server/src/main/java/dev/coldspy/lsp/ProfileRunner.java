package dev.coldspy.lsp;

import com.google.gson.JsonObject;
import dev.coldspy.agent.AgentRequest;
import dev.coldspy.project.Project;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.lsp4j.jsonrpc.CancelChecker;

/**
 * {@code workspace/executeCommand coldspy.profile}: runs the profiler agent embedded in the jar (the {@code
 * profile} command's logic) for a handler ({@link HandlerTarget}), reporting "cold start k of N" as {@code
 * $/progress} on the request's {@code workDoneToken}, cancellable from the progress UI or by cancelling the
 * request. The new profile lands in the project's {@code .coldspy/profiles/}, and the workspace reloads. A run
 * that fails is answered with an error response whose message says why; the agent's output, tracebacks
 * included, is in the server's log line by line as printed.
 */
final class ProfileRunner extends HandlerCommandRunner<ProfileRunner.Run> {
  /** One run: the agent's request and what it profiles. */
  record Request(AgentRequest agent, HandlerTarget target) {
    Path output() {
      return agent.output();
    }

    /** The profile's path below the root, as progress shows it (no absolute path on the screen). */
    String relativeOutput() {
      Path root = target.root();
      return output().startsWith(root) ? root.relativize(output()).toString() : output().getFileName().toString();
    }
  }

  /** The agent's option that makes it print {@link #COLD_START_LINE} (profiler/coldspy/__main__.py). */
  static final String AGENT_PROGRESS_OPTION = "--progress";
  private static final Pattern COLD_START_LINE = Pattern.compile("coldspy: cold start (\\d{1,9}) of (\\d{1,9})");
  private static final String AGENT_ERROR_PREFIX = "coldspy: error: ";

  ProfileRunner(ServerLog log) {
    super(log, Commands.PROFILE, "profile");
  }

  @Override
  Object work(HandlerTarget target, WorkProgress progress, CancelChecker cancel, Runnable onProfileWritten) {
    return profile(request(target), cancel, progress, onProfileWritten);
  }

  @Override
  void cancel(Run run) {
    log.info("profiling cancelled");
    run.cancelled = true; // the run's own thread stops the processes: this is the client's message thread
  }

  @Override
  void end(Run run) {
    stop(run.process);
  }

  /**
   * Ends the agent and everything it started: it runs one interpreter per cold start, and the handler may start
   * processes of its own, which would outlive a kill of the agent alone. The descendants are listed before the
   * agent dies (afterwards they belong to init); each gets SIGTERM, and SIGKILL if still there after 2 s.
   */
  static void stop(Process process) {
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(0, process.toHandle());
    tree.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    for (ProcessHandle handle : tree) {
      try {
        long left = Math.max(0, deadline - System.nanoTime());
        handle.onExit().get(left, TimeUnit.NANOSECONDS);
      } catch (Exception stillRunning) {
        handle.destroyForcibly();
      }
    }
  }

  private Object profile(Request request, CancelChecker cancel, WorkProgress progress, Runnable onProfileWritten) {
    String handler = request.target().name();
    progress.begin("ColdSpy: profiling " + handler);
    List<String> output = new CopyOnWriteArrayList<>();
    Process process;
    try {
      ProcessBuilder builder = request.agent().process();
      // The agent prints "coldspy: cold start K of N" as each begins: the progress bar's steps.
      builder.command().add(AGENT_PROGRESS_OPTION);
      process = builder.directory(request.target().root().toFile()).redirectErrorStream(true).start();
    } catch (IOException | RuntimeException failed) {
      String reason = "cannot profile " + handler + ": " + ServerLog.describe(failed);
      progress.end("failed");
      log.warn(reason);
      throw HandlerTarget.failure(reason);
    }
    String token = progress.token();
    Run run = new Run(process);
    started(token, run);
    try {
      process.getOutputStream().close();
      Thread reader = new Thread(() -> forwardOutput(process, progress, output), "coldspy-profile-output");
      reader.setDaemon(true);
      reader.start();
      while (!process.waitFor(100, TimeUnit.MILLISECONDS)) {
        if (run.cancelled || isCancelled(cancel)) {
          run.cancelled = true;
          stop(process);
        }
      }
      if (run.cancelled) {
        // The exit status of a process we killed (143) says nothing about the handler: it was the user's choice.
        progress.end("cancelled");
        throw new CancellationException("profiling cancelled");
      }
      reader.join(2_000);
      int status = process.exitValue();
      if (status != 0) {
        progress.end("failed");
        String reason = "profiling " + handler + " failed (exit status " + status + "): " + reason(output);
        log.warn(reason);
        throw HandlerTarget.failure(reason);
      }
      progress.end("profile written to " + request.relativeOutput());
      onProfileWritten.run();
      JsonObject result = new JsonObject();
      result.addProperty("profile", request.output().toString());
      return result;
    } catch (InterruptedException interrupted) {
      stop(process);
      Thread.currentThread().interrupt();
      progress.end("cancelled");
      throw new CancellationException("profiling interrupted");
    } catch (IOException closing) { // closing the input of a process that has just ended
      progress.end("failed");
      throw HandlerTarget.failure("profiling " + handler + " failed: " + closing.getMessage());
    } finally {
      finished(token, run);
    }
  }

  /**
   * Why a run failed, as the agent said it: its last {@code coldspy: error:} line, else the last line it
   * printed (a crash of the interpreter itself).
   */
  static String reason(List<String> output) {
    for (int i = output.size() - 1; i >= 0; i--) {
      if (output.get(i).startsWith(AGENT_ERROR_PREFIX)) {
        return output.get(i).substring(AGENT_ERROR_PREFIX.length());
      }
    }
    return output.isEmpty() ? "the profiler printed nothing" : output.get(output.size() - 1).strip();
  }

  /**
   * Logs every line the agent prints as printed ({@code profiler: } and the line with its indentation, so a
   * traceback stays readable in the editor's log), and turns its cold start lines into progress steps.
   */
  private void forwardOutput(Process process, WorkProgress progress, List<String> output) {
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        String text = line.stripTrailing();
        if (text.isEmpty()) {
          continue;
        }
        output.add(text);
        log.info("profiler: " + text);
        Matcher coldStart = COLD_START_LINE.matcher(text);
        if (coldStart.matches()) {
          int started = Integer.parseInt(coldStart.group(1));
          int total = Math.max(1, Integer.parseInt(coldStart.group(2)));
          progress.report("cold start " + started + " of " + total, 100 * (started - 1) / total);
        }
      }
    } catch (IOException closed) {
      // the process ended or was destroyed
    }
  }

  /** The agent's request for a target; the profile goes to the project's profiles folder. */
  static Request request(HandlerTarget target) {
    Path output = target.projectDirectory().resolve(Project.PROFILES_DIRECTORY).resolve(target.appName() + ".json");
    return new Request(AgentRequest.of(target.python(), target.absoluteSpec(), target.events(), target.coldStarts(),
        output), target);
  }

  /** A running agent, and whether the user cancelled it (then its exit status is not a failure). */
  static final class Run {
    final Process process;
    volatile boolean cancelled;

    Run(Process process) {
      this.process = process;
    }
  }
}
