package dev.coldspy.fix;

import dev.coldspy.python.ImportKind;
import dev.coldspy.python.ImportStatement;
import dev.coldspy.python.PythonModule;
import dev.coldspy.text.SourceText;
import dev.coldspy.text.Span;
import dev.coldspy.text.SpanEdit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * PEP 810 for waste inside libraries (Python 3.15+): a small module, imported first by the handler, that
 * switches the process-wide lazy-imports mode to "all" with a filter that lets only the modules the profiles
 * show never running (and their submodules) be lazy; every other import stays eager. A listed module a
 * request does need is imported at its first use. On Python before 3.15 the module does nothing.
 */
public final class LazyImportsBootstrap {
  /** The bootstrap module's name; the handler imports it. */
  public static final String MODULE = "coldspy_lazy_imports";
  private static final Pattern MODULE_NAME = Pattern.compile("[A-Za-z_][A-Za-z_0-9]*(\\.[A-Za-z_][A-Za-z_0-9]*)*");

  /**
   * One module to make lazy, with why.
   *
   * @param module fully qualified name
   * @param reason what the profiles say, one line ({@code 337.0 ms, never ran in 10 cold starts;
   *     igraph/__init__.py:12})
   */
  public record LazyModule(String module, String reason) {
    public LazyModule {
      Objects.requireNonNull(module, "module");
      if (!MODULE_NAME.matcher(module).matches()) {
        throw new IllegalArgumentException("not a module name: " + module);
      }
      reason = reason == null ? "" : reason.replace('\n', ' ').replace('\r', ' ');
    }
  }

  private LazyImportsBootstrap() {}

  /** The bootstrap module's source, with the file's line ending {@code eol}. */
  public static String source(String appName, List<LazyModule> modules, String eol) {
    List<String> lines = new ArrayList<>();
    lines.add("\"\"\"Made by ColdSpy from the profiles of " + appName.replace("\"", "'")
        + ": imports no profiled cold start ever ran become lazy (PEP 810).");
    lines.add("");
    lines.add("The handler imports this module first. On Python 3.15+ it makes every import potentially lazy and lets");
    lines.add("only the modules below (and their submodules) be lazy: each is imported at its first use, so a request");
    lines.add("that needs one pays its import then. Before Python 3.15 it does nothing. Profile again and let ColdSpy");
    lines.add("rewrite it when the code or its libraries change.");
    lines.add("\"\"\"");
    lines.add("import sys");
    lines.add("");
    lines.add("_NEVER_RAN = frozenset((");
    for (LazyModule module : modules) {
      lines.add("    \"" + module.module() + "\"," + (module.reason().isEmpty() ? "" : "  # " + module.reason()));
    }
    lines.add("))");
    lines.add("");
    lines.add("");
    lines.add("def _lazy_if_never_ran(importing_module, imported_module, fromlist):");
    lines.add("    name = imported_module");
    lines.add("    while name:");
    lines.add("        if name in _NEVER_RAN:");
    lines.add("            return True");
    lines.add("        name = name.rpartition(\".\")[0]");
    lines.add("    return False");
    lines.add("");
    lines.add("");
    lines.add("if hasattr(sys, \"set_lazy_imports_filter\"):");
    lines.add("    sys.set_lazy_imports_filter(_lazy_if_never_ran)");
    lines.add("    sys.set_lazy_imports(\"all\")");
    return String.join(eol, lines) + eol;
  }

  /**
   * The edit that makes the handler import the bootstrap module first: after its docstring and {@code from
   * __future__} imports (which must stay first), before any other statement; empty when it does already.
   */
  public static List<SpanEdit> importFirst(PythonModule handler) {
    for (ImportStatement statement : handler.imports().moduleLevel()) {
      if (statement.kind() == ImportKind.IMPORT && statement.boundNames().contains(MODULE)) {
        return List.of();
      }
    }
    SourceText text = handler.text();
    SourceEdits edits = new SourceEdits(handler);
    int afterLine = -1;
    Span docstring = handler.docstring();
    if (docstring != null) {
      afterLine = text.lineOfOffset(docstring.end());
    }
    boolean afterFutureImports = false;
    for (ImportStatement statement : handler.imports().moduleLevel()) {
      if (statement.kind() == ImportKind.FUTURE && statement.lastLine() >= afterLine) {
        afterLine = statement.lastLine();
        afterFutureImports = true;
      }
    }
    // `isort: skip` keeps isort and ruff from sorting it among the other imports, which must come after it
    String line = "import " + MODULE
        + "  # isort: skip - ColdSpy: first, makes never-run library imports lazy on Python 3.15+";
    if (afterLine < 0) {
      // after a shebang, an encoding declaration and other leading comments
      int first = 0;
      while (first < text.lineCount() && (text.lineText(first).isBlank() || text.lineText(first).strip().startsWith("#"))) {
        first++;
      }
      return first < text.lineCount()
          ? List.of(edits.insertLinesAt(text.lineStart(first), first, List.of(line)))
          : List.of(edits.insertLinesAt(text.text().length(), Math.max(0, text.lineCount() - 1), List.of(line)));
    }
    // the future imports stay a block of their own, as isort writes them
    List<String> lines = afterFutureImports ? List.of("", line) : List.of(line);
    return List.of(edits.insertLinesAt(text.lineEnd(afterLine), afterLine, lines));
  }
}
