package dev.coldspy.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LazyModulesDeclarationTest {
  private static List<Boolean> lazy(String source) {
    return PythonModule.parse(source).imports().statements().stream().map(ImportStatement::lazy).toList();
  }

  @Test
  void importsOfListedModulesBelowTheListAreLazy() {
    String source = """
        import json
        __lazy_modules__ = ["pandas", 'boto3.session']
        import pandas
        import pandas.io
        from boto3.session import Session
        from boto3 import client
        try:
            import pandas
        except ImportError:
            pandas = None

        def f():
            import pandas
        """;
    assertEquals(List.of(false, true, false, true, false, false, false), lazy(source));
    LazyModulesDeclaration declaration = PythonModule.parse(source).imports().lazyModules().orElseThrow();
    assertEquals(List.of("pandas", "boto3.session"), declaration.modules());
    assertEquals(source.indexOf("'boto3.session'") + "'boto3.session'".length(), declaration.insertAt());
  }

  @Test
  void onlyCodeDeclares() {
    String source = "TEXT = \"\"\"\n__lazy_modules__ = ['json']\n\"\"\"\nimport json\n";
    assertTrue(PythonModule.parse(source).imports().lazyModules().isEmpty());
    assertEquals(List.of(false), lazy(source));
  }

  @Test
  void aListTheReaderCannotFollowMakesNothingLazy() {
    for (String declaration : List.of("__lazy_modules__ = MODULES", "__lazy_modules__ = [\n    \"json\",\n]",
        "__lazy_modules__ = ()", "__lazy_modules__ = [NAME, \"json\"]")) {
      String source = declaration + "\nimport json\n";
      assertTrue(PythonModule.parse(source).imports().lazyModules().orElseThrow().opaque(), declaration);
      assertEquals(List.of(false), lazy(source), declaration);
    }
  }
}
