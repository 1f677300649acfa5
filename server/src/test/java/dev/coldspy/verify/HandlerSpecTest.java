package dev.coldspy.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.coldspy.cli.CliError;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The handler {@code coldspy verify} runs, from the command line's argument or the editor's resolved file. */
class HandlerSpecTest {
  @TempDir Path app;

  @Test
  void anArgumentAndAResolvedFileGiveTheSameHandler() throws Exception {
    Path file = Files.writeString(app.resolve("resize-image.py"), "def handler(event, context):\n    return 1\n");
    HandlerSpec parsed = HandlerSpec.parse(file + ":handler");
    assertEquals(parsed, HandlerSpec.of(file, "handler"));
    assertEquals("resize-image", parsed.module());
    assertEquals("resize-image.py:handler", parsed.name());
    assertEquals(Path.of(".coldspy", "verify", app.getFileName() + ".json"), HandlerSpec.resultFile(parsed.appDir()));
  }

  @Test
  void whatIsNoFileAndPlainFunctionIsRefusedWithTheExpectedForm() throws Exception {
    Path file = Files.writeString(app.resolve("handler.py"), "class Api:\n    def handle(self, e, c):\n        pass\n");
    CliError method = assertThrows(CliError.class, () -> HandlerSpec.of(file, "Api.handle"));
    assertEquals(file + ":Api.handle: expected APP_DIR/FILE.py:FUNCTION (e.g. app/handler.py:handler)",
        method.getMessage());
    CliError module = assertThrows(CliError.class, () -> HandlerSpec.parse("pkg.mod.handler"));
    assertEquals("pkg.mod.handler: expected APP_DIR/FILE.py:FUNCTION (e.g. app/handler.py:handler)",
        module.getMessage());
    CliError missing = assertThrows(CliError.class, () -> HandlerSpec.of(app.resolve("gone.py"), "handler"));
    assertEquals(app.resolve("gone.py") + ": handler file not found", missing.getMessage());
  }
}
