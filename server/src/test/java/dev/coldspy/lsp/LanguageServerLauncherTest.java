package dev.coldspy.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class LanguageServerLauncherTest {
  /** What the launcher logs for a JSON-RPC log record, before a client is connected (on stderr). */
  private static String reported(Level level, String message) {
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    LanguageServerLauncher.report(new ServerLog(new PrintStream(stderr, true, StandardCharsets.UTF_8)),
        new LogRecord(level, message));
    return stderr.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aCancelForARequestAlreadyAnsweredIsNotAnError() {
    assertEquals("coldspy info: JSON-RPC: Unmatched cancel notification for request id 3\n",
        reported(Level.WARNING, "Unmatched cancel notification for request id 3"));
  }

  @Test
  void otherJsonRpcWarningsAreErrorsAndLowerLevelsAreDropped() {
    assertEquals("coldspy error: JSON-RPC: Unsupported notification method: no/such/method\n",
        reported(Level.WARNING, "Unsupported notification method: no/such/method"));
    assertEquals("", reported(Level.INFO, "anything"));
  }
}
