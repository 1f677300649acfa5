package dev.coldspy.intellij.checks;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A user-defined language server template read the way LSP4IJ's "Import from custom template..." reads a
 * directory (LanguageServerTemplateManager, ServerTemplateJsonDeserializer, CommandUtils in
 * redhat-developer/lsp4ij): {@code template.json} gives the name, the command per OS ({@code programArgs},
 * falling back to {@code default}) and the file mappings; {@code settings.json} answers
 * {@code workspace/configuration}; {@code initializationOptions.json} goes into {@code initialize}. Missing
 * settings and initialization options count as {@code {}}, as in LSP4IJ.
 */
record Lsp4ijTemplate(
    String id,
    String name,
    Map<String, String> programArgs,
    List<FileNamePatterns> fileNamePatterns,
    JsonObject settings,
    JsonObject initializationOptions) {

  /** A {@code fileTypeMappings} entry: files matching {@code patterns} are opened with {@code languageId}. */
  record FileNamePatterns(List<String> patterns, String languageId) {}

  private static final Pattern MACRO = Pattern.compile("\\$([A-Za-z_]+)\\$");

  static Lsp4ijTemplate read(Path directory) throws IOException {
    JsonObject template = object(directory.resolve("template.json"));
    Map<String, String> programArgs = new LinkedHashMap<>();
    template.getAsJsonObject("programArgs").entrySet().forEach(e -> programArgs.put(e.getKey(), e.getValue().getAsString()));
    List<FileNamePatterns> mappings = new ArrayList<>();
    for (JsonElement mapping : template.getAsJsonArray("fileTypeMappings")) {
      JsonObject fileType = mapping.getAsJsonObject().getAsJsonObject("fileType");
      List<String> patterns = new ArrayList<>();
      fileType.getAsJsonArray("patterns").forEach(p -> patterns.add(p.getAsString()));
      mappings.add(new FileNamePatterns(patterns, mapping.getAsJsonObject().get("languageId").getAsString()));
    }
    return new Lsp4ijTemplate(
        template.get("id").getAsString(),
        template.get("name").getAsString(),
        programArgs,
        mappings,
        optionalObject(directory.resolve("settings.json")),
        optionalObject(directory.resolve("initializationOptions.json")));
  }

  /** This template with other settings, as if the user had edited them in LSP4IJ's Configuration tab. */
  Lsp4ijTemplate withSettings(JsonObject otherSettings) {
    return new Lsp4ijTemplate(id, name, programArgs, fileNamePatterns, otherSettings, initializationOptions);
  }

  /** LSP4IJ's OS key for this machine: {@code windows}, {@code mac} or {@code unix}. */
  static String osKey() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    return os.startsWith("windows") ? "windows" : os.startsWith("mac") ? "mac" : "unix";
  }

  /**
   * The process LSP4IJ starts: the command for this OS, IntelliJ macros ({@code $USER_HOME$}...) expanded
   * from {@code macros}, split into arguments at spaces outside double quotes (quotes removed).
   */
  List<String> command(Map<String, String> macros) {
    return command(osKey(), macros);
  }

  /** The process LSP4IJ would start on the OS named by LSP4IJ's key ({@code windows}, {@code mac}, {@code unix}). */
  List<String> command(String os, Map<String, String> macros) {
    String commandLine = programArgs.getOrDefault(os, programArgs.get("default"));
    Matcher macro = MACRO.matcher(commandLine);
    StringBuilder expanded = new StringBuilder();
    while (macro.find()) {
      String value = macros.get(macro.group(1));
      if (value == null) {
        throw new IllegalArgumentException("no value for macro " + macro.group() + " in " + commandLine);
      }
      macro.appendReplacement(expanded, Matcher.quoteReplacement(value));
    }
    macro.appendTail(expanded);
    return splitArguments(expanded.toString());
  }

  static List<String> splitArguments(String commandLine) {
    List<String> arguments = new ArrayList<>();
    StringBuilder argument = new StringBuilder();
    boolean quoted = false;
    for (char c : commandLine.toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ' ' && !quoted) {
        addNonBlank(arguments, argument);
      } else {
        argument.append(c);
      }
    }
    addNonBlank(arguments, argument);
    return arguments;
  }

  private static void addNonBlank(List<String> arguments, StringBuilder argument) {
    if (!argument.toString().isBlank()) {
      arguments.add(argument.toString().trim());
    }
    argument.setLength(0);
  }

  /** The language id LSP4IJ sends in {@code didOpen} for a file of this name, or null if no mapping matches. */
  String languageIdOf(String fileName) {
    for (FileNamePatterns mapping : fileNamePatterns) {
      for (String pattern : mapping.patterns()) {
        if (FileSystems.getDefault().getPathMatcher("glob:" + pattern).matches(Path.of(fileName))) {
          return mapping.languageId();
        }
      }
    }
    return null;
  }

  /**
   * What LSP4IJ answers to {@code workspace/configuration} for a section: the object at that dotted path
   * of settings.json, or null when there is none (LanguageClientImpl.findSettings).
   */
  JsonObject settingsSection(String section) {
    JsonObject current = settings;
    if (section == null) {
      return current;
    }
    for (String key : section.split("\\.")) {
      JsonElement child = current.get(key);
      if (child == null || !child.isJsonObject()) {
        return null;
      }
      current = child.getAsJsonObject();
    }
    return current;
  }

  private static JsonObject object(Path file) throws IOException {
    return JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
  }

  private static JsonObject optionalObject(Path file) throws IOException {
    return Files.isRegularFile(file) ? object(file) : new JsonObject();
  }
}
