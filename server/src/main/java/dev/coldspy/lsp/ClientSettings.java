package dev.coldspy.lsp;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.reflect.TypeToken;
import dev.coldspy.settings.Settings;
import dev.coldspy.settings.SettingsParser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The editor's {@code coldspy.*} settings ({@code workspace/configuration}, section {@code coldspy}), immutable.
 * The keys of {@code [tool.coldspy]} (in camelCase, e.g. {@code minMs}, {@code ignoreModules},
 * {@code profiles}) override the project's {@code pyproject.toml} through the settings parser; {@code
 * debounceMs} is the server's own. Problems are collected for the user and never stop the analysis.
 *
 * @param debounce how long typing must pause before a changed document is re-analysed
 * @param fixVendoredLibraries whether quick fixes may edit libraries shipped in the function's folder ({@code
 *     coldspy.fixVendoredLibraries}, off by default: as {@code coldspy fix --vendored}, it changes code the user
 *     did not write)
 * @param overrides the {@code [tool.coldspy]} keys to apply over each project's settings
 * @param problems what was wrong, one message each
 */
record ClientSettings(Duration debounce, boolean fixVendoredLibraries, Map<String, Object> overrides,
    List<String> problems) {
  static final Duration DEFAULT_DEBOUNCE = Duration.ofMillis(200);
  static final ClientSettings DEFAULTS = new ClientSettings(DEFAULT_DEBOUNCE, false, Map.of(), List.of());
  static final String ORIGIN = "editor settings (coldspy.*)";
  private static final long MAX_DEBOUNCE_MS = 10_000;
  /** Keys the editor extensions keep for themselves (how to start the server, tracing). */
  private static final Set<String> CLIENT_ONLY_KEYS = Set.of("trace", "server", "java", "jar");
  private static final Gson GSON = new Gson();

  ClientSettings {
    overrides = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
    problems = List.copyOf(problems);
  }

  /** Reads the section as the client sent it (a JSON object, or null when the client has none). */
  static ClientSettings parse(Object section) {
    if (section == null || (section instanceof JsonElement element && element.isJsonNull())) {
      return DEFAULTS;
    }
    JsonElement json = section instanceof JsonElement element ? element : GSON.toJsonTree(section);
    if (!json.isJsonObject()) {
      return new ClientSettings(DEFAULT_DEBOUNCE, false, Map.of(),
          List.of(ORIGIN + ": must be an object, not " + json + " (ignored)"));
    }
    Map<String, Object> values =
        GSON.fromJson(json, new TypeToken<LinkedHashMap<String, Object>>() {}.getType());
    List<String> problems = new ArrayList<>();
    Duration debounce = DEFAULT_DEBOUNCE;
    Object debounceMs = values.remove("debounceMs");
    if (debounceMs instanceof Number ms && ms.doubleValue() >= 0 && ms.doubleValue() <= MAX_DEBOUNCE_MS) {
      debounce = Duration.ofMillis(Math.round(ms.doubleValue()));
    } else if (debounceMs != null) {
      problems.add(ORIGIN + ": 'debounceMs' must be a number from 0 to " + MAX_DEBOUNCE_MS + ", not " + debounceMs
          + " (ignored)");
    }
    Object fixVendored = values.remove("fixVendoredLibraries");
    if (fixVendored != null && !(fixVendored instanceof Boolean)) {
      problems.add(ORIGIN + ": 'fixVendoredLibraries' must be true or false, not " + fixVendored + " (ignored)");
    }
    values.keySet().removeAll(CLIENT_ONLY_KEYS);
    // Gson reads every JSON number as a double; the settings parser wants what TOML would give.
    values.replaceAll((key, value) -> value instanceof Double d && d == Math.rint(d) && !key.endsWith("Ms")
        && !key.endsWith("Fraction") ? (Object) d.longValue() : value);
    // Validate once against the defaults so that mistakes are reported even before a project exists.
    problems.addAll(SettingsParser.apply(Settings.DEFAULTS, values, ORIGIN).warnings());
    return new ClientSettings(debounce, Boolean.TRUE.equals(fixVendored), values, problems);
  }

  /** A project's settings with the editor's overrides applied (their warnings are already in problems). */
  Settings over(Settings project) {
    return SettingsParser.apply(project, overrides, ORIGIN).settings();
  }
}
