package dev.coldspy.engine;

import dev.coldspy.python.ImportStatement;
import dev.coldspy.python.ModuleIdentity;
import dev.coldspy.python.PythonModule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * What a recorded module's body imports when it runs, read from its source file where that file is on this
 * machine: the modules its module-level import statements load (under if/try too; not those under {@code if
 * TYPE_CHECKING:} or lazy ones, which load nothing at import; see {@link ImportLines} for how they are found). A parsed file is remembered while its size and
 * modification time stay, so a long-lived owner (a project in the language server) parses each library file
 * once. Thread-safe.
 */
public final class ModuleLevelImports {
  /** Knows no source: every question gets "nothing known". */
  public static final ModuleLevelImports NONE = new ModuleLevelImports(recorded -> Optional.empty());
  /** Larger sources are not parsed (generated tables, vendored bundles): nothing known rather than a slow answer. */
  private static final long MAX_SOURCE_BYTES = 2_000_000;

  /**
   * One module-level import statement.
   *
   * @param firstLine its first 1-based line
   * @param lastLine its last 1-based line
   * @param modules what it loads, parents first ({@code import a.b}: {@code a}, {@code a.b}; {@code from a import
   *     c} also {@code a.c}, which it loads when {@code c} is a submodule)
   */
  record Import(int firstLine, int lastLine, List<String> modules) {
    Import {
      modules = List.copyOf(modules);
    }

    boolean covers(int oneBasedLine) {
      return firstLine <= oneBasedLine && oneBasedLine <= lastLine;
    }
  }

  /**
   * What is known of one file as one module: the words of its import lines, and its statements once a caller
   * needed them (null until then).
   */
  private record Known(long size, FileTime modified, Set<String> words, List<Import> imports) {
    boolean isOf(long otherSize, FileTime otherModified) {
      return size == otherSize && modified.equals(otherModified);
    }
  }

  /** A package's lazy names as read from its {@code __init__.py} of that size and time. */
  private record KnownExports(long size, FileTime modified, Map<String, String> exports) {}

  private static final Pattern LONE_CARRIAGE_RETURN = Pattern.compile("\r(?!\n)");

  private final Function<String, Optional<Path>> locate;
  /** By file and module name (a file's relative imports resolve against the module it is loaded as). */
  private final ConcurrentHashMap<String, Known> known = new ConcurrentHashMap<>();
  /** By file and package name, as {@link #known}: the language server asks again on every analysis. */
  private final ConcurrentHashMap<String, KnownExports> knownExports = new ConcurrentHashMap<>();

  /** @param locate where a recorded origin path is on this machine, if it is */
  public ModuleLevelImports(Function<String, Optional<Path>> locate) {
    this.locate = locate;
  }

  boolean knowsNothing() {
    return this == NONE;
  }

  /**
   * The import statements {@code module}'s body runs, in order, or an empty list when its source is not here,
   * cannot be read, or fails {@code mayImport}: a test of the words of its import lines ({@link #importWords})
   * that spares reading the statements of files that cannot import what is asked about (an import spells the
   * names of the modules it loads).
   *
   * @param recordedFile the module's origin as the profile recorded it (a {@code .py} file)
   */
  List<Import> of(String module, String recordedFile, Predicate<Set<String>> mayImport) {
    Optional<Path> located = readable(recordedFile);
    if (located.isEmpty()) {
      return List.of();
    }
    Path file = located.get();
    try {
      long size = Files.size(file);
      FileTime modified = Files.getLastModifiedTime(file);
      String key = file + "\0" + module;
      Known seen = known.get(key);
      if (seen != null && seen.isOf(size, modified)) {
        // the same answer as a first reading would give: the test decides on a cached file too
        if (!mayImport.test(seen.words())) {
          return List.of();
        }
        if (seen.imports() != null) {
          return seen.imports();
        }
      }
      String text = normalised(Files.readString(file, StandardCharsets.UTF_8));
      Set<String> words = importWords(text);
      if (!mayImport.test(words)) {
        known.put(key, new Known(size, modified, words, null));
        return List.of();
      }
      List<Import> imports =
          statements(text, new ModuleIdentity(module, file.getFileName().toString().equals("__init__.py")));
      known.put(key, new Known(size, modified, words, imports));
      return imports;
    } catch (IOException unreadable) {
      return List.of(); // not UTF-8, or gone meanwhile: this file tells nothing
    }
  }

  /**
   * The names package {@code pkg} hands out lazily and the module each loads ({@link LazyExports}), read from its
   * {@code __init__.py} where that is on this machine; empty otherwise. Asked of a few packages per analysis.
   */
  Map<String, String> lazyExports(String pkg, String recordedFile) {
    if (recordedFile == null || !recordedFile.endsWith("__init__.py")) {
      return Map.of();
    }
    Optional<Path> located = readable(recordedFile);
    if (located.isEmpty()) {
      return Map.of();
    }
    Path file = located.get();
    try {
      long size = Files.size(file);
      FileTime modified = Files.getLastModifiedTime(file);
      String key = file + "\0" + pkg;
      KnownExports seen = knownExports.get(key);
      if (seen != null && seen.size() == size && seen.modified().equals(modified)) {
        return seen.exports();
      }
      Map<String, String> exports = LazyExports.of(pkg, normalised(Files.readString(file, StandardCharsets.UTF_8)));
      knownExports.put(key, new KnownExports(size, modified, exports));
      return exports;
    } catch (IOException unreadable) {
      return Map.of();
    }
  }

  /** Where a recorded {@code .py} file is on this machine, when it is a regular file small enough to read. */
  private Optional<Path> readable(String recordedFile) {
    if (recordedFile == null || !recordedFile.endsWith(".py")) {
      return Optional.empty();
    }
    Optional<Path> located = locate.apply(recordedFile);
    try {
      if (located.isEmpty() || !Files.isRegularFile(located.get()) || Files.size(located.get()) > MAX_SOURCE_BYTES) {
        return Optional.empty();
      }
    } catch (IOException unreadable) {
      return Optional.empty();
    }
    return located;
  }

  /**
   * The module-level import statements of a source. A whole library file takes milliseconds to parse, and an
   * analysis may ask about a thousand; so the lines that can hold one are found first ({@link ImportLines}) and
   * only those statements are parsed, together, for what each loads (relative imports resolved against {@code
   * identity}).
   */
  static List<Import> read(String text, ModuleIdentity identity) {
    return statements(normalised(text), identity);
  }

  /** {@link #read} of a text already {@link #normalised}. */
  private static List<Import> statements(String text, ModuleIdentity identity) {
    List<ImportLines.Statement> found = ImportLines.moduleLevel(text);
    if (found.isEmpty()) {
      return List.of();
    }
    StringBuilder statements = new StringBuilder();
    List<Integer> firstParsedLines = new ArrayList<>();
    int parsedLine = 0;
    for (ImportLines.Statement statement : found) {
      firstParsedLines.add(parsedLine);
      statements.append(statement.text()).append('\n');
      parsedLine += statement.lastLine() - statement.firstLine() + 1;
    }
    List<Import> imports = new ArrayList<>();
    for (ImportStatement parsed : PythonModule.parse(statements.toString(), identity).imports().statements()) {
      // the found statement it is part of (`import a; import b` holds two)
      int index = Collections.binarySearch(firstParsedLines, parsed.firstLine());
      ImportLines.Statement statement = found.get(index >= 0 ? index : -index - 2);
      imports.add(new Import(statement.firstLine(), statement.lastLine(), parsed.modulesLoadedOrMaybe()));
    }
    return List.copyOf(imports);
  }

  /**
   * The identifier-like words of the text's import lines: every line that starts, after indentation, with {@code
   * import} or {@code from}, with its continuation (an open parenthesis, a trailing backslash). A superset of
   * what the module-level import statements spell: such lines inside functions and strings count too.
   */
  static Set<String> importWords(String text) {
    Set<String> words = new HashSet<>();
    int length = text.length();
    int line = 0;
    boolean continued = false;
    int openParentheses = 0;
    while (line < length) {
      int end = text.indexOf('\n', line);
      end = end < 0 ? length : end;
      int start = line;
      while (start < end && (text.charAt(start) == ' ' || text.charAt(start) == '\t')) {
        start++;
      }
      if (continued || ImportLines.startsWithWord(text, start, "import") || ImportLines.startsWithWord(text, start, "from")) {
        int last = start;
        for (int i = start; i < end; i++) {
          char c = text.charAt(i);
          if (c == '#') {
            break;
          }
          if (!Character.isWhitespace(c)) {
            last = i;
          }
          if (c == '(') {
            openParentheses++;
          } else if (c == ')') {
            openParentheses = Math.max(0, openParentheses - 1);
          } else if (Character.isJavaIdentifierStart(c) && c != '$') {
            int word = i;
            while (i + 1 < end && Character.isJavaIdentifierPart(text.charAt(i + 1)) && text.charAt(i + 1) != '$') {
              i++;
            }
            words.add(text.substring(word, i + 1));
            last = i;
          }
        }
        continued = openParentheses > 0 || (last < end && text.charAt(last) == '\\');
      }
      line = end + 1;
    }
    return words;
  }

  /**
   * The text as the scan and the parser both read it: without a byte-order mark, and with lone carriage returns
   * (old Mac line ends, which tree-sitter counts as lines) made line feeds.
   */
  private static String normalised(String text) {
    String unmarked = text.startsWith("\ufeff") ? text.substring(1) : text;
    return unmarked.indexOf('\r') < 0 ? unmarked : LONE_CARRIAGE_RETURN.matcher(unmarked).replaceAll("\n");
  }
}
