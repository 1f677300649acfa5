package dev.coldspy.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.coldspy.python.ModuleIdentity;
import dev.coldspy.python.PythonModule;
import dev.coldspy.text.SpanEdit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@code # noqa: CSxxx} quick fix on the first import statement of a snippet: the whole file after it. */
class NoqaFixTest {
  private static String silenced(String source, String code) {
    PythonModule module = PythonModule.parse(source, new ModuleIdentity("handler", false));
    Optional<SpanEdit> edit = NoqaFix.edit(module.text(), module.imports().statements().get(0), code);
    return edit.map(e -> SpanEdit.applyAll(source, List.of(e))).orElse(source);
  }

  @Test
  void aPlainStatementGetsTheCommentAtTheEndOfItsLine() {
    assertEquals("import pandas  # noqa: CS102\nx = 1\n", silenced("import pandas   \nx = 1\n", "CS102"));
  }

  @Test
  void aCodeJoinsAnExistingNoqaList() {
    assertEquals("import pandas  # noqa: F401, CS102\n", silenced("import pandas  # noqa: F401\n", "CS102"));
  }

  @Test
  void anotherCommentIsKeptAndTheDirectiveFollowsIt() {
    assertEquals("import pandas  # pinned  # noqa: CS101\n", silenced("import pandas  # pinned\n", "CS101"));
  }

  @Test
  void aParenthesisedStatementGetsItOnItsLastLine() {
    assertEquals("from rich.console import (\n    Console,\n)  # noqa: CS103\n",
        silenced("from rich.console import (\n    Console,\n)\n", "CS103"));
  }

  @Test
  void aCodeAlreadySilencedChangesNothing() {
    assertEquals("import pandas  # noqa\n", silenced("import pandas  # noqa\n", "CS102"));
    assertEquals("import pandas  # noqa: cs102\n", silenced("import pandas  # noqa: cs102\n", "CS102"));
  }
}
