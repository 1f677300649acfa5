package dev.coldspy.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.coldspy.python.ModuleIdentity;
import dev.coldspy.python.PythonModule;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ParseCacheTest {
  private static final Path FILE = Path.of("/app/handler.py").toAbsolutePath();
  private static final ModuleIdentity HANDLER = new ModuleIdentity("handler", false);
  private static final String ON_DISK = "import json\n\n\ndef handler(event, context):\n    return json.dumps(event)\n";
  private static final String EDITED = ON_DISK + "# edited\n";

  private final ParseCache cache = new ParseCache();

  @Test
  void theFileAndTheBufferTextStayParsedWhileAnEditorAlternatesBetweenThem() {
    PythonModule disk = cache.parse(FILE, ON_DISK, HANDLER);
    PythonModule buffer = cache.parse(FILE, EDITED, HANDLER);

    assertSame(disk, cache.parse(FILE, ON_DISK, HANDLER));
    assertSame(buffer, cache.parse(FILE, EDITED, HANDLER));
    assertEquals(EDITED, buffer.source());
  }

  @Test
  void onlyTheLastTwoTextsAreKept() {
    PythonModule first = cache.parse(FILE, ON_DISK, HANDLER);
    cache.parse(FILE, EDITED, HANDLER);
    cache.parse(FILE, EDITED + "# again\n", HANDLER);

    PythonModule reparsed = cache.parse(FILE, ON_DISK, HANDLER);

    assertNotSame(first, reparsed);
    assertEquals(first.imports().statements(), reparsed.imports().statements());
  }
}
