package dev.coldspy.engine;

import dev.coldspy.python.FunctionDefinition;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One Python file of the application with its import statements.
 *
 * @param displayPath the path as findings show it (the command line: as the user wrote the paths; the editor:
 *     the path below the application root)
 * @param relativePath the path below the application root (a file outside it: below the project directory),
 *     '/'-separated ({@code pkg/mod.py}); matched to the paths a profile recorded, and the file of a
 *     {@link StatementRef}
 * @param moduleName the module the file defines ({@code pkg.mod}; {@code pkg} for {@code pkg/__init__.py})
 * @param imports its import statements in source order
 * @param functions its function definitions as the file reads now, in source order
 * @param otherStatements its module-level statements that are no imports, in source order, as sites naming no
 *     module: imports their calls make are charged to them
 * @param noqaLines the codes a {@code # noqa} comment silences, by 1-based line ({@code "*"}: all), for the
 *     findings that sit on a line rather than on a statement
 */
public record SourceFile(
    String displayPath, String relativePath, String moduleName, List<ImportSite> imports,
    List<FunctionDefinition> functions, List<ImportSite> otherStatements, Map<Integer, Set<String>> noqaLines) {
  public SourceFile {
    noqaLines = Map.copyOf(noqaLines);
    imports = List.copyOf(imports);
    functions = List.copyOf(functions);
    otherStatements = List.copyOf(otherStatements);
  }

  /** Whether a {@code # noqa} comment on a 1-based line silences {@code code} ({@code CS107}). */
  public boolean suppresses(int line, String code) {
    Set<String> codes = noqaLines.getOrDefault(line, Set.of());
    return codes.contains("*") || codes.contains(code);
  }

  /** The module-level statement that is no import covering a 1-based line, if any. */
  public ImportSite otherStatementAt(int line) {
    for (ImportSite site : otherStatements) {
      if (line >= site.oneBasedLine() && line <= site.oneBasedEndLine()) {
        return site;
      }
    }
    return null;
  }

  /** The statement covering a 1-based line, if any. */
  public ImportSite importAt(int line) {
    for (ImportSite site : imports) {
      if (line >= site.oneBasedLine() && line <= site.oneBasedEndLine()) {
        return site;
      }
    }
    return null;
  }

  /**
   * Where a line a profile recorded in {@code function} (a frame's qualified or plain name) calling into
   * {@code modules} is now: the file may have been edited since profiling. The function is found by name
   * (the one covering the recorded line, else the nearest); in it, the reference to a name imported from
   * those modules nearest to the recorded line, else the recorded line if the function still covers it, else
   * the function's {@code def} line. A frame of no known function keeps its recorded line.
   *
   * @param line 1-based recorded line
   * @return 1-based line in the current text
   */
  public int currentLine(String function, int line, List<String> modules) {
    FunctionDefinition best = null;
    int bestDistance = Integer.MAX_VALUE;
    String plain = function.substring(function.lastIndexOf('.') + 1);
    boolean qualified = function.contains(".");
    for (FunctionDefinition candidate : functions) {
      boolean named = qualified ? candidate.qualifiedName().equals(function) : candidate.name().equals(plain);
      if (!named) {
        continue;
      }
      int distance = distance(line - 1, candidate.firstLine(), candidate.lastLine());
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    if (best == null) {
      return line;
    }
    int nearestReference = -1;
    for (ImportSite site : imports) {
      if (site.targets().stream().noneMatch(t -> UsageIndex.under(t, modules))) {
        continue;
      }
      for (UseSite reference : site.references()) {
        int referenceLine = reference.oneBasedLine() - 1;
        if (referenceLine >= best.firstLine() && referenceLine <= best.lastLine()
            && (nearestReference < 0 || Math.abs(referenceLine + 1 - line) < Math.abs(nearestReference - line))) {
          nearestReference = referenceLine + 1;
        }
      }
    }
    if (nearestReference > 0) {
      return nearestReference;
    }
    return bestDistance == 0 ? line : best.firstLine() + 1;
  }

  private static int distance(int line, int first, int last) {
    return line < first ? first - line : Math.max(0, line - last);
  }
}
