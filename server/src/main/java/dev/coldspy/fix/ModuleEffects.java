package dev.coldspy.fix;

import dev.coldspy.python.ImportStatement;
import dev.coldspy.python.ModuleIdentity;
import dev.coldspy.python.PythonModule;
import dev.coldspy.text.Span;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which modules act on the world when imported — register a codec, set an environment variable, patch another
 * module, configure logging ({@link PythonModule#outwardEffect()}): installed (third-party) ones read from their
 * source files where the profiles recorded them, the project's own from their parsed text. An import of such a
 * module may be there for that alone, so it is neither removed nor deferred. Each installed source is read and
 * parsed once, when a fix first asks; a file that cannot be read (a profile recorded elsewhere, e.g. in Lambda)
 * tells nothing. Thread-safe.
 */
final class ModuleEffects {
  static final ModuleEffects NONE = new ModuleEffects(Map.of(), Map.of(), Set.of());
  /** Larger sources are not parsed (generated tables, vendored bundles): no verdict rather than a slow one. */
  private static final long MAX_SOURCE_BYTES = 2_000_000;

  private final Map<String, Path> sources;
  private final Map<String, PythonModule> project;
  private final Set<String> vendored;
  private final Map<String, Optional<String>> effects = new ConcurrentHashMap<>();

  /**
   * @param installedSources modules outside the project by name, and their source files
   * @param project the project's modules by name, parsed
   * @param vendored those of them that are libraries shipped in the function's folder: judged as installed ones
   *     are, by their own top level
   */
  ModuleEffects(Map<String, Path> installedSources, Map<String, PythonModule> project, Set<String> vendored) {
    this.sources = Map.copyOf(installedSources);
    this.project = Map.copyOf(project);
    this.vendored = Set.copyOf(vendored);
  }

  /** Where importing {@code module} acts, for messages ("`rot13x/__init__.py` line 15: `codecs.register(...)`"). */
  Optional<String> effect(String module) {
    if (project.containsKey(module)) {
      return effects.computeIfAbsent(module, name -> projectEffect(name, new HashSet<>(Set.of(name))));
    }
    Path source = sources.get(module);
    if (source == null) {
      return Optional.empty();
    }
    return effects.computeIfAbsent(module, name -> read(name, source));
  }

  private static Optional<String> read(String name, Path source) {
    try {
      if (!Files.isRegularFile(source) || Files.size(source) > MAX_SOURCE_BYTES) {
        return Optional.empty();
      }
      PythonModule module = PythonModule.parse(Files.readString(source, StandardCharsets.UTF_8),
          new ModuleIdentity(name, source.getFileName().toString().equals("__init__.py")));
      return describe(module, source.getFileName().toString());
    } catch (IOException unreadable) {
      return Optional.empty();
    }
  }

  /**
   * Where a project module's top level acts, or, for the app's own code, that of an app module its top level
   * imports (on down): deferring {@code import schemas} defers the {@code import models} at schemas.py's top, and
   * what models.py does when imported. A library's module, installed or vendored, is judged by its own top level
   * (matplotlib configured by a drawing submodule of the library is the library's business).
   */
  private Optional<String> projectEffect(String name, Set<String> seen) {
    PythonModule module = project.get(name);
    Optional<String> own = describe(module, module.identity().packageInit() ? "__init__.py"
        : name.substring(name.lastIndexOf('.') + 1) + ".py");
    if (own.isPresent() || vendored.contains(name)) {
      return own;
    }
    for (ImportStatement statement : module.imports().moduleLevel()) {
      if (statement.context().typeCheckingOnly()) {
        continue;
      }
      for (String loaded : statement.modulesLoadedOrMaybe()) {
        if (project.containsKey(loaded) && !vendored.contains(loaded) && seen.add(loaded)) {
          Optional<String> below = projectEffect(loaded, seen);
          if (below.isPresent()) {
            return Optional.of("`" + loaded + "`, which it imports: " + below.get());
          }
        }
      }
    }
    return Optional.empty();
  }

  /** Where the module's top level acts, if it does: "`rot13x/__init__.py` line 15: `codecs.register(...)`". */
  private static Optional<String> describe(PythonModule module, String fileName) {
    Span effect = module.outwardEffect();
    if (effect == null) {
      return Optional.empty();
    }
    String statement = module.text().slice(effect).strip().lines().findFirst().orElse("");
    return Optional.of("`" + fileName + "` line " + (module.text().lineOfOffset(effect.start()) + 1)
        + ": `" + (statement.length() > 60 ? statement.substring(0, 57) + "..." : statement) + "`");
  }
}
