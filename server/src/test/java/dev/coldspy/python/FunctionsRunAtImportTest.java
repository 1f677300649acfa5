package dev.coldspy.python;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which functions of a module run while it is imported, because module-level code calls them. */
class FunctionsRunAtImportTest {
  private static List<String> runAtImport(String source) {
    PythonModule module = PythonModule.parse(source);
    return module.functionsRunAtImport().stream()
        .map(span -> module.text().slice(span).lines().findFirst().orElseThrow())
        .toList();
  }

  @Test
  void functionsModuleLevelCodeCallsAndTheFunctionsTheyCall() {
    String source = """
        from openpyxl import load_workbook


        def read(path):
            return load_workbook(path)


        def load_tariffs(path):
            return parse(read(path))


        def parse(workbook):
            return {}


        def handler(event, context):
            return lookup(event)


        def lookup(event):
            return None


        TARIFFS = load_tariffs("tariffs.xlsx")
        """;
    assertEquals(Set.of("def load_tariffs(path):", "def read(path):", "def parse(workbook):"),
        Set.copyOf(runAtImport(source)));
  }

  @Test
  void decoratorsDefaultsAndClassBodiesRunAtImportFunctionBodiesAndLambdasDoNot() {
    String source = """
        def register(f):
            return f


        def default():
            return 1


        def later():
            return 2


        @register
        def handler(event, context, retries=default()):
            return later()


        class Settings:
            LIMIT = default()


        CALLBACK = lambda: later()

        if __name__ == '__main__':
            print(handler({}, None), later())
        """;
    assertEquals(Set.of("def register(f):", "def default():"), Set.copyOf(runAtImport(source)));
  }
}
