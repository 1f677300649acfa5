package dev.coldspy.cli;

import static dev.coldspy.cli.MainTest.coldspy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coldspy.cli.MainTest.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lines that must go together are fixed together: two modules of an app import a library at their top, each
 * using it in one function no event calls (trial 6's pandas in analytics.py and exports.py). Either line alone
 * saves nothing; {@code fix} defers both, or — when one of them cannot be fixed — neither. Profiled for real with
 * the agent, the library a stand-in outside the app whose import takes a while.
 */
@ExtendWith(PrivateAgentCache.class)
class FixTogetherTest {
  @TempDir Path dir;

  private static final String HANDLER = """
      import analytics
      import exports


      def handler(event, context):
          if event.get("route") == "summary":
              return analytics.summary(event["rows"])
          if event.get("route") == "export":
              return exports.to_csv(event["rows"])
          return {"ok": analytics.ready() and exports.ready()}
      """;

  /** Used in every request (so that its import stays), the library only in a function no event calls. */
  private static final String ANALYTICS = """
      import heavylib


      def summary(rows):
          return heavylib.total(rows)


      def ready():
          return True
      """;

  /** An app with the stand-in library, profiled with events that never reach the library. */
  private Path profiledApp(String exports) throws IOException {
    Path site = Files.createDirectories(dir.resolve("site/heavylib"));
    // a module body that takes ~20 ms and defines names only (no outward effect: a fix may defer it)
    Files.writeString(site.resolve("__init__.py"), "TABLE = [i * i for i in range(400_000)]\n\n\n"
        + "def total(rows):\n    return sum(rows)\n\n\ndef rows_to_csv(rows):\n    return ','.join(map(str, rows))\n");
    Path app = Files.createDirectories(dir.resolve("app"));
    Files.writeString(app.resolve("handler.py"), HANDLER);
    Files.writeString(app.resolve("analytics.py"), ANALYTICS);
    Files.writeString(app.resolve("exports.py"), exports);
    Path event = Files.writeString(dir.resolve("health.json"), "{\"route\": \"health\"}");
    Run profile = coldspy("profile", app.resolve("handler.py") + ":handler", "--event", event.toString(),
        "--cold-starts", "3", "--invocations", "1", "--pythonpath", dir.resolve("site").toString(),
        "-o", dir.resolve("profile.json").toString(), "--python", "python3");
    assertEquals(ExitCodes.OK, profile.status(), profile.err());
    return app;
  }

  @Test
  void bothLinesAreDeferred() throws IOException {
    Path app = profiledApp(ANALYTICS.replace("summary", "to_csv").replace("total", "rows_to_csv"));
    Run check = coldspy("check", "--profile", dir.resolve("profile.json").toString(), app.toString());
    assertTrue(check.out().contains("CS101 heavylib never used in 3 cold starts"), check.out());
    assertTrue(check.out().contains("; with "), check.out());
    JsonNode json = new ObjectMapper().readTree(coldspy("check", "--format", "json", "--profile",
        dir.resolve("profile.json").toString(), app.toString()).out());
    List<String> together = new ArrayList<>();
    json.path("analyses").path(0).path("findings").path(0).path("together").forEach(line -> together.add(
        Path.of(line.path("file").asText()).getFileName() + ":" + line.path("line").asInt() + " " + line.path("fixes")));
    assertEquals(List.of("analytics.py:1 [\"lazy-load\"]", "exports.py:1 [\"lazy-load\"]"), together);

    Run fix = coldspy("fix", "--profile", dir.resolve("profile.json").toString(), app.toString());

    assertEquals(ExitCodes.OK, fix.status(), fix.out() + fix.err());
    String out = FixCommandTest.unwrapped(fix.out());
    assertTrue(out.contains(" fixed: Lazy-load `heavylib` in `"), out);
    assertTrue(out.contains("; together with "), out);
    assertTrue(out.endsWith("Fixed 1 finding, 0 remaining.\n"), out);
    for (String module : new String[] {"analytics.py", "exports.py"}) {
      String text = Files.readString(app.resolve(module));
      assertTrue(text.startsWith("def "), module + ":\n" + text);
      assertTrue(text.contains("    import heavylib\n"), module + ":\n" + text);
    }
  }

  @Test
  void whenOneLineCannotBeFixedNeitherIs() throws IOException {
    // another module reads the library as exports.py's attribute: deferring exports.py's import is refused
    Path app = profiledApp(ANALYTICS.replace("summary", "to_csv").replace("total", "rows_to_csv"));
    Files.writeString(app.resolve("debug.py"), "import exports\n\n\ndef peek():\n    return exports.heavylib.TABLE\n");

    Run fix = coldspy("fix", "--profile", dir.resolve("profile.json").toString(), app.toString());

    String out = FixCommandTest.unwrapped(fix.out());
    assertTrue(out.contains(" not fixed: the lines go together and one cannot be fixed: "), out);
    assertTrue(out.endsWith("Fixed 0 findings, 1 remaining.\n"), out);
    assertEquals(ANALYTICS, Files.readString(app.resolve("analytics.py")));
  }
}
