package dev.coldspy.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each test: a snippet in, the uses of one imported name out, written as {@code "line:evaluation:where"} with
 * 1-based lines, where = {@code import} (runs at import time), the function's name, {@code main} (elsewhere in
 * the module's {@code if __name__ == "__main__":} block), or {@code -}.
 */
class ScopeModelTest {

  private static List<String> uses(String source, String name) {
    PythonModule module = PythonModule.parse(source);
    return module.scopes().references(name).stream()
        .map(
            r ->
                module.text().profileLineOfOffset(r.span().start())
                    + ":"
                    + r.evaluation()
                    + ":"
                    + (r.atImportTime() ? "import"
                        : r.function() != null ? r.function().name()
                        : r.mainBlock() != null ? "main" : "-"))
        .toList();
  }

  @Test
  void moduleAndFunctionBodies() {
    String src =
        """
        import json
        CONFIG = json.loads("{}")
        def handler(event):
            return json.dumps(event)
        """;
    assertEquals(List.of("2:CODE:import", "4:CODE:handler"), uses(src, "json"));
  }

  @Test
  void attributesKeywordsStringsAndCommentsAreNotUses() {
    String src =
        """
        import json
        # json is great
        def f(obj):
            s = "json"
            obj.json = 1
            return g(json=obj.json)
        """;
    assertEquals(List.of(), uses(src, "json"));
  }

  @Test
  void parametersAndLocalAssignmentsShadowTheImport() {
    String src =
        """
        import json
        def a(json):
            return json.x
        def b():
            json = make()
            return json
        def c():
            for json in items: pass
        def d():
            with open(p) as json: pass
        def e():
            try: pass
            except E as json: pass
        def f():
            print(json)
        """;
    assertEquals(List.of("15:CODE:f"), uses(src, "json"));
  }

  @Test
  void useBeforeLocalAssignmentIsStillLocal() {
    // Python decides scope per function: this json is a local (UnboundLocalError at runtime), not the import
    String src = "import json\ndef f():\n    x = json.dumps(1)\n    json = None\n";
    assertEquals(List.of(), uses(src, "json"));
  }

  @Test
  void globalDeclarationMakesFunctionUsesGlobal() {
    String src = "import json\ndef f():\n    global json\n    json = other\n    return json\n";
    assertEquals(List.of("5:CODE:f"), uses(src, "json"));
    PythonModule module = PythonModule.parse(src);
    List<NameBinding.Kind> kinds = module.scopes().bindings("json").stream().map(NameBinding::kind).toList();
    assertEquals(List.of(NameBinding.Kind.IMPORT, NameBinding.Kind.GLOBAL_DECLARATION, NameBinding.Kind.ASSIGNMENT), kinds);
  }

  @Test
  void nestedFunctionsSeeEnclosingLocalsButNotClassAttributes() {
    String src =
        """
        import json
        def outer():
            json = 1
            def inner():
                return json
        class K:
            json = 2
            def m(self):
                return json
            x = json
        """;
    assertEquals(List.of("9:CODE:m"), uses(src, "json"));
  }

  @Test
  void classBodyUsesBeforeAClassBindingAreGlobal() {
    String src = "import json\nclass K:\n    a = json.dumps\n    json = None\n";
    assertEquals(List.of("3:CODE:import"), uses(src, "json"));
  }

  @Test
  void comprehensionsAndLambdas() {
    String src =
        """
        import re
        PATTERNS = [re.compile(p) for p in LIST]
        first = [x for x in re.split(",", S)]
        shadow = [re for re in range(3)]
        f = lambda s: re.match("a", s)
        def g(items):
            return {k: re.escape(k) for k in items}
        """;
    assertEquals(List.of("2:CODE:import", "3:CODE:import", "5:CODE:-", "7:CODE:g"), uses(src, "re"));
  }

  @Test
  void theMainBlockRunsOnlyWhenTheFileIsRunAsAScript() {
    String src =
        """
        import colorama
        def paint():
            return colorama.Fore
        if __name__ == "__main__":
            colorama.init()
            class Banner(colorama.Base):
                style = colorama.Style
            @colorama.wrap
            def run():
                return [colorama.x for _ in range(1)]
        elif colorama.y:
            pass
        else:
            colorama.z
        if '__main__' == __name__:
            colorama.w
        if __name__ != "__main__":
            colorama.v
        if __name__ == "__main__" and DEBUG:
            colorama.u
        def f():
            if __name__ == "__main__":
                return colorama.t
        """;
    assertEquals(
        List.of(
            "3:CODE:paint",
            "5:CODE:main",
            "6:BASE_CLASS:main",
            "7:CODE:main",
            "8:DECORATOR:main",
            "10:CODE:run",
            "11:CODE:import",
            "14:CODE:import",
            "16:CODE:main",
            "18:CODE:import",
            "20:CODE:import",
            "23:CODE:f"),
        uses(src, "colorama"));
  }

  @Test
  void aModuleThatBindsDunderNameMayRunItsMainBlockOnImport() {
    String script = "import colorama\nif __name__ == '__main__':\n    colorama.init()\n";
    assertEquals(List.of("3:CODE:main"), uses(script, "colorama"));
    String rebinding = "import colorama\n__name__ = '__main__'\nif __name__ == '__main__':\n    colorama.init()\n";
    assertEquals(List.of("4:CODE:import"), uses(rebinding, "colorama"));
  }

  @Test
  void walrusInAComprehensionBindsInTheEnclosingFunction() {
    String src = "import m\ndef f(xs):\n    ys = [(m := x) for x in xs]\n    return m\n";
    assertEquals(List.of(), uses(src, "m"));
  }

  @Test
  void definitionTimeExpressions() {
    String src =
        """
        import deco, base, dflt, meta
        @deco.register
        class C(base.Model, metaclass=meta.Meta):
            @deco.cached
            def m(self, x=dflt.VALUE):
                pass
        def f(y=dflt.OTHER):
            @deco.inner
            def g(): pass
        """;
    assertEquals(List.of("2:DECORATOR:import", "4:DECORATOR:import", "8:DECORATOR:f"), uses(src, "deco"));
    assertEquals(List.of("3:BASE_CLASS:import"), uses(src, "base"));
    assertEquals(List.of("3:BASE_CLASS:import"), uses(src, "meta"));
    assertEquals(List.of("5:DEFAULT_ARGUMENT:import", "7:DEFAULT_ARGUMENT:import"), uses(src, "dflt"));
  }

  @Test
  void annotationsEvaluatedOrNot() {
    String src =
        """
        from policy import Policy
        def f(p: Policy) -> Policy:
            local: Policy = p
            return p
        x: Policy = None
        def g(p: "Policy"):
            pass
        """;
    assertEquals(
        List.of(
            "2:ANNOTATION:import",
            "2:ANNOTATION:import",
            "3:ANNOTATION_NOT_EVALUATED:f",
            "5:ANNOTATION:import",
            "6:STRING_ANNOTATION:-"),
        uses(src, "Policy"));
  }

  @Test
  void futureAnnotationsDeferEveryAnnotation() {
    String src = "from __future__ import annotations\nfrom p import T\ndef f(x: T) -> list[T]: ...\n";
    assertEquals(List.of("3:ANNOTATION_NOT_EVALUATED:-", "3:ANNOTATION_NOT_EVALUATED:-"), uses(src, "T"));
  }

  @Test
  void annotationsOfDecoratedDefinitionsOrModelClassesMayBeInspected() {
    String src =
        """
        from __future__ import annotations
        from t import A, B, C
        @app.get("/")
        def f(x: A): ...
        class M(BaseModel):
            field: B
        def plain(x: C): ...
        """;
    PythonModule module = PythonModule.parse(src);
    assertTrue(module.scopes().references("A").get(0).annotationInspected());
    assertTrue(module.scopes().references("B").get(0).annotationInspected());
    assertFalse(module.scopes().references("C").get(0).annotationInspected());
  }

  @Test
  void aGenericAnnotationIsClassifiedByItsOutermostType() {
    String src =
        """
        from t import D
        class M(BaseModel):
            field: list[D]
        def f():
            local: dict[str, D] = {}
        """;
    PythonModule module = PythonModule.parse(src);
    assertTrue(module.scopes().references("D").get(0).annotationInspected(), "a model's field, however nested");
    assertEquals(List.of("3:ANNOTATION:import", "5:ANNOTATION_NOT_EVALUATED:f"), uses(src, "D"));
  }

  @Test
  void annotationAroundIsTheWholeAnnotation() {
    String src = "from t import D\ndef f(x: dict[str, list[D]] = None) -> D: ...\n";
    PythonModule module = PythonModule.parse(src);
    List<String> annotations = module.scopes().references("D").stream()
        .map(r -> module.text().slice(module.annotationAround(r))).toList();
    assertEquals(List.of("dict[str, list[D]]", "D"), annotations);
  }

  @Test
  void dunderAllExportsCount() {
    String src = "from .core import run, stop\n__all__ = ['run']\n__all__ += [\"stop\"]\n";
    assertEquals(List.of("2:ALL_EXPORT:import"), uses(src, "run"));
    assertEquals(List.of("3:ALL_EXPORT:import"), uses(src, "stop"));
  }

  @Test
  void moduleLevelRebindingsAndDeletes() {
    String src = "import json\njson = None\ndel json\ndef json(): pass\nfor json in x: pass\n";
    List<NameBinding.Kind> kinds =
        PythonModule.parse(src).scopes().bindings("json").stream().map(NameBinding::kind).toList();
    assertEquals(
        List.of(
            NameBinding.Kind.IMPORT,
            NameBinding.Kind.ASSIGNMENT,
            NameBinding.Kind.DELETE,
            NameBinding.Kind.DEFINITION,
            NameBinding.Kind.ASSIGNMENT),
        kinds);
  }

  @Test
  void localImportInAFunctionShadowsTheModuleImport() {
    String src = "import json\ndef f():\n    import json\n    return json.dumps(1)\n";
    assertEquals(List.of(), uses(src, "json"));
  }

  @Test
  void fStringInterpolationsAreUses() {
    assertEquals(List.of("3:CODE:f"), uses("import os\ndef f():\n    return f\"{os.sep}\"\n", "os"));
  }

  @Test
  void dynamicNamespaceAccessIsReported() {
    PythonModule module = PythonModule.parse("import json\ndef f(n):\n    return globals()[n]\n");
    assertEquals(1, module.scopes().dynamicNamespaceAccess().size());
  }

  @Test
  void namesInsideASyntaxErrorAreKeptAndFlagged() {
    String src = "import json\ndef f(:\n    json.dumps(\n";
    List<NameReference> refs = PythonModule.parse(src).scopes().references("json");
    assertFalse(refs.isEmpty());
    assertTrue(refs.stream().anyMatch(NameReference::inSyntaxError), refs.toString());
  }

  @Test
  void statementPathLeadsFromTheUseToTheModule() {
    String src = "import json\ndef f(x):\n    if x:\n        return json.dumps(x)\n";
    PythonModule module = PythonModule.parse(src);
    NameReference ref = module.scopes().references("json").get(0);
    List<String> statements = ref.path().stream().map(s -> module.text().slice(s.statement()).split("\n")[0]).toList();
    assertEquals(List.of("return json.dumps(x)", "if x:", "def f(x):"), statements);
  }
}
