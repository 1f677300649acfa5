package dev.coldspy.project;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.coldspy.python.ModuleIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectTest {
  @TempDir Path root;

  private Path write(String relative) throws IOException {
    Path file = root.resolve(relative);
    Files.createDirectories(file.getParent());
    return Files.writeString(file, "");
  }

  @Test
  void theApplicationRootIsTheShallowestFolderHoldingTheHandlersFile() throws IOException {
    write("src/app/handler.py");
    write("tests/app/handler.py");
    write(".aws-sam/build/handler.py");

    assertEquals(root.resolve("src/app"), Project.appRoot(root, "/var/task/handler.py:main"));
    assertEquals(root.resolve("src/app"), Project.appRoot(root, "C:\\work\\handler.py:main"));
    assertEquals(root, Project.appRoot(root, "missing.py:main"));
  }

  @Test
  void aModuleSpecNamesItsFileBelowTheRoot() throws IOException {
    write("service/orders/api.py");

    assertEquals(root.resolve("service"), Project.appRoot(root, "orders.api.handler"));
    assertEquals(new ModuleIdentity("orders.api", false),
        ModuleNaming.identity(root.resolve("service"), root.resolve("service/orders/api.py")));
  }
}
