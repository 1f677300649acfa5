package dev.coldspy.fix;

import dev.coldspy.python.ImportKind;
import dev.coldspy.python.ImportStatement;
import dev.coldspy.python.ImportedName;
import dev.coldspy.python.PythonModule;
import dev.coldspy.text.SourceText;
import dev.coldspy.text.Span;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the project's modules do with each other's names, for fixes that take a name away from a module's
 * namespace at start-up (remove, lazy-load, TYPE_CHECKING guard): a name of module {@code m} is used
 * from outside when another module imports it ({@code from m import name}, relative or absolute), reads or
 * assigns it as an attribute of {@code m} ({@code m.name}, {@code import pkg.m} then {@code pkg.m.name},
 * {@code getattr(m, "name")}), or can receive it through a star import of {@code m} (a public name, when
 * {@code m} has no {@code __all__}: with one, its entries are the exports and the planner already keeps
 * them). A module whose namespace is read as a whole — {@code getattr(m, variable)}, {@code vars(m)},
 * {@code m.__dict__}, or by itself through {@code sys.modules[__name__]} — may have any of its names used;
 * so may every module a computed import can reach ({@code importlib.import_module(event["module"])},
 * {@code __import__(f"plugins.{name}")}: the project's modules below the name's literal prefix, all of them
 * when it has none), since what the code then reads from the module object cannot be told from the source.
 * Also which modules read annotations at run time, for the TYPE_CHECKING guard. Built once per project from
 * the parsed modules; immutable.
 */
final class ProjectUses {
  static final ProjectUses NONE = new ProjectUses(Map.of(), Map.of(), Map.of(), Map.of());

  /**
   * Identifiers through which code reads annotations at run time, or hands definitions to code that does:
   * {@code typing.get_type_hints}, {@code inspect.signature}, {@code functools.singledispatch} registration by
   * call, {@code dataclasses.dataclass} applied by call, {@code NamedTuple}/{@code TypedDict} built from
   * annotations, and {@code __annotations__} itself.
   */
  static final List<String> ANNOTATION_READERS = List.of("__annotations__", "get_type_hints", "get_annotations",
      "signature", "singledispatch", "singledispatchmethod", "dataclass", "dataclasses", "NamedTuple", "TypedDict");
  /**
   * Readers whose name is an ordinary word: they count only as the module's ({@code inspect.signature}, or the
   * name imported from it), not as any variable so named (a webhook's {@code signature = hmac...}).
   */
  private static final Map<String, String> READERS_ONLY_AS_IMPORTED = Map.of("signature", "inspect");
  private static final Set<String> NAMESPACE_READERS = Set.of("getattr", "hasattr", "setattr", "delattr", "vars",
      "dir");
  private static final Pattern LITERAL_ARGUMENT = Pattern.compile("\\G\\s*,\\s*(?:\"(\\w+)\"|'(\\w+)')");
  /** Functions that import a module named by their first argument. */
  private static final List<String> IMPORTS_BY_NAME = List.of("import_module", "__import__");
  private static final Pattern CALL_OPENING = Pattern.compile("\\G\\s*\\(");
  /** A first argument that is a whole string literal: the module is named, not computed. */
  private static final Pattern WHOLE_LITERAL = Pattern.compile("\\G\\s*(?:\"([\\w.]*)\"|'([\\w.]*)')\\s*[,)]");
  /** A first argument that starts with a string (an f-string, a concatenation): its literal prefix. */
  private static final Pattern LITERAL_PREFIX = Pattern.compile("\\G\\s*[fFrRuU]{0,2}[\"']([\\w.]*)");
  /** Readers that, as decorators, read the annotations of the decorated definition only. */
  private static final Set<String> OWN_DEFINITION_DECORATORS = Set.of("dataclass", "dataclasses");
  /** A decorator line up to the reader: {@code @dataclass}, {@code @dataclasses.dataclass(frozen=True)}. */
  private static final Pattern DECORATOR_BEFORE = Pattern.compile("^\\s*@[\\w.\\s]*$");
  /** An f-string module name that starts with the importing module's own name: {@code f"{__name__}.x"}. */
  private static final Pattern OWN_NAME_PREFIX = Pattern.compile("\\G\\s*[fF][rR]?[\"']\\{__name__\\}([\\w.]*)");
  /** Nothing but a qualifier ({@code importlib.}) between a line's start and the called name. */
  private static final Pattern QUALIFIER_ONLY = Pattern.compile("[ \\t]*(?:\\w+[ \\t]*\\.[ \\t]*)*");
  /** What may follow a call that is a whole statement: the line's end, a comment or a {@code ;}. */
  private static final Pattern STATEMENT_END = Pattern.compile("[ \\t]*(?:$|[#;\\r\\n])", Pattern.MULTILINE);
  private static final Pattern DEFINITION_BEFORE = Pattern.compile("\\bdef\\s+$");

  /** module -> name -> where another module uses it. */
  private final Map<String, Map<String, String>> uses;
  /** module -> where it is star-imported. */
  private final Map<String, String> starImports;
  /** module -> where its namespace is read as a whole. */
  private final Map<String, String> wholeNamespaceReads;
  /** module -> where it reads annotations at run time. */
  private final Map<String, String> annotationReaders;

  private ProjectUses(Map<String, Map<String, String>> uses, Map<String, String> starImports,
      Map<String, String> wholeNamespaceReads, Map<String, String> annotationReaders) {
    this.uses = uses;
    this.starImports = starImports;
    this.wholeNamespaceReads = wholeNamespaceReads;
    this.annotationReaders = annotationReaders;
  }

  /** The uses among {@code modules}, the project's parsed files by module name. */
  static ProjectUses of(Map<String, PythonModule> modules) {
    Map<String, Map<String, String>> uses = new HashMap<>();
    Map<String, String> starImports = new HashMap<>();
    Map<String, String> wholeReads = new HashMap<>();
    Map<String, String> annotationReaders = new HashMap<>();
    for (Map.Entry<String, PythonModule> entry : modules.entrySet()) {
      String user = entry.getKey();
      PythonModule module = entry.getValue();
      SourceText text = module.text();
      // the module objects this file holds: an expression as written ("h", "pkg.tools") -> module name
      Map<String, String> moduleObjects = new LinkedHashMap<>();
      for (ImportStatement statement : module.imports().statements()) {
        String where = where(user, text, statement.span());
        if (statement.kind() == ImportKind.IMPORT) {
          for (ImportedName name : statement.names()) {
            if (name.hasAlias()) {
              moduleObjects.put(name.boundName(), name.target());
            } else {
              String[] parts = name.written().split("\\.");
              for (int i = 1; i <= parts.length; i++) {
                String prefix = String.join(".", java.util.Arrays.copyOf(parts, i));
                moduleObjects.put(prefix, prefix);
              }
            }
          }
        } else if (statement.module() != null) {
          if (statement.star()) {
            starImports.putIfAbsent(statement.module(), where + " (`from " + statement.writtenModule() + " import *`)");
          }
          for (ImportedName name : statement.names()) {
            if (modules.containsKey(name.target())) {
              moduleObjects.put(name.boundName(), name.target());
            } else {
              uses.computeIfAbsent(statement.module(), k -> new HashMap<>()).putIfAbsent(name.written(),
                  where + " (`" + text.slice(statement.span()).strip() + "`)");
            }
          }
        }
      }
      for (Map.Entry<String, String> object : moduleObjects.entrySet()) {
        if (modules.containsKey(object.getValue())) {
          attributeUses(user, module, object.getKey(), object.getValue(), uses, wholeReads);
        }
      }
      Matcher self = PythonModule.MODULE_ITSELF.matcher(text.text());
      if (self.find()) {
        wholeReads.putIfAbsent(user, where(user, text, new Span(self.start(), self.end())) + " (`sys.modules[__name__]`)");
      }
      importsByName(user, module, modules.keySet(), wholeReads);
      Span reader = readerOfOtherModulesAnnotations(module);
      if (reader != null) {
        annotationReaders.put(user, where(user, text, reader) + " (`" + text.slice(reader) + "`)");
      }
    }
    return new ProjectUses(uses, starImports, wholeReads, annotationReaders);
  }

  /** Reads of {@code expression.attribute} (and dynamic reads of the whole namespace) of {@code target}. */
  private static void attributeUses(String user, PythonModule module, String expression, String target,
      Map<String, Map<String, String>> uses, Map<String, String> wholeReads) {
    String source = module.source();
    String[] parts = expression.split("\\.");
    for (Span first : module.scopes().identifiers(parts[0])) {
      int at = first.end();
      boolean matches = true;
      for (int i = 1; i < parts.length && matches; i++) {
        Span next = attributeAfter(source, at);
        matches = next != null && source.substring(next.start(), next.end()).equals(parts[i]);
        at = matches ? next.end() : at;
      }
      if (!matches || precededByDot(source, first.start())) {
        continue;
      }
      String where = where(user, module.text(), first);
      Span attribute = attributeAfter(source, at);
      if (attribute != null) {
        String name = source.substring(attribute.start(), attribute.end());
        if (name.equals("__dict__")) {
          wholeReads.putIfAbsent(target, where + " (`" + expression + ".__dict__`)");
        } else {
          uses.computeIfAbsent(target, k -> new HashMap<>()).putIfAbsent(name, where + " (`" + expression + "."
              + name + "`)");
        }
        continue;
      }
      String reader = callerOfArgument(source, first.start());
      if (reader != null) {
        Matcher literal = LITERAL_ARGUMENT.matcher(source);
        if (!reader.equals("vars") && !reader.equals("dir") && literal.find(at)) {
          String name = literal.group(1) != null ? literal.group(1) : literal.group(2);
          uses.computeIfAbsent(target, k -> new HashMap<>()).putIfAbsent(name, where + " (`" + reader + "("
              + expression + ", \"" + name + "\")`)");
        } else {
          wholeReads.putIfAbsent(target, where + " (`" + reader + "(" + expression + ", ...)`)");
        }
      }
    }
  }

  /**
   * Calls of {@code importlib.import_module(...)} or {@code __import__(...)} in {@code module}: the project's
   * modules each can return have their namespace read as a whole. A literal name reaches that module; a
   * name built from a literal prefix ({@code f"handlers.{kind}"}, {@code "handlers." + kind},
   * {@code f"{__name__}.{kind}"} in package {@code rules}: {@code rules.}) the modules below the prefix;
   * anything else, or a relative name, every module of the project. A call that is a statement of its own
   * (a plugin loader importing modules for what they register) hands no module object to anyone.
   */
  private static void importsByName(String user, PythonModule module, Set<String> projectModules,
      Map<String, String> wholeReads) {
    String source = module.source();
    for (String function : IMPORTS_BY_NAME) {
      for (Span name : module.scopes().identifiers(function)) {
        Matcher call = CALL_OPENING.matcher(source);
        if (!call.find(name.end())
            || DEFINITION_BEFORE.matcher(source).region(Math.max(0, name.start() - 16), name.start()).find()
            || resultDiscarded(source, name, call.end() - 1)) {
          continue;
        }
        Matcher whole = WHOLE_LITERAL.matcher(source);
        Matcher prefix = LITERAL_PREFIX.matcher(source);
        String where = where(user, module.text(), name);
        if (whole.find(call.end())) {
          // __import__("a.b") returns the package a, so the packages above the named module count too
          String named = whole.group(1) != null ? whole.group(1) : whole.group(2);
          for (String reachable : projectModules) {
            if (named.equals(reachable) || named.startsWith(reachable + ".")) {
              wholeReads.putIfAbsent(reachable, where + " (`" + function + "(\"" + named + "\")`)");
            }
          }
          continue;
        }
        Matcher own = OWN_NAME_PREFIX.matcher(source);
        String literal = own.find(call.end()) ? user + own.group(1)
            : prefix.find(call.end()) && !prefix.group(1).startsWith(".") ? prefix.group(1) : "";
        String description = where + " (`" + function + "(...)` with a computed name"
            + (literal.isEmpty() ? "" : " starting `" + literal + "`") + ")";
        for (String reachable : projectModules) {
          if (reachable.startsWith(literal)) {
            wholeReads.putIfAbsent(reachable, description);
          }
        }
      }
    }
  }

  /**
   * Whether the call of {@code name} whose {@code (} is at {@code open} is a statement of its own
   * ({@code importlib.import_module(f"rules.{name}")} on its line): the module runs (registering what it
   * registers) but no one holds the module object to read names from it.
   */
  private static boolean resultDiscarded(String source, Span name, int open) {
    int lineStart = lineStart(source, name.start());
    if (!QUALIFIER_ONLY.matcher(source).region(lineStart, name.start()).matches()) {
      return false;
    }
    int depth = 0;
    char quote = 0;
    for (int i = open; i < source.length(); i++) {
      char c = source.charAt(i);
      if (quote != 0) {
        if (c == '\\') {
          i++;
        } else if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '(') {
        depth++;
      } else if (c == ')' && --depth == 0) {
        return STATEMENT_END.matcher(source).region(i + 1, source.length()).lookingAt();
      }
    }
    return false;
  }

  /** The identifier after {@code .} at {@code offset} (spaces allowed around the dot), or null. */
  private static Span attributeAfter(String source, int offset) {
    int i = skipSpaces(source, offset);
    if (i >= source.length() || source.charAt(i) != '.') {
      return null;
    }
    int start = skipSpaces(source, i + 1);
    int end = start;
    while (end < source.length() && Character.isJavaIdentifierPart(source.charAt(end))) {
      end++;
    }
    return end > start ? new Span(start, end) : null;
  }

  private static boolean precededByDot(String source, int offset) {
    int i = offset - 1;
    while (i >= 0 && (source.charAt(i) == ' ' || source.charAt(i) == '\t')) {
      i--;
    }
    return i >= 0 && source.charAt(i) == '.';
  }

  /** {@code getattr} when {@code offset} starts the first argument of {@code getattr(...)} (or a peer), else null. */
  private static String callerOfArgument(String source, int offset) {
    int i = offset - 1;
    while (i >= 0 && Character.isWhitespace(source.charAt(i))) {
      i--;
    }
    if (i < 0 || source.charAt(i) != '(') {
      return null;
    }
    int end = i;
    while (end > 0 && Character.isWhitespace(source.charAt(end - 1))) {
      end--;
    }
    int start = end;
    while (start > 0 && Character.isJavaIdentifierPart(source.charAt(start - 1))) {
      start--;
    }
    String caller = source.substring(start, end);
    return NAMESPACE_READERS.contains(caller) ? caller : null;
  }

  private static int skipSpaces(String source, int offset) {
    int i = offset;
    while (i < source.length() && (source.charAt(i) == ' ' || source.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }

  private static String where(String module, SourceText text, Span span) {
    return "module `" + module + "` line " + (text.lineOfOffset(span.start()) + 1);
  }

  /**
   * Why another module may use {@code name} of {@code module}, or empty.
   *
   * @param exportsAreListed whether {@code module} defines {@code __all__} (then a star import passes on
   *     its entries only, which the planner keeps anyway)
   */
  Optional<String> useFromElsewhere(String module, String name, boolean exportsAreListed) {
    if (module == null) {
      return Optional.empty();
    }
    String whole = wholeNamespaceReads.get(module);
    if (whole != null) {
      return Optional.of("the namespace of `" + module + "` is read as a whole at " + whole + ", so any of its"
          + " names may be used");
    }
    String use = uses.getOrDefault(module, Map.of()).get(name);
    if (use != null) {
      return Optional.of("`" + name + "` is used by another module of the project: " + use);
    }
    String star = starImports.get(module);
    if (star != null && !exportsAreListed && !name.startsWith("_")) {
      return Optional.of("`" + name + "` reaches another module through the star import at " + star);
    }
    return Optional.empty();
  }

  /**
   * The first use in {@code module} of an {@link #ANNOTATION_READERS annotation reader} that can be handed a
   * class or function of another module ({@code get_type_hints(cls)}, {@code cls.__annotations__},
   * {@code dataclass(cls)}, a {@code singledispatch} function whose {@code register(f)} anyone may call), or
   * null. Not {@code @dataclass} as a decorator (it reads the annotations of the class below it, which the
   * planner judges where that class is) and not the reader's name in an import statement.
   */
  private static Span readerOfOtherModulesAnnotations(PythonModule module) {
    String source = module.source();
    List<Span> imports = module.imports().statements().stream().map(ImportStatement::span).toList();
    for (String reader : ANNOTATION_READERS) {
      for (Span found : readerUses(module, reader)) {
        boolean ownDefinitionOnly = OWN_DEFINITION_DECORATORS.contains(reader) && DECORATOR_BEFORE.matcher(source)
            .region(lineStart(source, found.start()), found.start()).find();
        if (imports.stream().noneMatch(i -> i.contains(found)) && !ownDefinitionOnly) {
          return found;
        }
      }
    }
    return null;
  }

  /** Where {@code module} names {@code reader}, as the reader ({@link #READERS_ONLY_AS_IMPORTED}). */
  private static List<Span> readerUses(PythonModule module, String reader) {
    List<Span> found = module.scopes().identifiers(reader);
    String owner = READERS_ONLY_AS_IMPORTED.get(reader);
    if (owner == null || found.isEmpty()) {
      return found;
    }
    String source = module.source();
    boolean imported = module.imports().statements().stream().flatMap(statement -> statement.names().stream())
        .anyMatch(name -> name.boundName().equals(reader) && name.target().equals(owner + "." + reader));
    return found.stream().filter(span -> precededByDot(source, span.start())
        ? qualifiedBy(source, span.start(), owner) : imported).toList();
  }

  /** Whether the attribute at {@code offset} is read from a name {@code owner} ({@code inspect . signature}). */
  private static boolean qualifiedBy(String source, int offset, String owner) {
    int i = offset - 1;
    while (i >= 0 && Character.isWhitespace(source.charAt(i))) {
      i--;
    }
    i--; // the dot
    while (i >= 0 && Character.isWhitespace(source.charAt(i))) {
      i--;
    }
    int end = i + 1;
    while (i >= 0 && (Character.isLetterOrDigit(source.charAt(i)) || source.charAt(i) == '_')) {
      i--;
    }
    return source.substring(i + 1, end).equals(owner);
  }

  private static int lineStart(String source, int offset) {
    return source.lastIndexOf('\n', offset - 1) + 1;
  }

  /**
   * Where annotations of {@code module} may be read at run time: by itself (any use of a reader), or by any
   * other module of the project that reads the annotations of what it is handed: classes and functions
   * travel through calls, so a reader anywhere in the project may receive this module's.
   */
  Optional<String> annotationReader(String module, PythonModule self) {
    for (String reader : ANNOTATION_READERS) {
      List<Span> found = readerUses(self, reader);
      if (!found.isEmpty()) {
        return Optional.of("line " + (self.text().lineOfOffset(found.get(0).start()) + 1) + " (`" + reader + "`)");
      }
    }
    return annotationReaders.entrySet().stream()
        .filter(reader -> !reader.getKey().equals(module))
        .min(Map.Entry.comparingByKey())
        .map(Map.Entry::getValue);
  }
}
