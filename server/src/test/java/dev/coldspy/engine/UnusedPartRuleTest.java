package dev.coldspy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coldspy.profile.ModuleImport;
import dev.coldspy.profile.Phase;
import dev.coldspy.rules.RuleCode;
import dev.coldspy.settings.Settings;
import dev.coldspy.settings.SettingsParser;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** CS106 on {@code import igraph}: the library runs, its eagerly imported drawing sub-package never does. */
class UnusedPartRuleTest {
  private static final UsageEvidence EXACT = new UsageEvidence(true, true, 10, 10, 30, 30, 0, 0, 0);
  private static final UsageEvidence SPARSE = new UsageEvidence(true, false, 10, 10, 0, 0, 40, 100, 10_000);

  private static Optional<UnusedPartRule.Outcome> evaluate(ImportTree tree, UsageEvidence usage, Settings settings,
      UnusedPartRule.Remedies remedies) {
    return UnusedPartRule.evaluate("igraph", 357_000, 362_000, tree, UnusedPartRule.parts(tree, "/var/task", Knowledge.bundled(), LoadedAnyway.NONE), usage,
        ModuleRuns.InitUse.NONE, EngineSettings.of(settings), remedies);
  }

  @Test
  void namesTheSubPackageItsCostAndTheChainDownToTheLibrarysLine() {
    UnusedPartRule.Outcome outcome = evaluate(ImportTreeTest.igraphTree(Map.of()), EXACT, Settings.DEFAULTS,
        UnusedPartRule.Remedies.MANUAL).orElseThrow();
    // igraph.io never ran either, but it is igraph's own package: no other library comes in with it
    assertEquals(List.of("igraph.drawing"), outcome.culprits().stream().map(UnusedPart::module).toList());
    UnusedPart drawing = outcome.culprits().get(0);
    assertEquals("igraph/__init__.py:12 → igraph.drawing → matplotlib.pyplot", drawing.chain());
    assertEquals(List.of("matplotlib", "numpy"), drawing.bringsIn());
    assertEquals(ImportTreeTest.SITE + "igraph/__init__.py", drawing.libraryLine().file());
    assertEquals(337_000, outcome.savingUs(), 0.001);
    assertEquals(
        "igraph costs 357.0 ms per cold start (p90 362.0 ms); 337.0 ms of it loads igraph.drawing (4 modules:"
            + " igraph/__init__.py:12 → igraph.drawing → matplotlib.pyplot; brings in matplotlib, numpy), whose code"
            + " never ran in 10 cold starts (exact usage signal, 30 invocations); the import is at"
            + " igraph/__init__.py:12: vendor the library and defer that import, ask its maintainers to import it"
            + " lazily, or use a library without it; saves ~337.0 ms per cold start (the import time of"
            + " igraph.drawing, which never ran)",
        outcome.detail());
  }

  @Test
  void aPartInsideTheLibrarysOwnPackageIsInTheBreakdownButNoFinding() {
    // numpy's __init__ loads numpy.matrixlib, never called; pypdf reads its codec tables without a call: the
    // library's own layout, and deferring it brings no other library out of init
    ImportTree.Builder builder = new ImportTree.Builder(1);
    builder.add(0, ImportTreeTest.module("numpy", null, 40, "numpy/__init__.py", null), ModuleRun.duringCalls());
    builder.add(0, ImportTreeTest.module("numpy.matrixlib", "numpy", 30, "numpy/matrixlib/__init__.py",
        ImportTreeTest.at("numpy/__init__.py", 454)), ModuleRun.NONE);
    builder.add(0, ImportTreeTest.module("numpy.linalg", "numpy.matrixlib", 60, "numpy/linalg/__init__.py",
        ImportTreeTest.at("numpy/matrixlib/defmatrix.py", 12)), ModuleRun.NONE);
    builder.add(0, ImportTreeTest.module("pickle", "numpy.matrixlib", 5, null, null), ModuleRun.NONE);
    builder.add(0, new ModuleImport("json", "numpy.matrixlib", "/var/lang/lib/python3.11/json/__init__.py",
        8000, 8000, Phase.INIT, null, null), ModuleRun.NONE);
    ImportTree tree = builder.build();
    List<UnusedPart> parts = UnusedPartRule.parts(tree, "/var/task", Knowledge.bundled(), LoadedAnyway.NONE);
    assertEquals(List.of("numpy.matrixlib"), parts.stream().map(UnusedPart::module).toList());
    // the standard library (json) and modules without a file (pickle here) are no other library
    assertEquals(List.of(), parts.get(0).bringsIn());
    assertFalse(parts.get(0).reportable());
    assertEquals(Optional.empty(), UnusedPartRule.evaluate("numpy", 143_000, 143_000, tree, parts, EXACT,
        ModuleRuns.InitUse.NONE, EngineSettings.DEFAULTS, UnusedPartRule.Remedies.MANUAL));
  }

  @Test
  void aPartThatIsItselfAnotherLibraryBringsItIn() {
    // lightgbm/basic.py imports scipy.sparse: deferring it keeps scipy out of init
    ImportTree.Builder builder = new ImportTree.Builder(1);
    builder.add(0, ImportTreeTest.module("lightgbm", null, 5, "lightgbm/__init__.py", null), ModuleRun.NONE);
    builder.add(0, ImportTreeTest.module("lightgbm.basic", "lightgbm", 10, "lightgbm/basic.py",
        ImportTreeTest.at("lightgbm/__init__.py", 8)), ModuleRun.duringCalls());
    builder.add(0, ImportTreeTest.module("scipy.sparse", "lightgbm.basic", 120, "scipy/sparse/__init__.py",
        ImportTreeTest.at("lightgbm/basic.py", 30)), ModuleRun.NONE);
    List<UnusedPart> parts = UnusedPartRule.parts(builder.build(), "/var/task", Knowledge.bundled(), LoadedAnyway.NONE);
    assertEquals(List.of("scipy"), parts.get(0).bringsIn());
    assertTrue(parts.get(0).reportable());
  }

  @Test
  void vendoredLibrariesAndPep810TargetsGetTheirRemedyFirst() {
    String detail = evaluate(ImportTreeTest.igraphTree(Map.of()), EXACT, Settings.DEFAULTS,
        new UnusedPartRule.Remedies(line -> line.displayPath().startsWith("igraph/"), true)).orElseThrow().detail();
    assertTrue(detail.contains("; `coldspy fix --vendored` defers it at igraph/__init__.py:12 (the library ships in"
        + " the function's folder); a bootstrap module the handler imports first can make it lazy with PEP 810's"
        + " lazy-imports filter; else vendor the library"), detail);
  }

  @Test
  void partsBelowMinMsOrIgnoredAreLeftOut() {
    Settings settings = SettingsParser.apply(Settings.DEFAULTS,
        Map.of("min-ms", 5, "ignore-modules", List.of("igraph.drawing")), "test").settings();
    assertEquals(Optional.empty(), evaluate(ImportTreeTest.igraphTree(Map.of()), EXACT, settings,
        UnusedPartRule.Remedies.MANUAL));
  }

  @Test
  void thinEvidenceOrALibraryThatNeverRunsIsNotThisRule() {
    assertEquals(Optional.empty(), evaluate(ImportTreeTest.igraphTree(Map.of()), SPARSE, Settings.DEFAULTS,
        UnusedPartRule.Remedies.MANUAL));
    assertEquals(Optional.empty(), evaluate(ImportTreeTest.igraphTree(Map.of()), ClassifierTest.UNKNOWN_USAGE,
        Settings.DEFAULTS, UnusedPartRule.Remedies.MANUAL));
    ImportTree.Builder neverRan = new ImportTree.Builder(1);
    ImportTreeTest.igraphImport(0).forEach(module -> neverRan.add(0, module, ModuleRun.NONE));
    assertEquals(Optional.empty(), evaluate(neverRan.build(), EXACT, Settings.DEFAULTS,
        UnusedPartRule.Remedies.MANUAL));
  }

  @Test
  void aPartThatRanAtInitIsUsed() {
    UnusedPartRule.Outcome outcome = evaluate(ImportTreeTest.igraphTree(Map.of("matplotlib", ModuleRun.calledAtInitBy("handler"))), EXACT,
        Settings.DEFAULTS, UnusedPartRule.Remedies.MANUAL).orElseThrow();
    // matplotlib ran: its sub-package numpy, unused, is the culprit below it
    assertEquals(List.of("matplotlib.pyplot", "numpy"),
        outcome.culprits().stream().map(UnusedPart::module).toList());
    assertEquals("matplotlib/__init__.py:9 → numpy", outcome.culprits().get(1).chain());
    assertEquals("igraph/drawing/__init__.py:4 → matplotlib.pyplot", outcome.culprits().get(0).chain());
  }

  @Test
  void aLighterWayTheKnowledgeFileKnowsForAModuleOfThePartIsNamedWithItsSource() {
    ImportTree.Builder builder = new ImportTree.Builder(1);
    builder.add(0, ImportTreeTest.module("mylib", null, 5, "mylib/__init__.py", null), ModuleRun.duringCalls());
    builder.add(0, ImportTreeTest.module("mylib.cli", "mylib", 2, "mylib/cli.py", ImportTreeTest.at("mylib/__init__.py", 7)),
        ModuleRun.NONE);
    builder.add(0, ImportTreeTest.module("click", "mylib.cli", 40, "click/__init__.py", ImportTreeTest.at("mylib/cli.py", 1)),
        ModuleRun.NONE);
    ImportTree tree = builder.build();
    List<UnusedPart> parts = UnusedPartRule.parts(tree, "/var/task", Knowledge.bundled(), LoadedAnyway.NONE);
    LibraryEntry click = Knowledge.bundled().entryFor("click").orElseThrow();
    assertEquals(click, parts.get(0).knowledge());
    String detail = UnusedPartRule.evaluate("mylib", 47_000, 47_000, tree, parts, EXACT, ModuleRuns.InitUse.NONE,
        EngineSettings.DEFAULTS, UnusedPartRule.Remedies.MANUAL).orElseThrow().detail();
    assertTrue(detail.contains("; known for click: " + click.advice() + " (" + click.sources().get(0) + "); else vendor"),
        detail);
  }

  /** {@code from pypdf import PdfReader}: pypdf runs, its crypto provider brings in cryptography, which never does. */
  private static ImportTree pypdfTree(String library) {
    ImportTree.Builder builder = new ImportTree.Builder(1);
    builder.add(0, ImportTreeTest.module(library, null, 20, library + "/__init__.py", null), ModuleRun.duringCalls());
    builder.add(0, ImportTreeTest.module(library + "._crypt_providers", library, 5,
        library + "/_crypt_providers/__init__.py", ImportTreeTest.at(library + "/__init__.py", 10)), ModuleRun.duringCalls());
    builder.add(0, ImportTreeTest.module(library + "._crypt_providers._cryptography", library + "._crypt_providers", 1,
        library + "/_crypt_providers/_cryptography.py", ImportTreeTest.at(library + "/_crypt_providers/__init__.py", 31)),
        ModuleRun.NONE);
    builder.add(0, ImportTreeTest.module("cryptography", library + "._crypt_providers._cryptography", 3,
        "cryptography/__init__.py", ImportTreeTest.at(library + "/_crypt_providers/_cryptography.py", 30)), ModuleRun.NONE);
    builder.add(0, ImportTreeTest.module("cryptography.hazmat.primitives.padding", "cryptography", 12,
        "cryptography/hazmat/primitives/padding.py", ImportTreeTest.at(library + "/_crypt_providers/_cryptography.py", 31)),
        ModuleRun.NONE);
    builder.add(0, ImportTreeTest.module("cryptography.hazmat.bindings._rust", "cryptography", 14,
        "cryptography/hazmat/bindings/_rust.py", ImportTreeTest.at("cryptography/hazmat/primitives/padding.py", 9)),
        ModuleRun.NONE);
    return builder.build();
  }

  @Test
  void anOptionalDependencyTheImportingLibraryDocumentsIsNamedWithItsLighterWay() {
    // the part is pypdf's own provider module; what it costs is cryptography, which it brings in: the entry
    // keyed by (cryptography, imported by pypdf) is found through what the part brings in
    ImportTree tree = pypdfTree("pypdf");
    List<UnusedPart> parts = UnusedPartRule.parts(tree, "/var/task", Knowledge.bundled(), LoadedAnyway.NONE);
    UnusedPart provider = parts.get(0);
    assertEquals("pypdf._crypt_providers._cryptography", provider.module());
    assertEquals(List.of("cryptography"), provider.bringsIn());
    LibraryEntry cryptography = Knowledge.bundled().optionalDependencyFor("cryptography", "pypdf._crypt_providers")
        .orElseThrow();
    assertEquals(cryptography, provider.knowledge());
    String detail = UnusedPartRule.evaluate("pypdf", 55_000, 60_000, tree, parts, EXACT, ModuleRuns.InitUse.NONE,
        EngineSettings.DEFAULTS, UnusedPartRule.Remedies.MANUAL).orElseThrow().detail();
    assertTrue(detail.contains("; known for pypdf → cryptography: pypdf imports cryptography whenever it is"
        + " installed, but only AES-encrypted PDFs need it (pypdf's optional `crypto` extra; RC4 works without it): if"
        + " no other package of the function requires cryptography, leave it out of the package or layer"
        + " (https://pypdf.readthedocs.io/en/stable/user/installation.html (optional dependencies: pypdf[crypto] for"
        + " encrypting or decrypting PDFs that use AES)); else vendor the library"), detail);
  }

  @Test
  void anOptionalDependencyEntryHoldsOnlyBelowTheLibraryThatImportsIt() {
    // the same provider layout in another PDF library: cryptography may be what that library needs
    List<UnusedPart> parts = UnusedPartRule.parts(pypdfTree("pdfkit"), "/var/task", Knowledge.bundled(), LoadedAnyway.NONE);
    assertEquals(List.of("cryptography"), parts.get(0).bringsIn());
    assertEquals(null, parts.get(0).knowledge());
  }

  @Test
  void anOptionalDependencyThatIsThePartItselfIsFoundOnItsHeaviestPath() {
    // openpyxl/compat/numbers.py imports numpy when it can, to accept numpy scalars as cell values
    ImportTree.Builder builder = new ImportTree.Builder(1);
    builder.add(0, ImportTreeTest.module("openpyxl", null, 30, "openpyxl/__init__.py", null), ModuleRun.calledAtInitBy("handler"));
    builder.add(0, ImportTreeTest.module("openpyxl.compat.numbers", "openpyxl", 1, "openpyxl/compat/numbers.py",
        ImportTreeTest.at("openpyxl/compat/__init__.py", 4)), ModuleRun.calledAtInitBy("handler"));
    builder.add(0, ImportTreeTest.module("numpy", "openpyxl.compat.numbers", 45, "numpy/__init__.py",
        ImportTreeTest.at("openpyxl/compat/numbers.py", 9)), ModuleRun.NONE);
    List<UnusedPart> parts = UnusedPartRule.parts(builder.build(), "/var/task", Knowledge.bundled(), LoadedAnyway.NONE);
    LibraryEntry numpy = parts.get(0).knowledge();
    assertEquals("openpyxl → numpy", numpy.subject());
    assertEquals(RuleCode.UNUSED_PART, numpy.rule());
  }
}
