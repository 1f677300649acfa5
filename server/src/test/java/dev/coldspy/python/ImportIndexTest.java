package dev.coldspy.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ImportIndexTest {

  private static ImportIndex index(String source) {
    return PythonModule.parse(source).imports();
  }

  private static ImportIndex index(String source, String moduleName, boolean init) {
    return PythonModule.parse(source, new ModuleIdentity(moduleName, init)).imports();
  }

  @Test
  void plainImportBindsTheTopPackageAndLoadsEveryParent() {
    ImportStatement s = index("import a.b.c\n").statements().get(0);
    assertEquals(ImportKind.IMPORT, s.kind());
    assertEquals(List.of("a"), s.boundNames());
    assertEquals("a.b.c", s.names().get(0).written());
    assertEquals("a", s.names().get(0).target());
    assertEquals(List.of("a", "a.b", "a.b.c"), s.modulesLoaded());
  }

  @Test
  void aliasBindsTheAliasToTheFullModule() {
    ImportStatement s = index("import a.b as c, d\n").statements().get(0);
    assertEquals(List.of("c", "d"), s.boundNames());
    assertEquals("a.b", s.name("c").orElseThrow().target());
    assertEquals("a.b as c", s.name("c").orElseThrow().clause());
    assertEquals(List.of("a", "a.b", "d"), s.modulesLoaded());
  }

  @Test
  void fromImportBindsAttributesAndMayLoadSubmodules() {
    ImportStatement s = index("from a.b import c as d, e\n").statements().get(0);
    assertEquals(ImportKind.FROM, s.kind());
    assertEquals("a.b", s.module());
    assertEquals(List.of("d", "e"), s.boundNames());
    assertEquals("a.b.c", s.name("d").orElseThrow().target());
    assertEquals(List.of("a", "a.b"), s.modulesLoaded());
    assertEquals(List.of("a.b.c", "a.b.e"), s.modulesMaybeLoaded());
  }

  @Test
  void parenthesisedAndBackslashContinuedStatementsKeepExactRanges() {
    String src = "from x import (\n    a,  # first\n    b as bb,\n)\nimport p, \\\n    q\n";
    ImportIndex idx = index(src);
    ImportStatement paren = idx.statements().get(0);
    assertEquals(List.of("a", "bb"), paren.boundNames());
    assertEquals(0, paren.firstLine());
    assertEquals(3, paren.lastLine());
    assertEquals(src.indexOf("from"), paren.span().start());
    assertEquals(src.indexOf(")") + 1, paren.span().end());
    ImportStatement continued = idx.statements().get(1);
    assertEquals(List.of("p", "q"), continued.boundNames());
    assertEquals(4, continued.firstLine());
    assertEquals(5, continued.lastLine());
    assertEquals(idx.atProfileLine(6).orElseThrow(), continued);
  }

  @Test
  void relativeImportsResolveAgainstThePackage() {
    ImportIndex idx = index("from . import x\nfrom ..pkg import y\nfrom .sib import z\n", "app.sub.mod", false);
    assertEquals("app.sub", idx.statements().get(0).module());
    assertEquals("app.sub.x", idx.statements().get(0).name("x").orElseThrow().target());
    assertEquals("app.pkg", idx.statements().get(1).module());
    assertEquals("..pkg", idx.statements().get(1).writtenModule());
    assertEquals(2, idx.statements().get(1).relativeLevel());
    assertEquals("app.sub.sib", idx.statements().get(2).module());
  }

  @Test
  void relativeImportInPackageInitStartsAtThePackageItself() {
    ImportStatement s = index("from .core import run\n", "app", true).statements().get(0);
    assertEquals("app.core", s.module());
  }

  @Test
  void unresolvableRelativeImportKeepsItsDots() {
    ImportStatement s = index("from ...too.far import x\n", "app.mod", false).statements().get(0);
    assertEquals("...too.far", s.module());
    assertTrue(s.modulesLoaded().isEmpty());
  }

  @Test
  void starAndFutureImports() {
    ImportIndex idx = index("from __future__ import annotations\nfrom m import *\n");
    assertEquals(ImportKind.FUTURE, idx.statements().get(0).kind());
    assertTrue(idx.hasFutureAnnotations());
    ImportStatement star = idx.statements().get(1);
    assertTrue(star.star());
    assertTrue(star.names().isEmpty());
  }

  @Test
  void enclosingScopeIsTheInnermostFunctionOrClass() {
    String src = "import a\nclass K:\n    import b\n    def m(self):\n        import c\n";
    ImportIndex idx = index(src);
    assertTrue(idx.statements().get(0).isModuleLevel());
    assertEquals(new EnclosingScope(ScopeKind.CLASS, "K", idx.statements().get(1).scope().span()), idx.statements().get(1).scope());
    EnclosingScope m = idx.statements().get(2).scope();
    assertEquals(ScopeKind.FUNCTION, m.kind());
    assertEquals("m", m.name());
    assertEquals(src.indexOf("def m"), m.span().start());
  }

  @Test
  void tryExceptImportErrorAndTypeCheckingContexts() {
    String src =
        """
        try:
            import ujson as json
        except ImportError:
            import json
        try:
            import yaml
        except ValueError:
            pass
        if TYPE_CHECKING:
            from x import T
        else:
            from x import U
        if sys.version_info >= (3, 11):
            import tomllib
        import plain
        """;
    List<ImportStatement> s = index(src).statements();
    assertTrue(s.get(0).context().importErrorFallback());
    assertTrue(s.get(1).context().importErrorFallback());
    assertFalse(s.get(2).context().importErrorFallback());
    assertTrue(s.get(2).context().inTryStatement());
    assertTrue(s.get(3).context().typeCheckingOnly());
    assertFalse(s.get(3).context().conditional());
    assertFalse(s.get(4).context().typeCheckingOnly());
    assertTrue(s.get(4).context().conditional());
    assertTrue(s.get(5).context().conditional());
    assertEquals(ImportContext.PLAIN, s.get(6).context());
  }

  @Test
  void noqaCommentsOnTheStatement() {
    ImportIndex idx = index("import a  # noqa: CS101, cs102\nimport b # noqa\nfrom c import (  # noqa: CS105\n  d,\n)\nimport e\n");
    assertEquals(Set.of("CS101", "CS102"), idx.statements().get(0).noqa().codes());
    assertTrue(idx.statements().get(0).noqa().suppresses("cs101"));
    assertFalse(idx.statements().get(0).noqa().suppresses("CS103"));
    assertTrue(idx.statements().get(1).noqa().all());
    assertTrue(idx.statements().get(2).noqa().suppresses("CS105"));
    assertFalse(idx.statements().get(3).noqa().isPresent());
  }

  @Test
  void pep810LazyPrefixIsRecognisedAndIncludedInTheSpan() {
    String src = "lazy import json\nlazy from a import b\nimport c\n";
    List<ImportStatement> s = index(src).statements();
    assertTrue(s.get(0).lazy());
    assertEquals(0, s.get(0).span().start());
    assertTrue(s.get(1).lazy());
    assertFalse(s.get(2).lazy());
  }

  @Test
  void importsAfterASyntaxErrorAreStillFound() {
    String src = "import os\ndef broken(:\n    pass\nimport json\nfrom x import (y,\n";
    PythonModule module = PythonModule.parse(src);
    assertTrue(module.hasSyntaxErrors());
    List<String> bound = module.imports().statements().stream().flatMap(s -> s.boundNames().stream()).toList();
    assertTrue(bound.containsAll(List.of("os", "json")), bound.toString());
  }

  @Test
  void nonAsciiTextBeforeImportsKeepsStringOffsets() {
    String src = "s = '日本😀'\nimport json  # é\n";
    ImportStatement s = index(src).statements().get(0);
    assertEquals(src.indexOf("import"), s.span().start());
    assertEquals("import json", src.substring(s.span().start(), s.span().end()));
  }

  @Test
  void crOnlyLineEndingsGiveTheRightLines() {
    String src = "import a\rimport b\r";
    List<ImportStatement> s = index(src).statements();
    assertEquals(1, s.get(1).firstLine());
    assertNull(s.get(1).module());
  }

  @Test
  void incrementalReparseMatchesAFreshParse() {
    PythonModule first = PythonModule.parse("import os\n\ndef f():\n    return os.getcwd()\n");
    PythonModule second = first.reparse("import os\nimport json\n\ndef f():\n    return os.getcwd()\n");
    assertEquals(List.of("os", "json"), second.imports().statements().stream().flatMap(x -> x.boundNames().stream()).toList());
    assertEquals(3, PythonModule.parse(second.source()).imports().statements().get(1).lastLine() + 2);
    PythonModule third = second.reparse("import os\nimport json, é\n\ndef f():\n    return os.getcwd()\n");
    assertEquals(List.of("json", "é"), third.imports().statements().get(1).boundNames());
  }

  @Test
  void theStatementAtAnOffsetIsTheOneStartingThereNotTheOneEndingThere() {
    String source = "import io\n\nimport numpy as np\nimport pandas as pd\nimport pyarrow.parquet as pq\n";
    ImportIndex imports = index(source);
    for (ImportStatement statement : imports.statements()) {
      assertEquals(statement, imports.atOffset(statement.span().start()).orElseThrow(),
          "at the start of " + statement.span() + " " + imports.statements().stream().map(ImportStatement::span).toList());
    }
  }

  @Test
  void eachStatementsIndexIsItsPlaceInTheFile() {
    // Caches of fix plans are keyed by it: two statements with one index would share their fixes.
    ImportIndex imports = index("import io\n\nimport numpy as np\nimport pandas as pd\n\ndef f():\n    import json\n");
    assertEquals(List.of(0, 1, 2, 3), imports.statements().stream().map(ImportStatement::index).toList());
  }
}
