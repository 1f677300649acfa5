package dev.coldspy.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** A long line in, lines of at most 120 characters out, broken at spaces, continuations indented. */
class TerminalLinesTest {

  private static String printed(String head, String text) {
    StringWriter out = new StringWriter();
    PrintWriter writer = new PrintWriter(out);
    TerminalLines.print(writer, head, text);
    writer.flush();
    return out.toString().replace(System.lineSeparator(), "\n");
  }

  @Test
  void aLongReasonContinuesOnIndentedLines() {
    assertEquals("""
        handler.py:10:1: CS106 not fixed: the unused part is imported inside the library, not on this line; pass --vendored to
            defer it in a library shipped in the function's folder, else vendor the library and defer that import, or ask its
            maintainers to import it lazily
        """,
        printed("handler.py:10:1: CS106 not fixed: ", "the unused part is imported inside the library, not on this"
            + " line; pass --vendored to defer it in a library shipped in the function's folder, else vendor the"
            + " library and defer that import, or ask its maintainers to import it lazily"));
  }

  @Test
  void aLineThatFitsIsLeftAlone() {
    assertEquals("  estimated saving 32.1 ms per cold start (init −51.8 ms, first invocation +19.7 ms)\n",
        printed("  ", "estimated saving 32.1 ms per cold start (init −51.8 ms, first invocation +19.7 ms)"));
  }

  @Test
  void theHeadAndTheFirstWordStayTogetherAndAWordLongerThanALineIsNotBroken() {
    String location = "/srv/" + "deeply/nested/".repeat(8) + "handler.py:3:1: CS103 not fixed: ";
    String path = "/opt/" + "vendored/".repeat(14) + "module.py";

    assertEquals(location + "`Console`\n    is used at\n    " + path + "\n    line 9\n",
        printed(location, "`Console` is used at " + path + " line 9"));
  }
}
