package dev.coldspy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coldspy.rules.RuleCode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnowledgeTest {
  private static final String HEADER = "schema = 1\n";

  @Test
  void bundledFileLoadsAndEveryEntryNamesASource() {
    Knowledge knowledge = Knowledge.bundled();
    assertTrue(knowledge.entries().size() >= 20);
    for (LibraryEntry entry : knowledge.entries()) {
      assertFalse(entry.sources().isEmpty(), entry.module());
    }
  }

  @Test
  void richAndItsSubmodulesAreFeatureRedundancy() {
    LibraryEntry rich = Knowledge.bundled().entryFor("rich.console").orElseThrow();
    assertEquals("rich", rich.module());
    assertEquals(RuleCode.FEATURE_REDUNDANCY, rich.rule());
    assertTrue(Knowledge.bundled().entryFor("richer").isEmpty(), "a prefix is not a submodule");
  }

  @Test
  void pkgResourcesIsLibraryChoiceWithImportlibRewrites() {
    LibraryEntry entry = Knowledge.bundled().entryFor("pkg_resources.extern.packaging").orElseThrow();
    assertEquals(RuleCode.LIBRARY_CHOICE, entry.rule());
    assertEquals(LibraryEntry.Applies.ALWAYS, entry.applies());
    Rewrite filename = entry.rewrites().get(0);
    assertEquals(Rewrite.Kind.EXPRESSION, filename.kind());
    assertEquals("pkg_resources.resource_filename({package}, {resource})", filename.match());
    assertTrue(filename.replace().contains("importlib.resources.files({package})"));
    assertTrue(filename.validFor(PythonVersion.parse("3.11")));
    assertFalse(filename.validFor(PythonVersion.parse("3.8")));
  }

  @Test
  void pathlib2IsRepointedAtPathlib() {
    Rewrite rewrite = Knowledge.bundled().entryFor("pathlib2").orElseThrow().rewrites().get(0);
    assertEquals(Rewrite.Kind.MODULE, rewrite.kind());
    assertEquals("pathlib", rewrite.to());
  }

  @Test
  void longestMatchingEntryWins() throws KnowledgeException {
    Knowledge knowledge =
        Knowledge.parse(
            HEADER
                + entry("backports", "feature-redundancy", "feature = 'x'")
                + entry("backports.zoneinfo", "library-choice", "replacement = 'zoneinfo'\napplies = 'always'"),
            "k.toml");
    assertEquals("backports.zoneinfo", knowledge.entryFor("backports.zoneinfo._czoneinfo").orElseThrow().module());
    assertEquals("backports", knowledge.entryFor("backports.other").orElseThrow().module());
  }

  @Test
  void anOptionalDependencyEntryHoldsOnlyWhereItsLibraryImportsIt() throws KnowledgeException {
    Knowledge knowledge = Knowledge.parse(HEADER
        + entry("cryptography", "unused-library-part", "importedBy = 'pypdf'\nfeature = 'AES'")
        + entry("cryptography", "unused-library-part", "importedBy = 'pdfminer'\nfeature = 'AES too'"), "k.toml");
    LibraryEntry viaPypdf = knowledge.optionalDependencyFor("cryptography.hazmat", "pypdf._crypt_providers")
        .orElseThrow();
    assertEquals(RuleCode.UNUSED_PART, viaPypdf.rule());
    assertEquals("pypdf → cryptography", viaPypdf.subject());
    assertEquals("AES too", knowledge.optionalDependencyFor("cryptography", "pdfminer.pdfdocument")
        .orElseThrow().what());
    assertTrue(knowledge.optionalDependencyFor("cryptography", "pypdfium2").isEmpty(), "a prefix is no package");
    // an app that imports cryptography itself is no library's optional dependency: no CS103/CS104 entry
    assertTrue(knowledge.entryFor("cryptography").isEmpty());
  }

  @Test
  void anOptionalDependencyEntryNamesItsLibraryAndHasNoRewrites() {
    KnowledgeException missing = assertThrows(KnowledgeException.class, () -> Knowledge.parse(
        HEADER + entry("numpy", "unused-library-part", "feature = 'numpy scalars'"), "k.toml"));
    assertEquals("k.toml: library entry 1 (numpy): 'importedBy' is required", missing.getMessage());
    KnowledgeException rewrite = assertThrows(KnowledgeException.class, () -> Knowledge.parse(
        HEADER + entry("numpy", "unused-library-part", "importedBy = 'openpyxl'\nfeature = 'x'")
            + "  [[library.rewrite]]\n  kind = 'module'\n  to = 'json'\n", "k.toml"));
    assertTrue(rewrite.getMessage().startsWith("k.toml: library entry 1 (numpy): an \"unused-library-part\" entry"
        + " has no rewrites"), rewrite.getMessage());
    KnowledgeException twice = assertThrows(KnowledgeException.class, () -> Knowledge.parse(HEADER
        + entry("numpy", "unused-library-part", "importedBy = 'openpyxl'\nfeature = 'x'")
        + entry("numpy", "unused-library-part", "importedBy = 'openpyxl'\nfeature = 'y'"), "k.toml"));
    assertEquals("k.toml: library entry 2: module 'numpy' imported by 'openpyxl' is listed twice",
        twice.getMessage());
  }

  @Test
  void everyBundledOptionalDependencyNamesADocumentedSource() {
    long optional = 0;
    for (LibraryEntry entry : Knowledge.bundled().entries()) {
      if (entry.importedBy() != null) {
        optional++;
        assertTrue(entry.sources().get(0).startsWith("https://"), entry.subject() + ": " + entry.sources());
        assertTrue(entry.advice().contains(entry.importedBy()), entry.subject() + " names the importing library");
      }
    }
    assertTrue(optional >= 5, "optional-dependency entries: " + optional);
  }

  @Test
  void invalidTomlNamesFileAndLine() {
    KnowledgeException e =
        assertThrows(KnowledgeException.class, () -> Knowledge.parse("schema = 1\n[[library]\n", "k.toml"));
    assertTrue(e.getMessage().startsWith("k.toml:2: not valid TOML"), e.getMessage());
  }

  @Test
  void wrongSchemaIsRejected() {
    KnowledgeException e =
        assertThrows(KnowledgeException.class, () -> Knowledge.parse("schema = 2\n", "k.toml"));
    assertEquals("k.toml: 'schema' must be 1 (found 2)", e.getMessage());
  }

  @Test
  void entryWithoutSourceIsRejected() {
    String text =
        HEADER
            + "[[library]]\nmodule = 'tqdm'\npattern = 'feature-redundancy'\nfeature = 'bars'\n"
            + "advice = 'drop it'\nsources = []\n";
    KnowledgeException e = assertThrows(KnowledgeException.class, () -> Knowledge.parse(text, "k.toml"));
    assertEquals("k.toml: library entry 1 (tqdm): 'sources' must name at least one source", e.getMessage());
  }

  @Test
  void unknownPatternIsRejected() {
    String text = HEADER + entry("tqdm", "never-used", "");
    KnowledgeException e = assertThrows(KnowledgeException.class, () -> Knowledge.parse(text, "k.toml"));
    assertTrue(e.getMessage().contains("library entry 1 (tqdm): 'pattern' must be"), e.getMessage());
  }

  @Test
  void duplicateModuleIsRejected() {
    String one = entry("tqdm", "feature-redundancy", "feature = 'bars'");
    KnowledgeException e =
        assertThrows(KnowledgeException.class, () -> Knowledge.parse(HEADER + one + one, "k.toml"));
    assertEquals("k.toml: library entry 2: module 'tqdm' is listed twice", e.getMessage());
  }

  @Test
  void rewriteReplacementMayOnlyUseBoundPlaceholders() {
    String text =
        HEADER
            + entry("pkg_resources", "library-choice", "replacement = 'r'\napplies = 'always'")
            + "[[library.rewrite]]\nkind = 'expression'\nmatch = 'pkg_resources.f({a})'\n"
            + "replace = 'g({a}, {b})'\n";
    KnowledgeException e = assertThrows(KnowledgeException.class, () -> Knowledge.parse(text, "k.toml"));
    assertEquals(
        "k.toml: library entry 1 (pkg_resources), rewrite 1: 'replace' uses placeholders that 'match' does not bind: [b]",
        e.getMessage());
  }

  @Test
  void rewriteMatchMustNameTheLibrary() {
    String text =
        HEADER
            + entry("pkg_resources", "library-choice", "replacement = 'r'\napplies = 'always'")
            + "[[library.rewrite]]\nkind = 'expression'\nmatch = 'os.f({a})'\nreplace = 'g({a})'\n";
    KnowledgeException e = assertThrows(KnowledgeException.class, () -> Knowledge.parse(text, "k.toml"));
    assertTrue(e.getMessage().contains("'match' must start with the library's qualified name"), e.getMessage());
  }

  @Test
  void badMinPythonIsRejected() {
    String text =
        HEADER
            + entry("pathlib2", "library-choice", "replacement = 'r'\napplies = 'always'")
            + "[[library.rewrite]]\nkind = 'module'\nto = 'pathlib'\nminPython = 'three'\n";
    KnowledgeException e = assertThrows(KnowledgeException.class, () -> Knowledge.parse(text, "k.toml"));
    assertTrue(e.getMessage().contains("rewrite 1: 'minPython' not a Python version"), e.getMessage());
  }

  @Test
  void userFileIsReadAndMissingFileNamed(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("mine.toml");
    Files.writeString(file, HEADER + entry("tqdm", "feature-redundancy", "feature = 'bars'"));
    assertEquals(1, Knowledge.load(file).entries().size());
    Path missing = dir.resolve("missing.toml");
    KnowledgeException e = assertThrows(KnowledgeException.class, () -> Knowledge.load(missing));
    assertTrue(e.getMessage().startsWith(missing + ": cannot read knowledge file"), e.getMessage());
  }

  private static String entry(String module, String pattern, String extra) {
    return "[[library]]\nmodule = '"
        + module
        + "'\npattern = '"
        + pattern
        + "'\n"
        + extra
        + "\nadvice = 'do this'\nsources = ['https://example.org']\n";
  }
}
