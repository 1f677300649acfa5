package dev.coldspy.engine;

import java.util.List;

/**
 * One Python file of the application with its import statements.
 *
 * @param displayPath the path as shown to the user (relative to where the command ran, or the document URI's
 *     path); findings carry it
 * @param relativePath the path relative to the application root with '/' separators ({@code pkg/mod.py}),
 *     used to match the paths a profile recorded
 * @param moduleName the module the file defines ({@code pkg.mod}; {@code pkg} for {@code pkg/__init__.py})
 * @param imports its import statements in source order
 */
public record SourceFile(
    String displayPath, String relativePath, String moduleName, List<ImportSite> imports) {
  public SourceFile {
    imports = List.copyOf(imports);
  }

  /** The statement covering a 1-based line, if any. */
  public ImportSite importAt(int line) {
    for (ImportSite site : imports) {
      if (line >= site.line() && line <= site.endLine()) {
        return site;
      }
    }
    return null;
  }
}
