package dev.coldspy.settings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * Finds and reads {@code [tool.coldspy]} in {@code pyproject.toml}: the nearest {@code pyproject.toml} with
 * a {@code [tool.coldspy]} table, walking up from the checked file or directory (as ruff does). Without one,
 * the defaults apply, relative to the nearest {@code pyproject.toml}'s directory (the project root) or else
 * the checked directory. A broken file gives warnings and the defaults, never an error.
 */
public final class SettingsLoader {
  private static final String PYPROJECT = "pyproject.toml";

  private SettingsLoader() {}

  /**
   * Loaded settings.
   *
   * @param settings the settings to use
   * @param file the pyproject.toml they were read from, if any
   * @param warnings problems met, each naming the file (and line) and the key
   */
  public record Loaded(Settings settings, Optional<Path> file, List<String> warnings) {
    public Loaded {
      warnings = List.copyOf(warnings);
    }
  }

  /** Settings for {@code checkedPath} (a file or directory). */
  public static Loaded forPath(Path checkedPath) {
    Path start = checkedPath.toAbsolutePath().normalize();
    Path dir = Files.isDirectory(start) ? start : start.getParent();
    Path projectRoot = null;
    for (Path d = dir; d != null; d = d.getParent()) {
      Path candidate = d.resolve(PYPROJECT);
      if (!Files.isRegularFile(candidate)) {
        continue;
      }
      projectRoot = projectRoot != null ? projectRoot : d;
      Loaded loaded = fromFile(candidate);
      if (loaded.file().isPresent() || !loaded.warnings().isEmpty()) {
        return loaded;
      }
    }
    return new Loaded(defaultsIn(projectRoot != null ? projectRoot : dir), Optional.empty(), List.of());
  }

  /**
   * Reads {@code [tool.coldspy]} of one pyproject.toml. {@link Loaded#file()} is empty when the file has no such
   * table; syntax errors give warnings and the defaults.
   */
  public static Loaded fromFile(Path pyproject) {
    Path base = pyproject.toAbsolutePath().normalize().getParent();
    Settings defaults = defaultsIn(base);
    TomlParseResult toml;
    try {
      toml = Toml.parse(pyproject);
    } catch (IOException e) {
      return new Loaded(defaults, Optional.empty(), List.of(pyproject + ": cannot read: " + e.getMessage()
          + "; using default settings"));
    }
    if (toml.hasErrors()) {
      TomlParseError error = toml.errors().get(0);
      return new Loaded(defaults, Optional.empty(), List.of(pyproject + ":" + error.position().line() + ":"
          + error.position().column() + ": invalid TOML: " + firstLine(error.getMessage())
          + "; using default settings"));
    }
    Object section = toml.get(List.of("tool", "coldspy"));
    if (section == null) {
      return new Loaded(defaults, Optional.empty(), List.of());
    }
    if (!(section instanceof TomlTable table)) {
      return new Loaded(defaults, Optional.of(pyproject), List.of(pyproject + ": [tool.coldspy] must be a table"
          + "; using default settings"));
    }
    Map<String, Object> values = new TreeMap<>();
    for (String key : table.keySet()) {
      values.put(key, plain(table.get(List.of(key))));
    }
    SettingsParser.Result result = SettingsParser.apply(Settings.DEFAULTS, values, key -> {
      TomlPosition position = table.inputPositionOf(List.of(key));
      return pyproject + (position == null ? "" : ":" + position.line()) + ": [tool.coldspy]";
    }, base);
    return new Loaded(result.settings(), Optional.of(pyproject), result.warnings());
  }

  private static Settings defaultsIn(Path baseDirectory) {
    return SettingsParser.apply(Settings.DEFAULTS, Map.of(), key -> "", baseDirectory).settings();
  }

  /** TOML arrays and tables as plain lists and maps, so that the parser sees one kind of value. */
  private static Object plain(Object value) {
    if (value instanceof TomlArray array) {
      List<Object> list = new ArrayList<>();
      for (int i = 0; i < array.size(); i++) {
        list.add(plain(array.get(i)));
      }
      return list;
    }
    if (value instanceof TomlTable table) {
      return table.toMap();
    }
    return value;
  }

  private static String firstLine(String message) {
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
