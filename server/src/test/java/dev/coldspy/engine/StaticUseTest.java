package dev.coldspy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.coldspy.python.ModuleIdentity;
import dev.coldspy.python.PythonModule;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the source says about the names of a file's first import statement: source in, its static use out. */
class StaticUseTest {

  private static StaticUse firstImport(String source) {
    PythonModule module = PythonModule.parse(source, new ModuleIdentity("handler", false));
    SourceFile file = AppSources.of(List.of(new AppSources.Parsed("handler.py", "handler.py", module))).get(0);
    return file.importAt(1).staticUse();
  }

  @Test
  void aNameUsedOnlyInFunctionsAndTheMainBlockIsNotUsedAtInit() {
    String script =
        """
        import colorama


        def paint(text):
            return colorama.Fore.RED + text


        if __name__ == "__main__":
            colorama.just_fix_windows_console()
            print(paint("hi"))
        """;
    assertEquals(StaticUse.FUNCTIONS_ONLY, firstImport(script));
    assertEquals(StaticUse.MODULE_LEVEL, firstImport(script.replace("__name__ == \"__main__\"", "True")));
  }
}
