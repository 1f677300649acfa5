package dev.coldspy.fix;

import dev.coldspy.engine.Knowledge;
import dev.coldspy.engine.PythonVersion;
import dev.coldspy.python.PythonModule;
import dev.coldspy.text.Span;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the fix planner may assume about the project.
 *
 * @param targetPython the Python version the code deploys to (PEP 810 needs 3.15+; rewrites have minimums)
 * @param sideEffectModules modules imported for what importing them does (registering codecs, plugins,
 *     patching), which must not be removed or deferred; a module listed covers its submodules
 * @param knowledge the knowledge file: its {@code [[library.rewrite]]} entries drive
 *     {@link dev.coldspy.rules.FixKind#REPLACE}, its advice explains refusals
 * @param firstPartyEffects the project's own modules whose top level does more than define things, with the
 *     1-based line where it first does: an import of one is not removed even when its names are unused
 * @param projectUses what the project's modules do with each other's names (whole-program safety)
 * @param moduleEffects modules whose source acts on the world when imported: installed (third-party) ones, and the
 *     project's own with the project modules their top level imports
 */
public record FixOptions(
    PythonVersion targetPython, Set<String> sideEffectModules, Knowledge knowledge,
    Map<String, Integer> firstPartyEffects, ProjectUses projectUses, ModuleEffects moduleEffects) {
  /**
   * Modules whose import is the point: stdlib modules that change the interpreter when imported and
   * well-known auto-instrumentation entry points. Projects add their own with {@code side-effect-modules}.
   */
  public static final Set<String> DEFAULT_SIDE_EFFECT_MODULES =
      Set.of(
          "readline",
          "rlcompleter",
          "site",
          "sitecustomize",
          "usercustomize",
          "antigravity",
          "this",
          "encodings",
          "faulthandler",
          "tracemalloc",
          "ddtrace.auto",
          "opentelemetry.instrumentation.auto_instrumentation",
          "gevent.monkey");

  public FixOptions {
    sideEffectModules = Set.copyOf(sideEffectModules);
    firstPartyEffects = Map.copyOf(firstPartyEffects);
  }

  public FixOptions(PythonVersion targetPython, Set<String> sideEffectModules, Knowledge knowledge) {
    this(targetPython, sideEffectModules, knowledge, Map.of(), ProjectUses.NONE, ModuleEffects.NONE);
  }

  /** The default target Python, the default side-effect list, the bundled knowledge. */
  public static FixOptions defaults() {
    return new FixOptions(PythonVersion.DEFAULT_TARGET, DEFAULT_SIDE_EFFECT_MODULES, Knowledge.bundled());
  }

  public FixOptions withTargetPython(PythonVersion version) {
    return new FixOptions(version, sideEffectModules, knowledge, firstPartyEffects, projectUses, moduleEffects);
  }

  public FixOptions withKnowledge(Knowledge newKnowledge) {
    return new FixOptions(targetPython, sideEffectModules, newKnowledge, firstPartyEffects, projectUses,
        moduleEffects);
  }

  /**
   * These options for a project: the built-in side-effect modules plus the configured ones
   * ({@code side-effect-modules}), and which of the project's modules act when imported.
   *
   * @param projectModules the project's parsed files by module name ({@code pkg.mod})
   */
  public FixOptions forProject(Collection<String> configuredSideEffectModules,
      Map<String, PythonModule> projectModules) {
    return forProject(configuredSideEffectModules, projectModules, Set.of(), Map.of());
  }

  /**
   * {@link #forProject(Collection, Map)}, knowing which of its modules are vendored libraries and where installed modules' sources are (from the profiles:
   * the agent records each module's file), so that a third-party import kept for what importing it does is
   * recognised from its source.
   *
   * @param vendoredModules the project's modules that are vendored libraries
   * @param installedSources modules outside the project by name, and their source files
   */
  public FixOptions forProject(Collection<String> configuredSideEffectModules,
      Map<String, PythonModule> projectModules, Set<String> vendoredModules, Map<String, Path> installedSources) {
    Set<String> modules = new HashSet<>(sideEffectModules);
    modules.addAll(configuredSideEffectModules);
    Map<String, Integer> effects = new TreeMap<>();
    projectModules.forEach((name, module) -> {
      Span effect = module.topLevelEffect();
      if (effect != null) {
        effects.put(name, module.text().lineOfOffset(effect.start()) + 1);
      }
    });
    Map<String, Path> installed = new TreeMap<>(installedSources);
    installed.keySet().removeAll(projectModules.keySet());
    return new FixOptions(targetPython, modules, knowledge, effects, ProjectUses.of(projectModules),
        new ModuleEffects(installed, projectModules, vendoredModules));
  }

  /** Whether importing {@code module} (or a parent package listed) is known to have side effects. */
  public boolean hasSideEffects(String module) {
    for (String listed : sideEffectModules) {
      if (module.equals(listed) || module.startsWith(listed + ".")) {
        return true;
      }
    }
    return false;
  }

  /** The line where a first-party module's top level first acts, if {@code module} is one that does. */
  public Optional<Integer> firstPartyEffect(String module) {
    return Optional.ofNullable(firstPartyEffects.get(module));
  }
}
