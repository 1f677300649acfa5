package dev.coldspy.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HandlerSpecTest {
  @Test
  void aFileSpecSplitsAtItsLastColonSoAWindowsDriveStays() {
    assertEquals(new HandlerSpec("C:\\app\\handler.py", null, "main"), HandlerSpec.parse("C:\\app\\handler.py:main"));
    assertEquals(new HandlerSpec("src/app/handler.py", null, "handler"), HandlerSpec.parse("src/app/handler.py:handler"));
    assertEquals(new HandlerSpec("C:\\app\\handler.py", null, null), HandlerSpec.parse("C:\\app\\handler.py"));
  }

  @Test
  void aModuleSpecNamesItsModuleAndFunction() {
    assertEquals(new HandlerSpec(null, "pkg.mod", "handler"), HandlerSpec.parse("pkg.mod.handler"));
    assertEquals("pkg/mod.py", HandlerSpec.parse("pkg.mod.handler").fileBelowAppRoot());
  }

  @Test
  void theFileBelowTheAppRootIsTheHandlerFilesName() {
    assertEquals("handler.py", HandlerSpec.parse("C:\\app\\handler.py:main").fileBelowAppRoot());
    assertEquals("handler.py", HandlerSpec.parse("/var/task/handler.py:main").fileBelowAppRoot());
  }

  @Test
  void theHandlerFileIsMatchedOnWholeTrailingComponents() {
    HandlerSpec spec = HandlerSpec.parse("/home/me/app/handler.py:main");
    assertTrue(spec.isHandlerFile("handler.py", "handler"));
    assertFalse(spec.isHandlerFile("my_handler.py", "my_handler"));
    assertTrue(HandlerSpec.parse("pkg.mod.main").isHandlerFile("pkg/mod.py", "pkg.mod"));
  }
}
