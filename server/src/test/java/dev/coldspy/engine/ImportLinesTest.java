package dev.coldspy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.coldspy.python.ModuleIdentity;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The import statements a library module runs at import, found from its lines, and what each loads. */
class ImportLinesTest {
  private static final String SOURCE = """
      '''Docstring with an example:

      import not_an_import_in_a_string
      '''
      from __future__ import annotations
      import os, json as j
      from . import (core,  # a comment
                     shapes)
      from .drawing.colors import \\
          PALETTE
      from typing import TYPE_CHECKING

      try:
          import fast_json
      except ImportError:
          fast_json = None

      if TYPE_CHECKING:
          from heavy import Types
      else:
          import runtime_only

      text = \"\"\"
      import also_in_a_string
      \"\"\"


      class Plotter:
          import in_class_body

          def draw(self):
              import in_method
              return {
                  'a': 1,
              }


      @decorated
      def helper():
          from . import lazy_part
      import at_the_end; import second_on_the_line
      """;

  @Test
  void findsTheStatementsThatRunAtImportWithTheirLines() {
    List<ImportLines.Statement> found = ImportLines.moduleLevel(SOURCE);
    assertEquals(List.of(
            new ImportLines.Statement(5, 5, "from __future__ import annotations"),
            new ImportLines.Statement(6, 6, "import os, json as j"),
            new ImportLines.Statement(7, 8, "from . import (core,  # a comment\n               shapes)"),
            new ImportLines.Statement(9, 10, "from .drawing.colors import \\\n    PALETTE"),
            new ImportLines.Statement(11, 11, "from typing import TYPE_CHECKING"),
            new ImportLines.Statement(14, 14, "import fast_json"),
            new ImportLines.Statement(21, 21, "import runtime_only"),
            new ImportLines.Statement(29, 29, "import in_class_body"),
            new ImportLines.Statement(41, 41, "import at_the_end; import second_on_the_line")),
        found);
  }

  @Test
  void eachStatementLoadsItsModulesWithRelativeImportsResolved() {
    List<ModuleLevelImports.Import> imports = ModuleLevelImports.read(SOURCE, new ModuleIdentity("plots.api", false));
    assertEquals(List.of(
            List.of("__future__"),
            List.of("os", "json"),
            List.of("plots", "plots.core", "plots.shapes"),
            List.of("plots", "plots.drawing", "plots.drawing.colors", "plots.drawing.colors.PALETTE"),
            List.of("typing", "typing.TYPE_CHECKING"),
            List.of("fast_json"),
            List.of("runtime_only"),
            List.of("in_class_body"),
            List.of("at_the_end"),
            List.of("second_on_the_line")),
        imports.stream().map(ModuleLevelImports.Import::modules).toList());
    // Both statements of the last line are of line 41.
    assertEquals(41, imports.get(9).firstLine());
  }

  @Test
  void aByteOrderMarkALoneCarriageReturnAndAFormFeedAreReadAsPythonReadsThem() {
    List<ModuleLevelImports.Import> imports = ModuleLevelImports.read(
        "\ufeffimport first\rimport second\ndef f():\n    pass\n\fimport third\n", new ModuleIdentity("m", false));
    assertEquals(List.of(List.of("first"), List.of("second"), List.of("third")),
        imports.stream().map(ModuleLevelImports.Import::modules).toList());
    assertEquals(List.of(1, 2, 5), imports.stream().map(ModuleLevelImports.Import::firstLine).toList());
  }

  @Test
  void importWordsReadEveryWayAnImportIsWrittenAndAnUnfinishedLast() {
    assertEquals(java.util.Set.of("from", "x", "import", "y", "z"),
        ModuleLevelImports.importWords("from.x import y\nimport\tz\n"));
    assertEquals(java.util.Set.of("import", "a"), ModuleLevelImports.importWords("import a, \\\n   "));
  }

  @Test
  void windowsLineEndsAndAnUnclosedStringDoNotLoseTheLines() {
    assertEquals(List.of(new ImportLines.Statement(2, 2, "import b")),
        ImportLines.moduleLevel("x = 'unclosed\r\nimport b\r\n"));
  }
}
