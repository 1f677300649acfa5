package dev.coldspy.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The unused parts of libraries shipped in the function's folder whose import has been deferred since the
 * profile was taken ({@code coldspy fix --vendored} turned the library's line into a PEP 562 {@code __getattr__}
 * or moved it into a function): the library's file names the part's module, but no longer at module level. Such
 * a part is no finding any more and its cost leaves the saving; it is reported as {@link FixedSinceProfiling}
 * on the library's line until a new profile confirms it. Parts of libraries outside the folder cannot have
 * changed through ColdSpy and are never taken for deferred.
 */
final class DeferredParts implements Predicate<UnusedPart> {
  private final Map<String, SourceFile> vendoredFiles = new HashMap<>();
  private final String appRoot;
  /** By file and part module: a part several statements load is fixed once. */
  private final Map<String, FixedSinceProfiling> found = new LinkedHashMap<>();

  /**
   * @param vendoredFiles the files of the libraries shipped in the function's folder, as they read now
   * @param appRoot the profile's recorded application root, or null
   */
  DeferredParts(List<SourceFile> vendoredFiles, String appRoot) {
    vendoredFiles.forEach(file -> this.vendoredFiles.put(file.relativePath(), file));
    this.appRoot = appRoot;
  }

  /** True when the part's import has been deferred since profiling (and it is remembered as fixed). */
  @Override
  public boolean test(UnusedPart part) {
    if (part.libraryLine() == null) {
      return false;
    }
    SourceFile library = vendoredFiles.get(CodePaths.display(part.libraryLine().file(), appRoot));
    if (library == null) {
      return false;
    }
    ImportSite deferredTo = null;
    for (ImportSite site : library.imports()) {
      if (!site.names(part.module())) {
        continue;
      }
      if (site.moduleLevel() && !site.typeCheckingOnly()) {
        return false; // still imported with the library
      }
      if (deferredTo == null) {
        deferredTo = site;
      }
    }
    if (deferredTo == null) {
      return false;
    }
    found.putIfAbsent(library.displayPath() + "\0" + part.module(), new FixedSinceProfiling(library.displayPath(),
        deferredTo.oneBasedLine(), deferredTo.ref(), part.module(), part.costUs()));
    return true;
  }

  /** The parts found deferred so far. */
  List<FixedSinceProfiling> found() {
    return new ArrayList<>(found.values());
  }
}
