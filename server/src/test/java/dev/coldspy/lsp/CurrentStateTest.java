package dev.coldspy.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What an analysis publishes never overtakes the snapshot that replaced the one it was computed for. */
class CurrentStateTest {
  private static final String URI = "file:///app/handler.py";
  private static final TextDocument OPENED = new TextDocument(URI, "python", "import json\n", 1);

  private static boolean notOpen(WorkspaceSnapshot snapshot) {
    return snapshot.document(URI).isEmpty();
  }

  @Test
  void aDocumentOpenedWhileTheDiskResultIsBeingSentWaitsForThatSendToFinish() throws Exception {
    CurrentState state = new CurrentState();
    List<String> client = new CopyOnWriteArrayList<>();
    CountDownLatch checked = new CountDownLatch(1);
    Thread diskAnalysis = new Thread(() -> state.sendIfCurrent(now -> {
      checked.countDown();
      return notOpen(now);
    }, () -> {
      sleep(300); // the analysis thread loses the processor between its check and its send
      client.add("diagnostics from disk");
    }));
    diskAnalysis.start();
    assertTrue(checked.await(10, TimeUnit.SECONDS));

    state.update(snapshot -> snapshot.withDocument(OPENED));
    client.add("diagnostics of version 1");
    diskAnalysis.join();

    assertEquals(List.of("diagnostics from disk", "diagnostics of version 1"), client);
  }

  @Test
  void aResultForAReplacedSnapshotIsNotSent() {
    CurrentState state = new CurrentState();
    state.update(snapshot -> snapshot.withDocument(OPENED));
    List<String> client = new CopyOnWriteArrayList<>();

    boolean sent = state.sendIfCurrent(CurrentStateTest::notOpen, () -> client.add("diagnostics from disk"));

    assertFalse(sent);
    assertEquals(List.of(), client);
    assertTrue(state.sendIfCurrent(now -> now.document(URI).isPresent(), () -> client.add("version 1")));
    assertEquals(List.of("version 1"), client);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
