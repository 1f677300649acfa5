package dev.coldspy.fix;

import dev.coldspy.python.ImportedName;
import dev.coldspy.python.NameReference;
import java.util.List;
import java.util.Optional;

/**
 * Remove: delete names nothing refers to. Not for imports kept for what importing does — the rule:
 *
 * <ul>
 *   <li>a module on the side-effect list ({@link FixOptions#sideEffectModules()}: {@code readline},
 *       {@code ddtrace.auto}, ..., plus the project's {@code side-effect-modules});
 *   <li>a module of the project whose top level does more than define names ({@link FixOptions#firstPartyEffects()});
 *   <li>{@code import a.b} without alias whose {@code a} is unused: the statement exists to load the submodule,
 *       which typically registers something ({@code import hvplot.pandas}, {@code import encodings.idna});
 *   <li>any import in a package's {@code __init__.py}: it defines the package's public names;
 *   <li>a module that reads its own namespace dynamically ({@code globals()}, {@code eval}): any name may be
 *       used;
 *   <li>a {@code try/except ImportError} fallback: only the whole construct could go;
 *   <li>a later module-level star import: it may rebind the name;
 *   <li>another module of the project uses the name through this module ({@link ProjectUses});
 *   <li>an installed module whose source acts when imported ({@link ModuleEffects}).
 * </ul>
 *
 * Every static reference counts as a use: code, annotations of every kind, {@code __all__} entries.
 */
final class RemoveFix {
  private RemoveFix() {}

  static FixPlan plan(Target target) {
    if (target.statement.star()) {
      return target.refuse("a star import binds names no one can list statically: ColdSpy cannot tell they are unused");
    }
    if (target.module.identity().packageInit()) {
      return target.refuse("imports in a package's `__init__.py` define what the package exports");
    }
    if (target.statement.context().importErrorFallback()) {
      return target.refuse(
          "part of a `try/except ImportError` fallback (line " + target.statement.profileLine()
              + "): remove the whole construct by hand if it is not needed");
    }
    Optional<String> sideEffect = target.sideEffectRefusal(" the program may rely on");
    if (sideEffect.isPresent()) {
      return target.refuse(sideEffect.get());
    }
    for (String loaded : target.statement.modulesLoadedOrMaybe()) {
      Optional<Integer> effect = target.options.firstPartyEffect(loaded);
      if (effect.isPresent()) {
        return target.refuse("importing the project's module `" + loaded + "` runs code (its line "
            + effect.get() + " does more than define names) the program may rely on");
      }
    }
    Optional<String> refusal = target.dynamicNamespaceRefusal(", so an apparently unused name may still be used")
        .or(target::laterStarImportRefusal)
        .or(target::crossModuleRefusal);
    if (refusal.isPresent()) {
      return target.refuse(refusal.get());
    }
    for (ImportedName name : target.names) {
      List<NameReference> references = target.references(name);
      if (!references.isEmpty()) {
        return target.refuse(
            target.quoted(name) + " is used at " + target.edits.where(references.get(0).span())
                + (references.size() > 1 ? " and " + (references.size() - 1) + " more place(s)" : ""));
      }
      if (Target.isSubmoduleImport(target.statement, name)) {
        return target.refuse(
            "`import " + name.written() + "` is kept for loading the submodule `" + name.written()
                + "`, which may register plugins or accessors; remove it by hand if it does not");
      }
    }
    return target.safe(
        "Remove unused import " + target.names(), target.edits.removeNamesClosingTheGap(target.statement, target.names));
  }
}
