package dev.coldspy.settings;

import dev.coldspy.rules.RuleCode;
import dev.coldspy.rules.Severity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * ColdSpy's settings, immutable: one instance per request (LSP) or run (CLI). Defaults come from
 * {@link #DEFAULTS}; {@code [tool.coldspy]} in {@code pyproject.toml} ({@link SettingsLoader}) and overrides
 * from the command line or an LSP client ({@link SettingsParser#apply}) give new instances.
 *
 * <p>The keys of {@code [tool.coldspy]} are the kebab-case names below (camelCase is accepted too, as LSP
 * clients send it):
 * <pre>
 * [tool.coldspy]
 * profiles = [".coldspy/profiles/"]   # profile files or directories, relative to pyproject.toml
 * min-ms = 1.0                         # findings saving less are borderline; below min-ms / 2.5 not reported
 * warning-ms = 20.0                    # a saving of at least this is a warning (below it: information)
 * error-ms = 500.0                     # opt-in: a saving of at least this is an error (unset: never an error)
 * fail-on = "warning"                  # lowest severity that makes `check` exit 1: error, warning, info, hint
 * ignore-modules = ["boto3"]           # never report these modules (and their submodules)
 * ignore = ["CS105"]                   # rule codes never reported
 * target-python = "3.11"               # decides e.g. whether PEP 810 `lazy import` (3.15+) is offered
 * budget-ms = 300                      # median init time per handler: above it `check` exits 1 and says so
 * rarely-used-fraction = 0.5           # used in fewer than this fraction of cold starts = rarely used
 * app = "orders"                       # which app's profiles to use when a directory holds several
 * side-effect-modules = ["myapp.plugins"]  # imported for what importing does: never removed or deferred
 * vendored = ["vendor/"]              # library code inside the function's folder (besides what *.dist-info marks)
 * </pre>
 *
 * @param profiles profile files or directories (relative ones are resolved against {@link #baseDirectory})
 * @param minMs estimated saving per cold start, in milliseconds, below which a finding is borderline (below
 *     minMs / 2.5 it is not reported)
 * @param warningMs saving from which a finding is a warning
 * @param errorMs saving from which a finding is an error; infinite unless configured (a performance hint is
 *     a warning at most by default)
 * @param failOn lowest severity that makes {@code check} exit with status 1
 * @param ignoredModules module names never reported, each covering its submodules
 * @param ignoredRules rule codes never reported
 * @param targetPython target Python version {@code "3.N"}, or null to use the profile's
 * @param budgetMs budget for the handler's median init time in milliseconds, or null for none; exceeding it
 *     makes {@code check} exit 1 and is reported in every output format
 * @param rarelyUsedFraction a module used in fewer than this fraction of cold starts is rarely used
 * @param app the app whose profiles to use, or null for the app most profiles belong to
 * @param baseDirectory the directory relative paths are resolved against (the pyproject.toml's), or null for
 *     the working directory
 * @param sideEffectModules modules imported for their side effects (each covering its submodules), added to
 *     the fix engine's built-in list: fixes never remove or defer them
 * @param vendored folders or files of library code shipped inside the function's folder (relative ones are
 *     resolved against {@link #baseDirectory}), besides the distributions their {@code *.dist-info} or
 *     {@code *.egg-info} metadata marks: library code, whose own import lines are not reported
 */
public record Settings(
    List<String> profiles,
    double minMs,
    double warningMs,
    double errorMs,
    Severity failOn,
    List<String> ignoredModules,
    Set<RuleCode> ignoredRules,
    String targetPython,
    Double budgetMs,
    double rarelyUsedFraction,
    String app,
    Path baseDirectory,
    List<String> sideEffectModules,
    List<String> vendored) {

  /** The settings when nothing is configured. */
  public static final Settings DEFAULTS = new Settings(List.of(".coldspy/profiles/"), 1.0, 20.0,
      Double.POSITIVE_INFINITY, Severity.WARNING, List.of(), Set.of(), null, null, 0.5, null, null, List.of(),
      List.of());

  public Settings {
    profiles = List.copyOf(profiles);
    Objects.requireNonNull(failOn, "failOn");
    ignoredModules = List.copyOf(ignoredModules);
    sideEffectModules = List.copyOf(sideEffectModules);
    vendored = List.copyOf(vendored);
    ignoredRules = ignoredRules.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(ignoredRules));
  }

  /** The profile locations as paths, relative ones resolved against the base directory. */
  public List<Path> profilePaths() {
    return resolved(profiles);
  }

  /** The vendored folders and files as paths, relative ones resolved against the base directory. */
  public List<Path> vendoredPaths() {
    return resolved(vendored);
  }

  private List<Path> resolved(List<String> locations) {
    List<Path> paths = new ArrayList<>(locations.size());
    for (String location : locations) {
      Path path = Path.of(location);
      paths.add(baseDirectory == null || path.isAbsolute() ? path : baseDirectory.resolve(path));
    }
    return paths;
  }

  /** The severity of a finding that saves {@code savingMs} per cold start. */
  public Severity severityFor(double savingMs) {
    if (savingMs >= errorMs) {
      return Severity.ERROR;
    }
    return savingMs >= warningMs ? Severity.WARNING : Severity.INFO;
  }

  /** True when {@code severity} is at or above {@link #failOn} (ERROR is the highest). */
  public boolean failsCheck(Severity severity) {
    return severity.ordinal() <= failOn.ordinal();
  }

  /** True when the module or one of its parent packages is ignored. */
  public boolean isIgnoredModule(String module) {
    for (String ignored : ignoredModules) {
      if (module.equals(ignored) || module.startsWith(ignored + ".")) {
        return true;
      }
    }
    return false;
  }

  /** True when findings of {@code rule} are not reported. */
  public boolean isIgnoredRule(RuleCode rule) {
    return ignoredRules.contains(rule);
  }
}
