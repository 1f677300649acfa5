package dev.coldspy.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PathMapperTest {
  @TempDir Path workspace;

  @BeforeEach
  void workspaceWithTwoApps() throws IOException {
    for (String file : List.of("apps/report_app/handler.py", "apps/report_app/lib/util.py",
        "apps/template_app/handler.py", "apps/template_app/vendor/numpy/__init__.py",
        "apps/template_app/vendor/numpy/core/fromnumeric.py", "tools/pkg/__init__.py",
        ".venv/lib/python3.11/site-packages/numpy/__init__.py", "env/pyvenv.cfg", "env/lib/numpy/core/fromnumeric.py")) {
      Path path = workspace.resolve(file);
      Files.createDirectories(path.getParent());
      Files.writeString(path, "");
    }
  }

  @Test
  void appRootIsStrippedAndTheAppDirectoryDecides() throws IOException {
    PathMapper mapper = PathMapper.scan(workspace, "/var/task", workspace.resolve("apps/report_app"));

    assertEquals(file("apps/report_app/handler.py"), mapper.toWorkspace("/var/task/handler.py"));
    assertEquals(file("apps/report_app/lib/util.py"), mapper.toWorkspace("/var/task/lib/util.py"));
  }

  @Test
  void withoutAnAppDirectoryTwoHandlersAreAmbiguous() throws IOException {
    PathMapper mapper = PathMapper.scan(workspace, "/var/task/", null);

    assertEquals(Optional.empty(), mapper.toWorkspace("/var/task/handler.py"));
    assertEquals(file("apps/report_app/lib/util.py"), mapper.toWorkspace("/var/task/lib/util.py"));
  }

  @Test
  void longestSuffixMatchesVendoredLibraries() throws IOException {
    PathMapper mapper = PathMapper.scan(workspace, "/var/task", null);

    assertEquals(file("apps/template_app/vendor/numpy/core/fromnumeric.py"),
        mapper.toWorkspace("/usr/lib/python3/dist-packages/numpy/core/fromnumeric.py"));
    assertEquals(file("apps/template_app/vendor/numpy/__init__.py"),
        mapper.toWorkspace("/usr/lib/python3/dist-packages/numpy/__init__.py"),
        "the virtual environment's numpy is not part of the workspace");
  }

  @Test
  void packageInitNeedsItsDirectoryToMatch() throws IOException {
    PathMapper mapper = PathMapper.scan(workspace, null, null);

    assertEquals(Optional.empty(), mapper.toWorkspace("/usr/lib/python3.11/json/__init__.py"));
    assertEquals(file("tools/pkg/__init__.py"), mapper.toWorkspace("/opt/build/tools/pkg/__init__.py"));
  }

  @Test
  void pathsRecordedInThisWorkspaceMapToThemselves() throws IOException {
    PathMapper mapper = PathMapper.scan(workspace, null, null);
    String recorded = workspace.resolve("apps/template_app/handler.py").toString();

    assertEquals(file("apps/template_app/handler.py"), mapper.toWorkspace(recorded));
    assertEquals(Optional.empty(), mapper.toWorkspace("<frozen importlib._bootstrap>"));
    assertEquals(Optional.empty(), mapper.toWorkspace(""));
  }

  @Test
  void explicitFileListsAndWindowsSeparators() {
    PathMapper mapper = new PathMapper(workspace, List.of(Path.of("src/handler.py")), "C:\\build\\app", null);

    assertEquals(Optional.of(workspace.resolve("src/handler.py")), mapper.toWorkspace("C:\\build\\app\\handler.py"));
  }

  private Optional<Path> file(String relative) {
    return Optional.of(workspace.resolve(relative).toAbsolutePath().normalize());
  }
}
