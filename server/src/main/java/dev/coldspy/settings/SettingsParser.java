package dev.coldspy.settings;

import dev.coldspy.rules.RuleCode;
import dev.coldspy.rules.Severity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.DoubleConsumer;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Applies raw setting values (from {@code [tool.coldspy]}, an LSP client's JSON, or command-line options) on
 * top of a {@link Settings}. Every key is validated; an unknown key or a value of the wrong type or range is
 * reported as a warning naming where it came from and the key, and the previous value is kept — settings
 * problems are never fatal.
 */
public final class SettingsParser {
  private static final Pattern PYTHON_VERSION = Pattern.compile("3\\.\\d{1,2}");

  /**
   * The outcome of applying values.
   *
   * @param settings the new settings
   * @param warnings one line each, e.g. {@code "pyproject.toml:7: min-ms must be a number, found a string"}
   */
  public record Result(Settings settings, List<String> warnings) {
    public Result {
      warnings = List.copyOf(warnings);
    }
  }

  /** Sets one key on the builder, or returns why the value is not acceptable. */
  private interface KeySetter {
    Optional<String> set(Builder builder, Object value);
  }

  /** The accepted range of a number setting and how to say it. */
  private record Range(double min, boolean minInclusive, double max, String rule) {
    boolean contains(double x) {
      return (minInclusive ? x >= min : x > min) && x <= max;
    }
  }

  private static final Range NOT_NEGATIVE = new Range(0, true, Double.MAX_VALUE, "must not be negative");
  private static final Range POSITIVE = new Range(0, false, Double.MAX_VALUE, "must be above 0");
  private static final Range FRACTION = new Range(0, false, 1, "must be above 0 and at most 1");

  /** The known keys, kebab-case, sorted. */
  private static final Map<String, KeySetter> KEYS = new TreeMap<>(Map.ofEntries(
      Map.entry("profiles", (b, v) -> stringList(v, "must be a list of paths", list -> b.profiles = list)),
      Map.entry("min-ms", (b, v) -> number(v, NOT_NEGATIVE, x -> b.minMs = x)),
      Map.entry("warning-ms", (b, v) -> number(v, NOT_NEGATIVE, x -> b.warningMs = x)),
      Map.entry("error-ms", (b, v) -> number(v, NOT_NEGATIVE, x -> b.errorMs = x)),
      Map.entry("fail-on", SettingsParser::failOn),
      Map.entry("ignore-modules",
          (b, v) -> stringList(v, "must be a list of module names", list -> b.ignoredModules = list)),
      Map.entry("ignore", SettingsParser::ignoredRules),
      Map.entry("target-python", SettingsParser::targetPython),
      Map.entry("budget-ms", (b, v) -> number(v, POSITIVE, x -> b.budgetMs = x)),
      Map.entry("side-effect-modules",
          (b, v) -> stringList(v, "must be a list of module names", list -> b.sideEffectModules = list)),
      Map.entry("vendored", (b, v) -> stringList(v, "must be a list of folders or files", list -> b.vendored = list)),
      Map.entry("rarely-used-fraction", (b, v) -> number(v, FRACTION, x -> b.rarelyUsedFraction = x)),
      Map.entry("app", (b, v) -> {
        if (!(v instanceof String name) || name.isBlank()) {
          return Optional.of("must be a non-empty string");
        }
        b.app = name;
        return Optional.empty();
      })));

  private SettingsParser() {}

  /**
   * Applies {@code values} on top of {@code base}.
   *
   * @param values key → value; keys kebab-case or camelCase; values {@code String}, {@code Number},
   *     {@code Boolean} or {@code List}; a null value leaves the key as it was
   * @param origin names where the values come from in warnings, e.g. {@code "LSP settings"}
   */
  public static Result apply(Settings base, Map<String, ?> values, String origin) {
    return apply(base, values, key -> origin, null);
  }

  /**
   * Applies {@code values} on top of {@code base}.
   *
   * @param whereIsKey gives the warning prefix of a key, e.g. {@code "pyproject.toml:7"}
   * @param baseDirectory the new base directory for relative paths, or null to keep the base's
   */
  public static Result apply(Settings base, Map<String, ?> values, Function<String, String> whereIsKey,
      Path baseDirectory) {
    Builder builder = new Builder(base);
    if (baseDirectory != null) {
      builder.baseDirectory = baseDirectory;
    }
    List<String> warnings = new ArrayList<>();
    for (Map.Entry<String, ?> entry : new TreeMap<>(values).entrySet()) {
      if (entry.getValue() == null) {
        continue;
      }
      String key = kebabCase(entry.getKey());
      KeySetter setter = KEYS.get(key);
      if (setter == null) {
        warnings.add(whereIsKey.apply(entry.getKey()) + ": unknown setting '" + entry.getKey() + "' (ignored; known: "
            + String.join(", ", KEYS.keySet()) + ")");
        continue;
      }
      Optional<String> problem = setter.set(builder, entry.getValue());
      problem.ifPresent(p -> warnings.add(whereIsKey.apply(entry.getKey()) + ": '" + entry.getKey() + "' " + p
          + (p.startsWith("must") ? ", found " + describe(entry.getValue()) : "") + " (ignored)"));
    }
    if (builder.warningMs > builder.errorMs) {
      warnings.add(whereIsKey.apply("warning-ms") + ": 'warning-ms' (" + builder.warningMs + ") is above 'error-ms' ("
          + builder.errorMs + "); findings between them are errors");
    }
    return new Result(builder.build(), warnings);
  }

  private static Optional<String> number(Object value, Range range, DoubleConsumer set) {
    if (!(value instanceof Number number) || Double.isNaN(number.doubleValue())) {
      return Optional.of("must be a number");
    }
    if (!range.contains(number.doubleValue())) {
      return Optional.of(range.rule());
    }
    set.accept(number.doubleValue());
    return Optional.empty();
  }

  private static Optional<String> stringList(Object value, String rule, Consumer<List<String>> set) {
    Optional<List<String>> list = strings(value);
    list.ifPresent(set);
    return list.isPresent() ? Optional.empty() : Optional.of(rule);
  }

  private static Optional<List<String>> strings(Object value) {
    if (value instanceof String single) {
      return Optional.of(List.of(single));
    }
    if (!(value instanceof List<?> list)) {
      return Optional.empty();
    }
    List<String> strings = new ArrayList<>();
    for (Object item : list) {
      if (!(item instanceof String s)) {
        return Optional.empty();
      }
      strings.add(s);
    }
    return Optional.of(strings);
  }

  private static Optional<String> failOn(Builder builder, Object value) {
    if (value instanceof String name) {
      for (Severity severity : Severity.values()) {
        if (severity.name().equalsIgnoreCase(name)) {
          builder.failOn = severity;
          return Optional.empty();
        }
      }
    }
    return Optional.of("must be one of error, warning, info, hint");
  }

  private static Optional<String> ignoredRules(Builder builder, Object value) {
    Optional<List<String>> codes = strings(value);
    if (codes.isEmpty()) {
      return Optional.of("must be a list of rule codes such as \"CS105\"");
    }
    Set<RuleCode> rules = EnumSet.noneOf(RuleCode.class);
    for (String code : codes.get()) {
      Optional<RuleCode> rule = RuleCode.fromCode(code);
      if (rule.isEmpty()) {
        return Optional.of("names an unknown rule code '" + code + "'");
      }
      rules.add(rule.get());
    }
    builder.ignoredRules = rules;
    return Optional.empty();
  }

  private static Optional<String> targetPython(Builder builder, Object value) {
    if (!(value instanceof String version) || !PYTHON_VERSION.matcher(version).matches()) {
      return Optional.of("must be a Python version such as \"3.11\"");
    }
    builder.targetPython = version;
    return Optional.empty();
  }

  /** {@code minMs} → {@code min-ms}; kebab-case stays as it is. */
  static String kebabCase(String key) {
    StringBuilder out = new StringBuilder(key.length() + 4);
    for (char c : key.toCharArray()) {
      if (Character.isUpperCase(c)) {
        out.append('-').append(Character.toLowerCase(c));
      } else {
        out.append(c == '_' ? '-' : c);
      }
    }
    return out.toString().toLowerCase(Locale.ROOT);
  }

  private static String describe(Object value) {
    if (value instanceof String s) {
      return "a string (\"" + s + "\")";
    }
    if (value instanceof Boolean) {
      return "a boolean";
    }
    if (value instanceof Number n) {
      return "the number " + n;
    }
    if (value instanceof List<?>) {
      return "a list";
    }
    if (value instanceof Map<?, ?>) {
      return "a table";
    }
    return "a " + value.getClass().getSimpleName();
  }

  /** Mutable twin of {@link Settings} used only while applying values. */
  private static final class Builder {
    List<String> profiles;
    double minMs;
    double warningMs;
    double errorMs;
    Severity failOn;
    List<String> ignoredModules;
    Set<RuleCode> ignoredRules;
    String targetPython;
    Double budgetMs;
    double rarelyUsedFraction;
    String app;
    Path baseDirectory;
    List<String> sideEffectModules;
    List<String> vendored;

    Builder(Settings s) {
      profiles = s.profiles();
      minMs = s.minMs();
      warningMs = s.warningMs();
      errorMs = s.errorMs();
      failOn = s.failOn();
      ignoredModules = s.ignoredModules();
      ignoredRules = s.ignoredRules();
      targetPython = s.targetPython();
      budgetMs = s.budgetMs();
      rarelyUsedFraction = s.rarelyUsedFraction();
      app = s.app();
      baseDirectory = s.baseDirectory();
      sideEffectModules = s.sideEffectModules();
      vendored = s.vendored();
    }

    Settings build() {
      return new Settings(profiles, minMs, warningMs, errorMs, failOn, ignoredModules, ignoredRules, targetPython,
          budgetMs, rarelyUsedFraction, app, baseDirectory, sideEffectModules, vendored);
    }
  }
}
