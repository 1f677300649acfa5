package dev.coldspy.engine;

import java.util.List;
import java.util.Set;

/**
 * One import statement of the application as the engine needs it: where it is, which modules it names
 * (absolute, relative imports already resolved), and what the source code says about its names.
 *
 * @param ref which statement it is
 * @param oneBasedLine 1-based line of the statement's first character
 * @param oneBasedColumn 1-based column (in characters) of the statement's first character
 * @param oneBasedEndLine 1-based last line of the statement (parenthesised and continued imports span lines)
 * @param text the statement as written, whitespace collapsed (for messages)
 * @param modules every module the statement may load, outermost first: {@code import a.b} names {@code a}
 *     and {@code a.b}; {@code from a.b import c} names {@code a}, {@code a.b} and {@code a.b.c} (c may be a
 *     submodule)
 * @param targets the modules whose code running counts as a use of this statement: {@code import a.b} and
 *     {@code from a.b import c} both use {@code a.b} and its submodules
 * @param boundNames names the statement binds in its scope
 * @param moduleLevel true when the statement runs when its module is imported (not inside a function)
 * @param typeCheckingOnly true inside {@code if TYPE_CHECKING:} (never runs, costs nothing)
 * @param inTry true inside a {@code try} block (often an ImportError fallback)
 * @param staticUse what the scope model says about the bound names
 * @param references where the code refers to the bound names inside functions (from the scope model, no
 *     samples), in document order
 * @param noqa codes suppressed by a {@code # noqa} comment on the statement; {@code "*"} for a bare noqa
 */
public record ImportSite(
    StatementRef ref,
    int oneBasedLine,
    int oneBasedColumn,
    int oneBasedEndLine,
    String text,
    List<String> modules,
    List<String> targets,
    List<String> boundNames,
    boolean moduleLevel,
    boolean typeCheckingOnly,
    boolean inTry,
    StaticUse staticUse,
    List<UseSite> references,
    Set<String> noqa) {

  public ImportSite {
    modules = List.copyOf(modules);
    targets = List.copyOf(targets);
    boundNames = List.copyOf(boundNames);
    references = List.copyOf(references);
    noqa = Set.copyOf(noqa);
  }

  /** True when a {@code # noqa} comment on the statement suppresses {@code code}. */
  public boolean suppresses(String code) {
    return noqa.contains("*") || noqa.contains(code);
  }

  /** True when this statement names {@code module} (or a module it is a submodule of). */
  public boolean names(String module) {
    return modules.contains(module);
  }

  /** True when code of {@code module} running counts as a use of this statement. */
  public boolean targets(String module) {
    for (String target : targets) {
      if (module.equals(target) || module.startsWith(target + ".")) {
        return true;
      }
    }
    return false;
  }
}
