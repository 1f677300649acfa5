package dev.coldspy.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The function definitions of a module, named as CPython's {@code co_qualname} names them. */
class FunctionDefinitionsTest {

  private static List<FunctionDefinition> functions(String source) {
    return PythonModule.parse(source).functions();
  }

  @Test
  void methodsNestedFunctionsAndAsyncDefinitionsGetTheirQualifiedNamesAndLines() {
    String source =
        """
        import json


        @decorator
        def handler(event, context):
            def retry():
                return json.dumps(event)
            return retry()


        class Rule:
            class Inner:
                async def check(self):
                    pass

            def apply(self):
                lambda: None
        """;

    assertEquals(
        List.of(
            new FunctionDefinition("handler", 4, 7),
            new FunctionDefinition("handler.<locals>.retry", 5, 6),
            new FunctionDefinition("Rule.Inner.check", 12, 13),
            new FunctionDefinition("Rule.apply", 15, 16)),
        functions(source));
  }

  @Test
  void theWordDefInStringsCommentsAndNamesIsNoDefinition() {
    String source =
        """
        # def not_a_function(): pass
        text = "def neither(): pass"
        undefined = default_value = 1


        def real():
            return text
        """;

    assertEquals(List.of(new FunctionDefinition("real", 5, 6)), functions(source));
  }

  @Test
  void definitionsUnderConditionsAndTryBlocksAreFound() {
    String source =
        """
        if True:
            def first():
                pass
        try:
            def second():
                pass
        except ImportError:
            pass
        """;

    assertEquals(
        List.of(new FunctionDefinition("first", 1, 2), new FunctionDefinition("second", 4, 5)),
        functions(source));
  }

  @Test
  void theDefinitionsAreFoundOncePerModule() {
    PythonModule module = PythonModule.parse("def f():\n    pass\n");

    assertSame(module.functions(), module.functions());
  }
}
