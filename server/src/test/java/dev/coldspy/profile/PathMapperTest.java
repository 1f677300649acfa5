package dev.coldspy.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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
    PathMapper<Path> mapper = PathMapper.scan(workspace, "/var/task", workspace.resolve("apps/report_app"));

    assertEquals(file("apps/report_app/handler.py"), mapper.toWorkspace("/var/task/handler.py"));
    assertEquals(file("apps/report_app/lib/util.py"), mapper.toWorkspace("/var/task/lib/util.py"));
  }

  @Test
  void withoutAnAppDirectoryTwoHandlersAreAmbiguous() throws IOException {
    PathMapper<Path> mapper = PathMapper.scan(workspace, "/var/task/", null);

    assertEquals(Optional.empty(), mapper.toWorkspace("/var/task/handler.py"));
    assertEquals(file("apps/report_app/lib/util.py"), mapper.toWorkspace("/var/task/lib/util.py"));
  }

  @Test
  void longestSuffixMatchesAcrossAppsWithoutARoot() throws IOException {
    PathMapper<Path> mapper = PathMapper.scan(workspace, null, null);

    assertEquals(file("apps/report_app/handler.py"), mapper.toWorkspace("/home/me/report_app/handler.py"));
    assertEquals(Optional.empty(), mapper.toWorkspace("/home/me/handler.py"), "two handlers: ambiguous");
    assertEquals(file("apps/template_app/vendor/numpy/core/fromnumeric.py"),
        mapper.toWorkspace("/build/vendor/numpy/core/fromnumeric.py"));
  }

  @Test
  void installedLibrariesNeverMapOntoAVendoredCopy() throws IOException {
    PathMapper<Path> mapper = PathMapper.scan(workspace, null, null);

    assertEquals(Optional.empty(), mapper.toWorkspace("/usr/lib/python3/dist-packages/numpy/core/fromnumeric.py"));
    assertEquals(Optional.empty(), mapper.toWorkspace("/opt/venv/lib/python3.12/site-packages/numpy/__init__.py"));
    assertEquals(Optional.empty(), mapper.toWorkspace("C:\\Python311\\Lib\\site-packages\\numpy\\__init__.py"));
  }

  @Test
  void withARootPathsOutsideItAreLibraries() throws IOException {
    PathMapper<Path> mapper = PathMapper.scan(workspace, "/var/task", workspace.resolve("apps/template_app"));

    assertEquals(file("apps/template_app/vendor/numpy/core/fromnumeric.py"),
        mapper.toWorkspace("/var/task/vendor/numpy/core/fromnumeric.py"));
    assertEquals(Optional.empty(), mapper.toWorkspace("/opt/python/vendor/numpy/core/fromnumeric.py"),
        "a Lambda layer's copy is not the app's");
  }

  @Test
  void packageInitNeedsItsDirectoryToMatch() throws IOException {
    PathMapper<Path> mapper = PathMapper.scan(workspace, null, null);

    assertEquals(Optional.empty(), mapper.toWorkspace("/usr/lib/python3.11/json/__init__.py"));
    assertEquals(file("tools/pkg/__init__.py"), mapper.toWorkspace("/opt/build/tools/pkg/__init__.py"));
  }

  @Test
  void pathsRecordedInThisWorkspaceMapToThemselves() throws IOException {
    PathMapper<Path> mapper = PathMapper.scan(workspace, null, null);
    String recorded = workspace.resolve("apps/template_app/handler.py").toString();

    assertEquals(file("apps/template_app/handler.py"), mapper.toWorkspace(recorded));
    assertEquals(Optional.empty(), mapper.toWorkspace("<frozen importlib._bootstrap>"));
    assertEquals(Optional.empty(), mapper.toWorkspace(""));
    assertEquals(Optional.empty(), mapper.toWorkspace(null));
  }

  @Test
  void explicitFileListsAndWindowsSeparators() {
    PathMapper<Path> mapper = PathMapper.of(workspace, List.of(Path.of("src/handler.py")), "C:\\build\\app", null);

    assertEquals(Optional.of(workspace.resolve("src/handler.py")), mapper.toWorkspace("C:\\build\\app\\handler.py"));
  }

  /** The engine's use: files known by their path relative to the app directory. */
  private record AppFile(String relativePath) {}

  private static PathMapper<AppFile> appFiles(String recordedAppRoot, String... relativePaths) {
    List<AppFile> files = Arrays.stream(relativePaths).map(AppFile::new).toList();
    return new PathMapper<>(recordedAppRoot, files, file -> Path.of(file.relativePath()), null);
  }

  @Test
  void belowTheRootTheShortestAppPathEndingWithTheRestWins() {
    PathMapper<AppFile> mapper = appFiles("/var/task", "handler.py", "sub/handler.py", "pkg/util.py", "a/x.py", "b/x.py");

    assertEquals(Optional.of(new AppFile("handler.py")), mapper.toWorkspace("/var/task/handler.py"));
    assertEquals(Optional.of(new AppFile("sub/handler.py")), mapper.toWorkspace("/var/task/sub/handler.py"));
    assertEquals(Optional.of(new AppFile("pkg/util.py")), mapper.toWorkspace("/var/task/util.py"));
    assertEquals(Optional.empty(), mapper.toWorkspace("/var/task/x.py"), "a/x.py or b/x.py: ambiguous");
    assertEquals(Optional.empty(), mapper.toWorkspace("/var/tasks/handler.py"), "whole components only");
  }

  @Test
  void withoutARootTheWholeAppPathMustEndTheRecordedPath() {
    PathMapper<AppFile> mapper = appFiles(null, "handler.py", "pkg/util.py", "pkg/__init__.py");

    assertEquals(Optional.of(new AppFile("pkg/util.py")), mapper.toWorkspace("/home/me/app/pkg/util.py"));
    assertEquals(Optional.of(new AppFile("handler.py")), mapper.toWorkspace("/home/me/app/handler.py"));
    assertEquals(Optional.empty(), mapper.toWorkspace("/home/me/tools/util.py"), "not the app's pkg/util.py");
    assertEquals(Optional.empty(), mapper.toWorkspace("/home/me/.venv/lib/python3.12/site-packages/pkg/util.py"),
        "a library with the app's file names");
    assertEquals(Optional.empty(), mapper.toWorkspace("/usr/lib/python3.12/pkg/__init__.py"));
  }

  @Test
  void standardLibraryPaths() {
    assertTrue(PathMapper.isStandardLibrary("/usr/lib/python3.12/json/__init__.py"));
    assertTrue(PathMapper.isStandardLibrary("C:\\Python311\\Lib\\json\\__init__.py"));
    assertFalse(PathMapper.isStandardLibrary("/var/lang/lib/python3.12/site-packages/boto3/__init__.py"));
    assertTrue(PathMapper.isInstalled("/var/lang/lib/python3.12/site-packages/boto3/__init__.py"));
    assertFalse(PathMapper.isInstalled("/var/task/handler.py"));
    assertTrue(PathMapper.isStandardLibrary("<frozen _collections_abc>"));
    assertTrue(PathMapper.isInstalled("<frozen os>"));
    assertFalse(PathMapper.isStandardLibrary("<string>"));
  }

  private Optional<Path> file(String relative) {
    return Optional.of(workspace.resolve(relative).toAbsolutePath().normalize());
  }
}
