package dev.coldspy.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.MessageType;
import org.junit.jupiter.api.Test;

class ServerLogTest {
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
  private final ServerLog log = new ServerLog(new PrintStream(stderr, true, StandardCharsets.UTF_8));
  private final RecordingClient client = new RecordingClient();

  private String stderr() {
    return stderr.toString(StandardCharsets.UTF_8);
  }

  @Test
  void beforeAClientConnectsMessagesGoToStderr() {
    log.info("starting");

    assertEquals("coldspy info: starting\n", stderr());
  }

  @Test
  void onceConnectedMessagesGoToTheClientOnlyNotAlsoToStderr() {
    log.connect(client);

    log.info("loaded 2 profiles");
    log.error("analysing handler.py failed", new IllegalStateException("boom"));

    assertEquals(List.of(new MessageParams(MessageType.Info, "loaded 2 profiles"),
        new MessageParams(MessageType.Error, "analysing handler.py failed: boom")), client.logMessages);
    assertEquals("", stderr());
  }

  @Test
  void theUserIsToldEachDistinctProblemOnce() {
    log.connect(client);

    log.tellUser(MessageType.Warning, "bad.json: not a profile");
    log.tellUser(MessageType.Warning, "bad.json: not a profile");

    assertEquals(List.of(new MessageParams(MessageType.Warning, "ColdSpy: bad.json: not a profile")),
        client.shownMessages);
    assertEquals(2, client.logMessages.size());
  }

  @Test
  void controlCharactersAreEscapedAndLineBreaksOfATracebackKept() {
    log.connect(client);

    log.tellUser(MessageType.Warning, "module \u001b[2Jpandas\u202e from a profile");
    log.info("profiler: Traceback (most recent call last):\n  File \"handler.py\", line 3\n    raise ValueError\u0007");

    assertEquals("ColdSpy: module \\x1b[2Jpandas\\u202e from a profile", client.shownMessages.get(0).getMessage());
    assertEquals("profiler: Traceback (most recent call last):\n  File \"handler.py\", line 3\n    raise ValueError\\x07",
        client.logMessages.get(1).getMessage());
  }
}
