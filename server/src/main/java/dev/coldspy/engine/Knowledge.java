package dev.coldspy.engine;

import dev.coldspy.rules.RuleCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/**
 * The knowledge file: which libraries serve features a serverless function does not need, which have lighter
 * replacements, and which optional dependencies a library imports whenever they are installed (see the
 * documented {@code knowledge.toml} next to this class). Immutable.
 */
public final class Knowledge {
  static final String BUNDLED = "knowledge.toml";
  private static final Pattern MODULE_NAME =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");

  private final List<LibraryEntry> entries;

  private Knowledge(List<LibraryEntry> entries) {
    this.entries = List.copyOf(entries);
  }

  /** The knowledge file shipped with ColdSpy. */
  public static Knowledge bundled() {
    try (InputStream in = Knowledge.class.getResourceAsStream(BUNDLED)) {
      if (in == null) {
        throw new IllegalStateException("the bundled " + BUNDLED + " is missing from the jar");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), BUNDLED);
    } catch (IOException | KnowledgeException e) {
      // The bundled file is validated by the tests; failing here means a broken build.
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** Reads a user-supplied knowledge file. */
  public static Knowledge load(Path file) throws KnowledgeException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new KnowledgeException(file + ": cannot read knowledge file: " + e.getMessage());
    }
    return parse(text, file.toString());
  }

  /**
   * Parses and validates knowledge text; {@code origin} names the file in error messages.
   *
   * @throws KnowledgeException naming the file, the entry and the problem
   */
  public static Knowledge parse(String text, String origin) throws KnowledgeException {
    TomlParseResult toml = Toml.parse(text);
    if (toml.hasErrors()) {
      var error = toml.errors().get(0);
      throw new KnowledgeException(
          origin + ":" + error.position().line() + ": not valid TOML: " + error.getMessage());
    }
    Long schema = toml.getLong("schema");
    if (schema == null || schema != 1) {
      throw new KnowledgeException(origin + ": 'schema' must be 1 (found " + toml.get("schema") + ")");
    }
    TomlArray libraries = toml.getArray("library");
    if (libraries == null || libraries.isEmpty()) {
      throw new KnowledgeException(origin + ": no [[library]] entries");
    }
    List<LibraryEntry> entries = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < libraries.size(); i++) {
      LibraryEntry entry = entry(libraries.getTable(i), origin, i + 1);
      if (!seen.add(entry.subject())) {
        throw new KnowledgeException(
            origin + ": library entry " + (i + 1) + ": module '" + entry.module() + "'"
                + (entry.importedBy() == null ? "" : " imported by '" + entry.importedBy() + "'") + " is listed twice");
      }
      entries.add(entry);
    }
    return new Knowledge(entries);
  }

  private static LibraryEntry entry(TomlTable table, String origin, int number)
      throws KnowledgeException {
    String where = origin + ": library entry " + number;
    String module = required(table, "module", where);
    if (!MODULE_NAME.matcher(module).matches()) {
      throw new KnowledgeException(where + ": 'module' is not a module name: '" + module + "'");
    }
    where = where + " (" + module + ")";
    String patternSlug = required(table, "pattern", where);
    RuleCode rule;
    String what;
    LibraryEntry.Applies applies;
    String importedBy = null;
    if (patternSlug.equals(RuleCode.UNUSED_PART.slug())) {
      // an optional dependency of one library: holds only where that library imports it and it never ran
      rule = RuleCode.UNUSED_PART;
      importedBy = required(table, "importedBy", where);
      if (!MODULE_NAME.matcher(importedBy).matches()) {
        throw new KnowledgeException(where + ": 'importedBy' is not a module name: '" + importedBy + "'");
      }
      what = required(table, "feature", where);
      applies = LibraryEntry.Applies.ALWAYS;
    } else if (patternSlug.equals(RuleCode.FEATURE_REDUNDANCY.slug())) {
      rule = RuleCode.FEATURE_REDUNDANCY;
      what = required(table, "feature", where);
      applies = LibraryEntry.Applies.ALWAYS;
    } else if (patternSlug.equals(RuleCode.LIBRARY_CHOICE.slug())) {
      rule = RuleCode.LIBRARY_CHOICE;
      what = required(table, "replacement", where);
      String appliesText = required(table, "applies", where);
      applies =
          switch (appliesText) {
            case "always" -> LibraryEntry.Applies.ALWAYS;
            case "light-use" -> LibraryEntry.Applies.LIGHT_USE;
            default -> throw new KnowledgeException(
                where + ": 'applies' must be \"always\" or \"light-use\", not '" + appliesText + "'");
          };
    } else {
      throw new KnowledgeException(
          where
              + ": 'pattern' must be \"feature-redundancy\", \"library-choice\" or \"unused-library-part\", not '"
              + patternSlug
              + "'");
    }
    String advice = required(table, "advice", where);
    List<String> sources = strings(table, "sources", where);
    if (sources.isEmpty()) {
      throw new KnowledgeException(where + ": 'sources' must name at least one source");
    }
    List<Rewrite> rewrites = new ArrayList<>();
    TomlArray rewriteArray = table.getArray("rewrite");
    if (rewriteArray != null) {
      for (int r = 0; r < rewriteArray.size(); r++) {
        rewrites.add(rewrite(rewriteArray.getTable(r), module, where + ", rewrite " + (r + 1)));
      }
    }
    if (importedBy != null && !rewrites.isEmpty()) {
      throw new KnowledgeException(where + ": an \"unused-library-part\" entry has no rewrites: the app's code"
          + " does not import the part");
    }
    return new LibraryEntry(module, importedBy, rule, what, applies, advice, sources, rewrites);
  }

  private static Rewrite rewrite(TomlTable table, String module, String where)
      throws KnowledgeException {
    String kind = required(table, "kind", where);
    Optional<PythonVersion> minPython = Optional.empty();
    String minText = optional(table, "minPython", where);
    if (minText != null) {
      try {
        minPython = Optional.of(PythonVersion.parse(minText));
      } catch (IllegalArgumentException e) {
        throw new KnowledgeException(where + ": 'minPython' " + e.getMessage());
      }
    }
    Optional<String> caveat = Optional.ofNullable(optional(table, "caveat", where));
    switch (kind) {
      case "module" -> {
        String to = required(table, "to", where);
        if (!MODULE_NAME.matcher(to).matches()) {
          throw new KnowledgeException(where + ": 'to' is not a module name: '" + to + "'");
        }
        return new Rewrite(Rewrite.Kind.MODULE, to, "", "", List.of(), minPython, caveat);
      }
      case "expression" -> {
        String match = required(table, "match", where);
        String replace = required(table, "replace", where);
        if (!match.startsWith(module + ".")) {
          throw new KnowledgeException(
              where + ": 'match' must start with the library's qualified name '" + module + ".'");
        }
        Set<String> matchNames = placeholders(match);
        Set<String> replaceNames = placeholders(replace);
        if (!matchNames.containsAll(replaceNames)) {
          replaceNames.removeAll(matchNames);
          throw new KnowledgeException(
              where + ": 'replace' uses placeholders that 'match' does not bind: " + replaceNames);
        }
        List<String> imports = strings(table, "imports", where);
        for (String imported : imports) {
          if (!MODULE_NAME.matcher(imported).matches()) {
            throw new KnowledgeException(where + ": 'imports' holds a non-module '" + imported + "'");
          }
        }
        return new Rewrite(Rewrite.Kind.EXPRESSION, "", match, replace, imports, minPython, caveat);
      }
      default -> throw new KnowledgeException(
          where + ": 'kind' must be \"module\" or \"expression\", not '" + kind + "'");
    }
  }

  private static Set<String> placeholders(String expression) {
    Set<String> names = new HashSet<>();
    Matcher m = PLACEHOLDER.matcher(expression);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  private static String required(TomlTable table, String key, String where)
      throws KnowledgeException {
    String value = optional(table, key, where);
    if (value == null || value.isBlank()) {
      throw new KnowledgeException(where + ": '" + key + "' is required");
    }
    return value;
  }

  private static String optional(TomlTable table, String key, String where)
      throws KnowledgeException {
    Object value = table.get(key);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text)) {
      throw new KnowledgeException(where + ": '" + key + "' must be a string");
    }
    return text;
  }

  private static List<String> strings(TomlTable table, String key, String where)
      throws KnowledgeException {
    Object value = table.get(key);
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof TomlArray array)) {
      throw new KnowledgeException(where + ": '" + key + "' must be an array of strings");
    }
    List<String> result = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      if (!(array.get(i) instanceof String text)) {
        throw new KnowledgeException(where + ": '" + key + "' must be an array of strings");
      }
      result.add(text);
    }
    return result;
  }

  /** Every entry, in file order. */
  public List<LibraryEntry> entries() {
    return entries;
  }

  /**
   * The most specific library entry (feature redundancy or library choice) covering {@code moduleName} (the
   * longest matching module), if any. Optional-dependency entries hold only below the library that imports the
   * module: {@link #optionalDependencyFor}.
   */
  public Optional<LibraryEntry> entryFor(String moduleName) {
    return mostSpecific(moduleName, null);
  }

  /**
   * The most specific optional-dependency entry ({@code unused-library-part}) for {@code moduleName} imported by
   * the library module {@code importer} ({@code cryptography} imported by {@code pypdf._crypt_providers}), if
   * any.
   */
  public Optional<LibraryEntry> optionalDependencyFor(String moduleName, String importer) {
    return mostSpecific(moduleName, importer);
  }

  /** @param importer null for library entries, else the importing module an optional-dependency entry needs */
  private Optional<LibraryEntry> mostSpecific(String moduleName, String importer) {
    LibraryEntry best = null;
    for (LibraryEntry entry : entries) {
      boolean kind = importer == null ? entry.importedBy() == null
          : entry.importedBy() != null && LibraryEntry.isWithin(importer, entry.importedBy());
      if (kind && entry.covers(moduleName) && (best == null || entry.module().length() > best.module().length())) {
        best = entry;
      }
    }
    return Optional.ofNullable(best);
  }
}
