package dev.coldspy.project;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceDiscoveryTest {
  @TempDir Path root;

  private void write(String relative) throws IOException {
    Path file = root.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, "");
  }

  @Test
  void virtualEnvironmentsCachesAndHiddenFoldersAreSkippedWhateverTheirName() throws IOException {
    write("handler.py");
    write("pkg/util.py");
    write("deps/pyvenv.cfg");
    write("deps/lib/python3.12/site-packages/requests/__init__.py");
    write(".aws-sam/build/handler.py");
    write("pkg/__pycache__/util.py");
    write("node_modules/x/y.py");
    write("notes.txt");

    List<Path> files = SourceDiscovery.pythonFiles(root, problem -> { });

    assertEquals(List.of(root.resolve("handler.py"), root.resolve("pkg/util.py")), files);
  }

  @Test
  void theFileLimitIsReportedOnce() throws IOException {
    for (int i = 0; i <= SourceDiscovery.MAX_FILES; i++) {
      write("gen/m" + i + ".py");
    }
    List<String> problems = new ArrayList<>();

    List<Path> files = SourceDiscovery.pythonFiles(root, problems::add);

    assertEquals(SourceDiscovery.MAX_FILES, files.size());
    assertEquals(List.of(root + ": more than 5000 Python files; only the first are analysed"), problems);
  }
}
