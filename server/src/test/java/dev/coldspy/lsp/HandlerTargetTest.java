package dev.coldspy.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HandlerTargetTest {
  @TempDir Path root;

  private HandlerTarget target(Map<String, Object> arguments) {
    return HandlerTarget.of(List.of(arguments), WorkspaceSetup.load(List.of(root), null));
  }

  @Test
  void aWorkspaceRelativeHandlerInASubfolderIsFoundBelowTheRoot() throws Exception {
    Files.createDirectories(root.resolve("src/events"));
    Files.writeString(root.resolve("src/app.py"), "def handler(event, context):\n    return 1\n");

    HandlerTarget target = target(Map.of("handler", "src/app.py:handler", "root", root.toString(),
        "events", List.of("src/events"), "coldStarts", 3));

    assertEquals(root.resolve("src/app.py"), target.file());
    assertEquals("src/app.py:handler", target.name());
    assertEquals(List.of(root.resolve("src/events")), target.events());
    assertEquals(3, target.coldStarts());
  }

  @Test
  void aHandlerRecordedOnAnotherMachineIsFoundByItsFileName() throws Exception {
    Files.createDirectories(root.resolve("events"));
    Files.writeString(root.resolve("handler.py"), "def handler(event, context):\n    return 1\n");

    HandlerTarget target = target(Map.of("handler", "/var/task/handler.py:handler", "root", root.toString()));

    assertEquals(root.resolve("handler.py"), target.file());
    assertEquals(List.of(root.resolve("events")), target.events());
  }

  @Test
  void whatIsMissingIsNamedWithoutAbsolutePaths() throws Exception {
    Files.writeString(root.resolve("handler.py"), "def handler(event, context):\n    return 1\n");

    IllegalArgumentException noEvents = assertThrows(IllegalArgumentException.class,
        () -> target(Map.of("handler", "handler.py:handler", "root", root.toString())));
    assertEquals("no events: put event JSON files in " + root.getFileName() + "/events/ or pass \"events\"",
        noEvents.getMessage());
    IllegalArgumentException noFunction = assertThrows(IllegalArgumentException.class,
        () -> target(Map.of("handler", "handler.py", "root", root.toString())));
    assertEquals("the handler handler.py names no function (file.py:function)", noFunction.getMessage());
  }
}
