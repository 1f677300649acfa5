package dev.coldspy.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A function folder after {@code pip install -t . rich markdown six}, plus the app's own code. */
class VendoredLibrariesTest {
  @TempDir Path app;

  private void write(String relative, String text) throws IOException {
    Path path = app.resolve(relative);
    Files.createDirectories(path.getParent());
    Files.writeString(path, text);
  }

  private void pipInstalledNextToTheHandler() throws IOException {
    write("handler.py", "import rich\n");
    write("orders/__init__.py", "");
    write("rich/__init__.py", "");
    write("rich/console.py", "");
    write("rich-13.7.1.dist-info/RECORD", """
        ../../bin/rich,sha256=abc,10
        rich-13.7.1.dist-info/METADATA,sha256=abc,10
        rich/__init__.py,sha256=abc,10
        rich/__pycache__/__init__.cpython-311.pyc,,
        "rich/con,sole.py",sha256=abc,10
        rich/console.py,sha256=abc,10
        """);
    write("markdown/__init__.py", "");
    write("Markdown-3.5.egg-info/top_level.txt", "markdown\n");
    write("six.py", "");
    write("six-1.16.0.dist-info/RECORD", "six.py,sha256=abc,10\nsix-1.16.0.dist-info/RECORD,,\n");
  }

  @Test
  void distributionsInstalledIntoTheFunctionFolderAreLibraries() throws IOException {
    pipInstalledNextToTheHandler();
    List<String> problems = new ArrayList<>();
    VendoredLibraries vendored = VendoredLibraries.find(app, List.of(), "handler.py", problems::add);
    assertEquals(List.of(), problems);
    assertEquals(List.of("Markdown", "rich", "six"), vendored.libraries().stream().map(VendoredLibraries.Library::name).toList());
    assertEquals("13.7.1", vendored.libraries().get(1).version());
    assertEquals(List.of("rich/"), vendored.libraries().get(1).paths());
    assertTrue(vendored.contains("rich/console.py"));
    assertTrue(vendored.contains("markdown/__init__.py"));
    assertTrue(vendored.contains("six.py"));
    assertFalse(vendored.contains("handler.py"));
    assertFalse(vendored.contains("orders/__init__.py"));
    assertFalse(vendored.contains("richer/x.py"));
    assertEquals("six-1.16.0.dist-info", vendored.libraryOf("six.py").orElseThrow().source());
  }

  @Test
  void foldersNamedInTheSettingAreLibrariesToo() throws IOException {
    write("handler.py", "");
    write("vendor/acme/__init__.py", "");
    List<String> problems = new ArrayList<>();
    VendoredLibraries vendored = VendoredLibraries.find(app, List.of("./vendor/", "missing"), "handler.py", problems::add);
    assertTrue(vendored.contains("vendor/acme/__init__.py"));
    assertFalse(vendored.contains("vendorx.py"));
    assertEquals(1, problems.size());
    assertTrue(problems.get(0).startsWith("vendored: missing: no such folder or file in "), problems.get(0));
  }

  @Test
  void theAppInstalledIntoItsOwnFolderStaysTheAppsCode() throws IOException {
    pipInstalledNextToTheHandler();
    write("orders-0.1.dist-info/RECORD", "handler.py,,\norders/__init__.py,,\n");
    write(".venv/lib/other-1.0.dist-info/RECORD", "other/__init__.py,,\n");
    List<String> problems = new ArrayList<>();
    VendoredLibraries vendored = VendoredLibraries.find(app, List.of(), "handler.py", problems::add);
    assertFalse(vendored.contains("orders/__init__.py"));
    assertEquals(List.of("orders-0.1.dist-info: claims the handler's own handler.py: treated as the app's code,"
        + " not a vendored library"), problems);
    assertEquals(3, vendored.libraries().size());
  }

  @Test
  void aLambdaLayerStyleSubfolderIsFoundWithItsPrefix() throws IOException {
    write("handler.py", "");
    write("python/requests/__init__.py", "");
    write("python/requests-2.31.0.dist-info/RECORD", "requests/__init__.py,,\n");
    VendoredLibraries vendored = VendoredLibraries.find(app, List.of(), "handler.py", p -> { });
    assertEquals(List.of("python/requests/"), vendored.libraries().get(0).paths());
    assertTrue(vendored.contains("python/requests/__init__.py"));
  }
}
