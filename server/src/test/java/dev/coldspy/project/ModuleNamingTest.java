package dev.coldspy.project;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.coldspy.python.ModuleIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleNamingTest {
  @TempDir Path root;

  @Test
  void belowTheApplicationRootTheNameIsThePathNamespacePackagesIncluded() {
    Path app = root.resolve("app");
    assertEquals(new ModuleIdentity("pkg.util", false), ModuleNaming.identity(app, app.resolve("pkg/util.py")));
    assertEquals(new ModuleIdentity("pkg", true), ModuleNaming.identity(app, app.resolve("pkg/__init__.py")));
    assertEquals(new ModuleIdentity("handler", false), ModuleNaming.identity(app, app.resolve("handler.py")));
  }

  @Test
  void outsideTheApplicationRootThePackagesAboveTheFileNameIt() throws IOException {
    Path app = Files.createDirectories(root.resolve("src/app"));
    Path tests = Files.createDirectories(root.resolve("tests/unit"));
    Files.writeString(tests.resolve("__init__.py"), "");
    Files.writeString(tests.resolve("test_handler.py"), "");

    assertEquals(new ModuleIdentity("unit.test_handler", false),
        ModuleNaming.identity(app, tests.resolve("test_handler.py")));
  }
}
