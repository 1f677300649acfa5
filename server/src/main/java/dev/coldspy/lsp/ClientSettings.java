package dev.coldspy.lsp;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.coldspy.engine.EngineSettings;
import dev.coldspy.engine.PythonVersion;
import dev.coldspy.settings.Settings;
import dev.coldspy.settings.SettingsParser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The editor's {@code coldspy.*} settings ({@code workspace/configuration}, section {@code coldspy}), typed
 * and immutable. They override the project's {@code [tool.coldspy]}. Unknown keys and values of the wrong
 * type are collected as problems (the user is told once) and otherwise ignored: a typo never stops analysis.
 *
 * @param debounce how long typing must pause before a changed document is re-analysed
 * @param profiles extra profile files or directories (relative paths against the first workspace folder)
 * @param minMs override of the reporting threshold, or null
 * @param warningMs override of the warning threshold, or null
 * @param ignore modules never reported (added to the project's)
 * @param targetPython override of the target Python version, or null
 * @param problems what was wrong with the settings, one message each
 */
record ClientSettings(
    Duration debounce,
    List<String> profiles,
    Double minMs,
    Double warningMs,
    List<String> ignore,
    PythonVersion targetPython,
    List<String> problems) {
  static final Duration DEFAULT_DEBOUNCE = Duration.ofMillis(200);
  static final ClientSettings DEFAULTS =
      new ClientSettings(DEFAULT_DEBOUNCE, List.of(), null, null, List.of(), null, List.of());
  private static final long MAX_DEBOUNCE_MS = 10_000;

  ClientSettings {
    profiles = List.copyOf(profiles);
    ignore = List.copyOf(ignore);
    problems = List.copyOf(problems);
  }

  /** Reads the section as the client sent it (a JSON object, or null when the client has none). */
  static ClientSettings parse(Object section) {
    if (section == null || (section instanceof JsonElement element && element.isJsonNull())) {
      return DEFAULTS;
    }
    JsonElement json = section instanceof JsonElement element ? element : GSON.toJsonTree(section);
    if (!json.isJsonObject()) {
      return new ClientSettings(DEFAULT_DEBOUNCE, List.of(), null, null, List.of(), null,
          List.of("the 'coldspy' settings must be an object, not " + json));
    }
    Reader reader = new Reader();
    Duration debounce = DEFAULT_DEBOUNCE;
    List<String> profiles = List.of();
    Double minMs = null;
    Double warningMs = null;
    List<String> ignore = List.of();
    PythonVersion targetPython = null;
    for (Map.Entry<String, JsonElement> entry : json.getAsJsonObject().entrySet()) {
      String key = entry.getKey();
      JsonElement value = entry.getValue();
      if (value.isJsonNull()) {
        continue;
      }
      switch (key) {
        case "debounceMs" -> {
          Double ms = reader.number(key, value, 0, MAX_DEBOUNCE_MS);
          if (ms != null) {
            debounce = Duration.ofMillis(Math.round(ms));
          }
        }
        case "profiles" -> profiles = reader.strings(key, value);
        case "minMs" -> minMs = reader.number(key, value, 0, Double.MAX_VALUE);
        case "warningMs" -> warningMs = reader.number(key, value, 0, Double.MAX_VALUE);
        case "ignore" -> ignore = reader.strings(key, value);
        case "targetPython" -> targetPython = reader.pythonVersion(key, value);
        // Settings the editor extensions keep for themselves (how to start the server, tracing).
        case "trace", "server", "java" -> { }
        default -> reader.problems.add("unknown setting coldspy." + key + " (ignored)");
      }
    }
    return new ClientSettings(debounce, profiles, minMs, warningMs, ignore, targetPython, reader.problems);
  }

  /** The project's engine settings with these overrides applied. */
  EngineSettings over(EngineSettings project) {
    Settings base = project.user();
    List<String> ignored = new ArrayList<>(base.ignoredModules());
    ignored.addAll(ignore);
    Map<String, Object> overrides = new LinkedHashMap<>();
    overrides.put("min-ms", minMs);
    overrides.put("warning-ms", warningMs);
    overrides.put("ignore-modules", ignored);
    overrides.put("target-python", targetPython == null ? null : targetPython.toString());
    return EngineSettings.of(SettingsParser.apply(base, overrides, "LSP settings").settings());
  }

  private static final com.google.gson.Gson GSON = new com.google.gson.Gson();

  private static final class Reader {
    final List<String> problems = new ArrayList<>();

    Double number(String key, JsonElement value, double min, double max) {
      if (value instanceof JsonPrimitive primitive && primitive.isNumber()) {
        double number = primitive.getAsDouble();
        if (number >= min && number <= max) {
          return number;
        }
      }
      problems.add("coldspy." + key + " must be a number from " + format(min) + " to " + format(max)
          + ", not " + value + " (ignored)");
      return null;
    }

    List<String> strings(String key, JsonElement value) {
      if (value instanceof JsonArray array) {
        List<String> strings = new ArrayList<>();
        for (JsonElement item : array) {
          if (item instanceof JsonPrimitive primitive && primitive.isString()) {
            strings.add(primitive.getAsString());
          } else {
            problems.add("coldspy." + key + " must be a list of strings; " + item + " is ignored");
          }
        }
        return strings;
      }
      problems.add("coldspy." + key + " must be a list of strings, not " + value + " (ignored)");
      return List.of();
    }

    PythonVersion pythonVersion(String key, JsonElement value) {
      if (value instanceof JsonPrimitive primitive && primitive.isString()) {
        try {
          return PythonVersion.parse(primitive.getAsString());
        } catch (RuntimeException malformed) {
          // reported below
        }
      }
      problems.add("coldspy." + key + " must be a Python version like \"3.12\", not " + value + " (ignored)");
      return null;
    }

    private static String format(double bound) {
      return bound == Double.MAX_VALUE ? "any" : String.valueOf((long) bound);
    }
  }
}
