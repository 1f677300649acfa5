package dev.coldspy.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.coldspy.python.PythonModule;
import dev.coldspy.text.SpanEdit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PEP 810 bootstrap for a graph app whose igraph never draws. */
class LazyImportsBootstrapTest {
  private static final List<LazyImportsBootstrap.LazyModule> NEVER_RAN = List.of(
      new LazyImportsBootstrap.LazyModule("igraph.drawing", "337.0 ms, never ran in 10 cold starts; igraph/__init__.py:12"),
      new LazyImportsBootstrap.LazyModule("scipy.stats", null));

  @TempDir Path dir;

  @Test
  void theFilterLetsOnlyNeverRunModulesAndTheirSubmodulesBeLazy() throws Exception {
    String source = LazyImportsBootstrap.source("graphs", NEVER_RAN, "\n");
    assertTrue(source.contains("    \"igraph.drawing\",  # 337.0 ms, never ran in 10 cold starts; igraph/__init__.py:12\n"
        + "    \"scipy.stats\",\n))\n"), source);
    assertTrue(PythonModule.parse(source).syntaxErrors().isEmpty());
    assumeTrue(Python3.available(), "python3 is not on the PATH");
    Files.writeString(dir.resolve(LazyImportsBootstrap.MODULE + ".py"), source);
    // Before 3.15 importing it changes nothing; the filter's answers are the same on every version.
    String check = "import sys, " + LazyImportsBootstrap.MODULE + " as b\n"
        + "f = b._lazy_if_never_ran\n"
        + "print(f('igraph', 'igraph.drawing', ('plot',)), f('igraph.drawing', 'igraph.drawing.colors', None),"
        + " f('igraph', 'igraph.graph', None), f('app', 'igraph', None), f('x', 'scipy.statsmodels', None),"
        + " hasattr(sys, 'set_lazy_imports_filter') or 'igraph' not in sys.modules)\n";
    assertEquals("True True False False False True", Python3.run(dir, check));
  }

  @Test
  void namesThatAreNoModulesAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new LazyImportsBootstrap.LazyModule("a\"); import os #", ""));
  }

  private static String importedFirst(String handler) {
    return SpanEdit.applyAll(handler, LazyImportsBootstrap.importFirst(PythonModule.parse(handler)));
  }

  @Test
  void theHandlerImportsItFirstAfterItsDocstringFutureImportsAndLeadingComments() {
    String line = "import coldspy_lazy_imports  # isort: skip - ColdSpy: first, makes never-run library imports lazy"
        + " on Python 3.15+\n";
    assertEquals("\"\"\"Graphs.\"\"\"\nfrom __future__ import annotations\n\n" + line + "import igraph\n",
        importedFirst("\"\"\"Graphs.\"\"\"\nfrom __future__ import annotations\nimport igraph\n"));
    assertEquals("#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\n" + line + "import igraph\n",
        importedFirst("#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\nimport igraph\n"));
    String already = "import coldspy_lazy_imports\nimport igraph\n";
    assertEquals(already, importedFirst(already));
    assertEquals("x = 1\r\n" .replace("x = 1", line.strip()) + "x = 1\r\n", importedFirst("x = 1\r\n"));
  }

}
