package dev.coldspy.fix;

import dev.coldspy.python.ImportKind;
import dev.coldspy.python.ImportStatement;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The sections isort and ruff's default profile split a file's imports into, in their order. Third-party and
 * first-party imports are one section here: which is which depends on the project's layout, so a new import
 * of either kind joins a block that already imports its package, else the first block of the two.
 */
enum ImportSection {
  FUTURE,
  STANDARD_LIBRARY,
  THIRD_OR_FIRST_PARTY,
  RELATIVE;

  private static final Set<String> STANDARD_LIBRARY_MODULES = readStandardLibrary();

  static ImportSection of(ImportStatement statement) {
    if (statement.kind() == ImportKind.FUTURE) {
      return FUTURE;
    }
    return statement.relativeLevel() > 0 ? RELATIVE : ofModule(writtenModule(statement));
  }

  /** The section of a module written as in an import statement ({@code .sibling}, {@code os.path}). */
  static ImportSection ofModule(String module) {
    if (module.startsWith(".")) {
      return RELATIVE;
    }
    String topLevel = topLevel(module);
    if (topLevel.equals("__future__")) {
      return FUTURE;
    }
    return STANDARD_LIBRARY_MODULES.contains(topLevel) ? STANDARD_LIBRARY : THIRD_OR_FIRST_PARTY;
  }

  /** The module a statement names first: {@code os.path} of {@code import os.path, sys}, {@code m} of {@code from m import n}. */
  static String writtenModule(ImportStatement statement) {
    if (statement.kind() == ImportKind.IMPORT) {
      return statement.names().isEmpty() ? "" : statement.names().get(0).written();
    }
    return statement.writtenModule() == null ? "" : statement.writtenModule();
  }

  static String topLevel(String module) {
    int dot = module.indexOf('.');
    return dot < 0 ? module : module.substring(0, dot);
  }

  /**
   * How isort and ruff order statements within a section by default: plain imports before from-imports, then
   * by module name ignoring case.
   */
  static String sortKey(boolean fromImport, String module) {
    return (fromImport ? "1 " : "0 ") + module.toLowerCase(Locale.ROOT);
  }

  private static Set<String> readStandardLibrary() {
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(
                ImportSection.class.getResourceAsStream("stdlib-modules.txt"), StandardCharsets.UTF_8))) {
      return reader.lines()
          .map(String::strip)
          .filter(line -> !line.isEmpty() && !line.startsWith("#"))
          .collect(Collectors.toUnmodifiableSet());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the bundled stdlib-modules.txt", e);
    }
  }
}
