package dev.coldspy.verify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Runs a verification: N cold starts of the baseline and N of the current code, interleaved in alternating
 * order (baseline first, then current first, ...) so that drift in machine load weighs on both alike. Cold
 * start i of both copies begins with event i (mod the number of events): the first invocation, which a user
 * waits for, is measured on every event in turn. One untimed cold start of each copy comes first: it fills the
 * operating system's file cache, which the first measured run would otherwise pay alone. Cancellable by
 * interrupting the calling thread.
 */
public final class Verifier {
  private Verifier() {}

  /**
   * @throws dev.coldspy.cli.CliError when a copy cannot be run (see {@link ColdStartRunner#run})
   * @throws InterruptedException when cancelled
   */
  public static Verification verify(String python, HandlerSpec baseline, HandlerSpec current, Events events,
      int coldStarts, Duration timeout) throws IOException, InterruptedException {
    return verify(python, baseline, current, events, coldStarts, timeout, measured -> {});
  }

  /**
   * As {@link #verify(String, HandlerSpec, HandlerSpec, Events, int, Duration)}, telling {@code progress} how
   * many measured cold starts are done (of both copies: {@code 2 * coldStarts} in all) after each one, for an
   * editor's progress bar.
   */
  public static Verification verify(String python, HandlerSpec baseline, HandlerSpec current, Events events,
      int coldStarts, Duration timeout, IntConsumer progress) throws IOException, InterruptedException {
    Path scratch = Files.createTempDirectory("coldspy-verify-");
    Path eventsFile = scratch.resolve("events.json");
    ColdStartRunner before = new ColdStartRunner(python, baseline, "baseline", eventsFile, scratch, timeout);
    ColdStartRunner after = new ColdStartRunner(python, current, "current code", eventsFile, scratch, timeout);
    try {
      events.write(eventsFile);
      List<MeasuredColdStart> beforeStarts = new ArrayList<>();
      List<MeasuredColdStart> afterStarts = new ArrayList<>();
      int eventCount = events.names().size();
      before.run(0); // the untimed warm-up of each copy
      after.run(0);
      for (int round = 0; round < coldStarts; round++) {
        int firstEvent = round % eventCount;
        if (round % 2 == 0) {
          beforeStarts.add(before.run(firstEvent));
          progress.accept(2 * round + 1);
          afterStarts.add(after.run(firstEvent));
        } else {
          afterStarts.add(after.run(firstEvent));
          progress.accept(2 * round + 1);
          beforeStarts.add(before.run(firstEvent));
        }
        progress.accept(2 * round + 2);
      }
      return new Verification(baseline, current, after.interpreter(), events.names(), beforeStarts, afterStarts);
    } finally {
      before.deleteFiles();
      after.deleteFiles();
      Files.deleteIfExists(eventsFile);
      Files.deleteIfExists(scratch);
    }
  }
}
