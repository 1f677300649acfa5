package dev.coldspy.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Unused parts of vendored libraries whose import was deferred since profiling: the profile saw the library's
 * line import the part at init, and the library's file, as it reads now, imports the part only inside
 * functions (a PEP 562 module {@code __getattr__}, an import moved into the functions that use it — what
 * {@code coldspy fix --vendored} writes). Such a part is no longer an unused part of its statement: it gets no
 * finding, and is recorded as {@link FixedSinceProfiling} on the statement that now imports it lazily. The
 * same rule as for the application's own imports ({@link Attribution}): a file that names the part nowhere any
 * more is left as it was, as a removed import cannot be told from code that imports without one.
 *
 * <p>Collects what it found while the engine walks the statements; not thread-safe.
 */
final class DeferredLibraryParts {
  private final Map<String, SourceFile> vendoredByPath = new HashMap<>();
  private final String appRoot;
  /** One record per library file, line and part, in the order found. */
  private final Map<String, FixedSinceProfiling> found = new LinkedHashMap<>();

  /**
   * @param vendoredFiles the vendored libraries' files as they read now
   * @param appRoot the profile's recorded app root, or null
   */
  DeferredLibraryParts(List<SourceFile> vendoredFiles, String appRoot) {
    for (SourceFile file : vendoredFiles) {
      vendoredByPath.putIfAbsent(file.relativePath(), file);
    }
    this.appRoot = appRoot;
  }

  /** The parts whose library line still imports them at start-up (all but the deferred ones). */
  List<UnusedPart> stillEager(List<UnusedPart> parts) {
    List<UnusedPart> eager = new ArrayList<>(parts.size());
    for (UnusedPart part : parts) {
      ImportSite lazy = deferredTo(part);
      if (lazy == null) {
        eager.add(part);
        continue;
      }
      SourceFile file = vendoredByPath.get(CodePaths.display(part.libraryLine().file(), appRoot));
      found.putIfAbsent(file.relativePath() + ":" + lazy.oneBasedLine() + " " + part.module(),
          new FixedSinceProfiling(file.displayPath(), lazy.oneBasedLine(), lazy.ref(), part.module(),
              part.costUs()));
    }
    return eager;
  }

  /** The deferred parts met so far. */
  List<FixedSinceProfiling> found() {
    return List.copyOf(found.values());
  }

  /**
   * The statement inside a function that now imports the part, when its library line is in a vendored file
   * that imports it nowhere at start-up any more; else null.
   */
  private ImportSite deferredTo(UnusedPart part) {
    if (part.libraryLine() == null) {
      return null;
    }
    SourceFile file = vendoredByPath.get(CodePaths.display(part.libraryLine().file(), appRoot));
    if (file == null) {
      return null;
    }
    ImportSite lazy = null;
    for (ImportSite site : file.imports()) {
      if (!site.names(part.module())) {
        continue;
      }
      if (site.moduleLevel() && !site.typeCheckingOnly()) {
        return null;
      }
      if (lazy == null && !site.typeCheckingOnly()) {
        lazy = site;
      }
    }
    return lazy;
  }
}
