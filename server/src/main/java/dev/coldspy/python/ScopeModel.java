package dev.coldspy.python;

import dev.coldspy.text.SourceText;
import dev.coldspy.text.Span;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.treesitter.TSNode;
import org.treesitter.TSQuery;

/**
 * Where each name bound by a module-level import is used, following Python's scoping rules.
 *
 * <p>How: every whole-word occurrence of a name in the text is looked up in the tree (one tree-cursor
 * descent each, see {@link NodePath}; comments and most strings drop out), and the path down to each
 * identifier tells its role (load, store, parameter, {@code del}, {@code global}, ...), the frames around them
 * (module, class, function, lambda, comprehension) and what evaluates them (decorator, default argument,
 * base class, annotation). Scope resolution then follows Python: a function that binds the name anywhere
 * (and does not declare it {@code global}) shadows it everywhere in its body; class scopes are not visible
 * from nested functions; a comprehension's first iterable runs in the enclosing frame; a walrus in a
 * comprehension binds in the enclosing function. The body of a module-level {@code if __name__ == "__main__":}
 * runs only when the file is run as a script, so nothing in it runs at import time — unless the module binds
 * {@code __name__} itself somewhere, which could make the condition hold on import. Names are analysed on first
 * request; the work is proportional to the occurrences of the requested names, not to the size of the tree.
 */
public final class ScopeModel {
  private static final TSQuery STRING_CONTENTS = TreeSitter.query("(string_content) @content");
  /** Calls that read or write a namespace by string: a module using them may reach any name dynamically. */
  private static final Set<String> DYNAMIC_ACCESS = Set.of("globals", "vars", "eval", "exec");
  private static final String ALL = "__all__";
  private static final String DUNDER_NAME = "__name__";
  private static final Set<String> TARGET_CONTAINERS =
      Set.of(
          "pattern_list",
          "tuple_pattern",
          "list_pattern",
          "tuple",
          "list",
          "parenthesized_expression",
          "list_splat_pattern",
          "dictionary_splat_pattern",
          "expression_list",
          "list_splat");
  private static final Set<String> COMPREHENSIONS =
      Set.of("list_comprehension", "set_comprehension", "dictionary_comprehension", "generator_expression");
  private static final Set<String> STRING_NODES =
      Set.of("string_content", "string", "escape_sequence", "string_start", "string_end");

  private final Object lock;
  private final Analyzer analyzer;
  private final Set<String> names;
  private final Map<String, List<NameReference>> references = new HashMap<>();
  private final Map<String, List<NameBinding>> bindings = new HashMap<>();
  private Map<String, List<NameReference>> exports;
  private List<Span> dynamicAccess;

  private ScopeModel(PythonModule module) {
    this.lock = module;
    this.analyzer = new Analyzer(module);
    Set<String> bound = new LinkedHashSet<>();
    for (ImportStatement statement : module.imports().moduleLevel()) {
      bound.addAll(statement.boundNames());
    }
    this.names = Collections.unmodifiableSet(bound);
  }

  static ScopeModel build(PythonModule module) {
    return new ScopeModel(module);
  }

  /** The names this model analyses: every name bound by a module-level import. */
  public Set<String> names() {
    return names;
  }

  /**
   * Uses of the module-level binding of {@code name}, in document order (empty for a name no module-level
   * import binds). Computed on first request per name: a fix needs only its own statement's names.
   */
  public List<NameReference> references(String name) {
    if (!names.contains(name)) {
      return List.of();
    }
    synchronized (lock) {
      analyse(name);
      return references.get(name);
    }
  }

  /** Every module-level (re)binding of {@code name}, including import statements, in document order. */
  public List<NameBinding> bindings(String name) {
    if (!names.contains(name)) {
      return List.of();
    }
    synchronized (lock) {
      analyse(name);
      return bindings.get(name);
    }
  }

  /** Calls of {@code globals()}, {@code vars()}, {@code eval()} or {@code exec()} anywhere in the module. */
  public List<Span> dynamicNamespaceAccess() {
    synchronized (lock) {
      if (dynamicAccess == null) {
        dynamicAccess = analyzer.dynamicAccess();
      }
      return dynamicAccess;
    }
  }

  /**
   * Where the identifier {@code name} occurs in the code, in any role (a name, an attribute, a keyword
   * argument), in document order; occurrences in strings and comments do not count. For questions about
   * names no import binds, e.g. whether the module reads {@code __annotations__} or {@code sys.modules}.
   */
  public List<Span> identifiers(String name) {
    synchronized (lock) {
      return analyzer.identifierSpans(name);
    }
  }

  /** Decorated definitions and classes with bases may hand their annotations to a library at runtime. */
  static boolean mayInspectAnnotations(TSNode definition) {
    TSNode parent = definition.getParent();
    if (!TreeSitter.isNull(parent) && parent.getType().equals("decorated_definition")) {
      return true;
    }
    if (definition.getType().equals("class_definition")) {
      TSNode bases = definition.getChildByFieldName("superclasses");
      return !TreeSitter.isNull(bases) && bases.getNamedChildCount() > 0;
    }
    return false;
  }

  private void analyse(String name) {
    if (references.containsKey(name)) {
      return;
    }
    if (exports == null) {
      exports = analyzer.allExports(names);
    }
    List<Occurrence> occurrences = analyzer.occurrences(name);
    List<NameReference> found = new ArrayList<>(analyzer.resolve(name, occurrences));
    found.addAll(exports.getOrDefault(name, List.of()));
    found.sort((a, b) -> a.span().compareTo(b.span()));
    references.put(name, List.copyOf(found));
    bindings.put(name, analyzer.moduleBindings(name, occurrences));
  }

  // ---- analysis ------------------------------------------------------------------------------------

  private enum Role {
    LOAD,
    STORE,
    AUGMENTED,
    WALRUS,
    DELETE,
    PARAMETER,
    DEFINITION,
    IMPORT,
    GLOBAL,
    NONLOCAL,
    /** A name inside a string annotation. */
    STRING_ANNOTATION
  }

  private enum FrameKind {
    MODULE,
    CLASS,
    FUNCTION,
    LAMBDA,
    COMPREHENSION
  }

  /** A scope around an occurrence; {@code node} identifies it (by byte range). */
  private record Frame(FrameKind kind, int startByte, int endByte, EnclosingScope scope) {
    static final Frame MODULE = new Frame(FrameKind.MODULE, -1, -1, EnclosingScope.MODULE);

    boolean isFunctionLike() {
      return kind == FrameKind.FUNCTION || kind == FrameKind.LAMBDA || kind == FrameKind.COMPREHENSION;
    }
  }

  /** One identifier with the name, classified. */
  private record Occurrence(
      Span span,
      Role role,
      Evaluation evaluation,
      List<Frame> frames,
      List<StatementStep> path,
      Span mainBlock,
      boolean annotationInspected,
      boolean inSyntaxError) {
    Frame innermost() {
      return frames.get(0);
    }

    /** The frame a binding occurrence binds in (a walrus skips comprehensions, PEP 572). */
    Frame bindingFrame() {
      if (role == Role.WALRUS) {
        for (Frame frame : frames) {
          if (frame.kind() != FrameKind.COMPREHENSION) {
            return frame;
          }
        }
      }
      return frames.get(0);
    }

    boolean atImportTime() {
      for (Frame frame : frames) {
        if (frame.kind() == FrameKind.FUNCTION || frame.kind() == FrameKind.LAMBDA) {
          return false;
        }
      }
      return evaluation != Evaluation.ANNOTATION_NOT_EVALUATED && evaluation != Evaluation.STRING_ANNOTATION;
    }

    EnclosingScope function() {
      for (Frame frame : frames) {
        if (frame.kind() == FrameKind.FUNCTION) {
          return frame.scope();
        }
      }
      return null;
    }
  }

  private static final class Analyzer {
    private final SourceText text;
    private final TSNode root;
    private final ImportIndex imports;
    private final boolean futureAnnotations;
    private final NodePath.Finder finder;
    /** Frames by definition start byte (classes keyed negative), so every occurrence shares them. */
    private final Map<Integer, Frame> frames = new HashMap<>();
    /** {@link #bindsDunderName}, once asked. */
    private Boolean bindsDunderName;

    Analyzer(PythonModule module) {
      this.text = module.text();
      this.root = module.root();
      this.imports = module.imports();
      this.futureAnnotations = imports.hasFutureAnnotations();
      this.finder = new NodePath.Finder(root, module.topLevel());
    }

    List<Span> dynamicAccess() {
      List<Span> dynamic = new ArrayList<>();
      for (String name : DYNAMIC_ACCESS) {
        for (Occurrence occurrence : occurrences(name)) {
          if (occurrence.role() == Role.LOAD && isCalled(occurrence.span())) {
            dynamic.add(occurrence.span());
          }
        }
      }
      dynamic.sort(null);
      return List.copyOf(dynamic);
    }

    private boolean isCalled(Span span) {
      String source = text.text();
      int i = span.end();
      while (i < source.length() && (source.charAt(i) == ' ' || source.charAt(i) == '\t')) {
        i++;
      }
      return i < source.length() && source.charAt(i) == '(';
    }

    // ---- occurrences -----------------------------------------------------------------------------

    /**
     * Every identifier {@code name} in the tree, classified, plus names inside string annotations;
     * occurrences in other strings and comments drop out.
     */
    /** Every identifier node spelled {@code name}, in any role, and the word in broken code; not in strings. */
    List<Span> identifierSpans(String name) {
      List<Span> found = new ArrayList<>();
      forEachWord(name, (span, path) -> {
        String type = path.type(path.leaf());
        if (!STRING_NODES.contains(type) && !type.equals("comment")) {
          found.add(span);
        }
      });
      return found;
    }

    /** Calls {@code action} with each whole-word occurrence of {@code name} in the text and the path to it. */
    private void forEachWord(String name, java.util.function.BiConsumer<Span, NodePath> action) {
      String source = text.text();
      int from = 0;
      int at;
      while ((at = source.indexOf(name, from)) >= 0) {
        from = at + name.length();
        if (ImportIndex.isWord(source, at, name.length())) {
          action.accept(new Span(at, at + name.length()), finder.pathTo(text.offsetToByte(at)));
        }
      }
    }

    List<Occurrence> occurrences(String name) {
      List<Occurrence> found = new ArrayList<>();
      forEachWord(name, (span, path) -> {
        int startByte = text.offsetToByte(span.start());
        int leaf = path.leaf();
        String type = path.type(leaf);
        if (type.equals("identifier")) {
          if (path.startByte(leaf) == startByte && path.endByte(leaf) == text.offsetToByte(span.end())) {
            Occurrence occurrence = classify(path, span);
            if (occurrence != null) {
              found.add(occurrence);
            }
          }
        } else if (STRING_NODES.contains(type)) {
          if (path.lastIndexOf("type") >= 0) {
            found.add(
                new Occurrence(span, Role.STRING_ANNOTATION, Evaluation.STRING_ANNOTATION, List.of(Frame.MODULE),
                    List.of(), null, false, false));
          }
        } else if (!type.equals("comment")) {
          // a name the grammar could not place (inside an ERROR node): keep it, flagged, so that nothing
          // concludes "unused" from a broken tree
          found.add(
              new Occurrence(span, Role.LOAD, Evaluation.CODE, List.of(Frame.MODULE), List.of(), null, false, true));
        }
      });
      return found;
    }

    /** Role, frames and evaluation of one identifier; null when it is not a name (attribute, keyword). */
    private Occurrence classify(NodePath path, Span span) {
      int leaf = path.leaf();
      String parentType = path.type(leaf - 1);
      String field = path.field(leaf);
      if (parentType.equals("attribute") && field.equals("attribute")) {
        return null;
      }
      if (parentType.equals("keyword_argument") && field.equals("name")) {
        return null;
      }
      Role role = importRole(span);
      if (role == Role.LOAD) {
        return null; // a module path inside an import statement, not a name
      }
      if (role == null) {
        int child = leaf;
        while (TARGET_CONTAINERS.contains(path.type(child - 1))) {
          child--;
        }
        role = targetRole(path.type(child - 1), path.field(child), path.type(child));
      }
      return climb(path, span, role);
    }

    /** For identifiers inside an import statement: IMPORT for the bound name, LOAD (skip) for paths. */
    private Role importRole(Span span) {
      for (ImportStatement statement : imports.statements()) {
        if (statement.span().start() > span.start()) {
          return null;
        }
        if (!statement.span().contains(span)) {
          continue;
        }
        for (ImportedName name : statement.names()) {
          if (!name.span().contains(span)) {
            continue;
          }
          boolean bindsHere =
              name.hasAlias()
                  ? span.end() == name.span().end()
                  : statement.kind() != ImportKind.IMPORT || span.start() == name.span().start();
          return bindsHere ? Role.IMPORT : Role.LOAD;
        }
        return Role.LOAD;
      }
      return null;
    }

    /** The role of a name given its (container-skipped) parent's type and the field it fills there. */
    private static Role targetRole(String parentType, String field, String childType) {
      switch (parentType) {
        case "assignment", "for_statement", "for_in_clause":
          return field.equals("left") ? Role.STORE : Role.LOAD;
        case "augmented_assignment":
          return field.equals("left") ? Role.AUGMENTED : Role.LOAD;
        case "as_pattern_target":
          return Role.STORE;
        case "named_expression":
          return field.equals("name") ? Role.WALRUS : Role.LOAD;
        case "delete_statement":
          return Role.DELETE;
        case "global_statement":
          return Role.GLOBAL;
        case "nonlocal_statement":
          return Role.NONLOCAL;
        case "function_definition", "class_definition":
          return field.equals("name") ? Role.DEFINITION : Role.LOAD;
        case "parameters", "lambda_parameters":
          return Role.PARAMETER;
        case "default_parameter", "typed_default_parameter":
          return field.equals("name") ? Role.PARAMETER : Role.LOAD;
        case "typed_parameter":
          return childType.equals("type") ? Role.LOAD : Role.PARAMETER;
        default:
          return Role.LOAD;
      }
    }

    /** Walks the path from the identifier up: frames, evaluation context and statement nesting. */
    private Occurrence climb(NodePath path, Span span, Role role) {
      List<Frame> frames = new ArrayList<>();
      List<StatementStep> steps = new ArrayList<>();
      Evaluation evaluation = Evaluation.CODE;
      String annotationOwner = null; // "parameter", "return", "variable"
      int annotatedDefinition = -1;
      Span mainBlock = null;
      boolean inError = false;
      for (int i = path.leaf() - 1; i >= 0; i--) {
        String type = path.type(i);
        String childField = path.field(i + 1);
        switch (type) {
          case "type" -> {
            // a generic annotation nests types (list[Decimal]): the outermost one says whose annotation it is
            if (evaluation == Evaluation.CODE || evaluation == Evaluation.ANNOTATION) {
              evaluation = Evaluation.ANNOTATION;
              annotationOwner =
                  switch (path.type(i - 1)) {
                    case "function_definition" -> "return";
                    case "assignment" -> "variable";
                    default -> "parameter";
                  };
            }
          }
          case "decorator" -> {
            if (evaluation == Evaluation.CODE) {
              evaluation = Evaluation.DECORATOR;
            }
          }
          case "block", "module" ->
              steps.add(new StatementStep(path.span(text, i), path.span(text, i + 1), path.type(i + 1)));
          case "function_definition" -> {
            if (childField.equals("body")) {
              frames.add(functionFrame(path, i));
            } else if (childField.equals("parameters")) {
              if (role == Role.PARAMETER) {
                frames.add(functionFrame(path, i));
              } else if (evaluation == Evaluation.CODE) {
                evaluation = Evaluation.DEFAULT_ARGUMENT;
              } else if (evaluation == Evaluation.ANNOTATION) {
                annotatedDefinition = i;
              }
            } else if (evaluation == Evaluation.ANNOTATION) {
              annotatedDefinition = i; // return annotation
            }
          }
          case "lambda" -> {
            if (childField.equals("body") || role == Role.PARAMETER) {
              frames.add(new Frame(FrameKind.LAMBDA, path.startByte(i), path.endByte(i), null));
            } else if (evaluation == Evaluation.CODE) {
              evaluation = Evaluation.DEFAULT_ARGUMENT;
            }
          }
          case "class_definition" -> {
            if (childField.equals("body")) {
              frames.add(classFrame(path, i));
              if (evaluation == Evaluation.ANNOTATION && "variable".equals(annotationOwner) && frames.size() == 1) {
                annotatedDefinition = i;
              }
            } else if (childField.equals("superclasses") && evaluation == Evaluation.CODE) {
              evaluation = Evaluation.BASE_CLASS;
            }
          }
          case "if_statement" -> {
            if (childField.equals("consequence") && path.type(i - 1).equals("module")
                && PythonModule.isMainGuard(text, path.node(i))) {
              mainBlock = path.span(text, i);
            }
          }
          case "ERROR" -> inError = true;
          default -> {
            if (COMPREHENSIONS.contains(type)) {
              // the first iterable is evaluated in the enclosing frame, the rest in the comprehension's
              boolean firstIterable =
                  path.type(i + 1).equals("for_in_clause")
                      && path.field(i + 2).equals("right")
                      && isFirstForIn(path.node(i), path.node(i + 1));
              if (!firstIterable) {
                frames.add(new Frame(FrameKind.COMPREHENSION, path.startByte(i), path.endByte(i), null));
              }
            }
          }
        }
      }
      frames.add(Frame.MODULE);
      if (evaluation == Evaluation.ANNOTATION && !annotationEvaluated(annotationOwner, frames.get(0))) {
        evaluation = Evaluation.ANNOTATION_NOT_EVALUATED;
      }
      boolean inspected = annotatedDefinition >= 0 && mayInspectAnnotations(path.node(annotatedDefinition));
      return new Occurrence(
          span, role, evaluation, List.copyOf(frames), List.copyOf(steps), mainBlock, inspected, inError);
    }

    private boolean annotationEvaluated(String owner, Frame innermost) {
      if (futureAnnotations) {
        return false;
      }
      // a local variable's annotation is never evaluated; module and class ones go to __annotations__
      return !"variable".equals(owner) || !innermost.isFunctionLike();
    }



    private static boolean isFirstForIn(TSNode comprehension, TSNode forIn) {
      int count = comprehension.getNamedChildCount();
      for (int i = 0; i < count; i++) {
        TSNode candidate = comprehension.getNamedChild(i);
        if (candidate.getType().equals("for_in_clause")) {
          return TSNode.eq(candidate, forIn);
        }
      }
      return false;
    }

    private Frame functionFrame(NodePath path, int i) {
      return frames.computeIfAbsent(
          path.startByte(i),
          start ->
              new Frame(
                  FrameKind.FUNCTION,
                  start,
                  path.endByte(i),
                  new EnclosingScope(ScopeKind.FUNCTION, nameOf(path.node(i)), path.span(text, i))));
    }

    private Frame classFrame(NodePath path, int i) {
      return frames.computeIfAbsent(
          -1 - path.startByte(i), // classes and functions never start at the same byte; keep keys apart anyway
          key ->
              new Frame(
                  FrameKind.CLASS,
                  path.startByte(i),
                  path.endByte(i),
                  new EnclosingScope(ScopeKind.CLASS, nameOf(path.node(i)), path.span(text, i))));
    }

    private String nameOf(TSNode definition) {
      TSNode name = definition.getChildByFieldName("name");
      return TreeSitter.isNull(name) ? "" : TreeSitter.text(text, name);
    }

    // ---- resolution ------------------------------------------------------------------------------

    /** The loads among {@code occurrences} that resolve to the module-level binding. */
    List<NameReference> resolve(String name, List<Occurrence> occurrences) {
      Set<Frame> localBindings = new LinkedHashSet<>();
      Set<Frame> globalDeclared = new LinkedHashSet<>();
      Map<Frame, List<Integer>> classBindingOffsets = new HashMap<>();
      for (Occurrence o : occurrences) {
        switch (o.role()) {
          case GLOBAL -> globalDeclared.add(o.innermost());
          case NONLOCAL -> localBindings.add(o.innermost()); // bound by an enclosing function, not the module
          case LOAD, STRING_ANNOTATION -> {}
          default -> {
            Frame frame = o.bindingFrame();
            localBindings.add(frame);
            if (frame.kind() == FrameKind.CLASS) {
              classBindingOffsets.computeIfAbsent(frame, f -> new ArrayList<>()).add(o.span().start());
            }
          }
        }
      }
      List<NameReference> result = new ArrayList<>();
      for (Occurrence o : occurrences) {
        if (o.role() != Role.LOAD && o.role() != Role.AUGMENTED && o.role() != Role.STRING_ANNOTATION) {
          continue;
        }
        if (resolvesToModule(o, localBindings, globalDeclared, classBindingOffsets)) {
          // the main block runs only when the file is a script, unless the module may make __name__ "__main__"
          Span mainBlock = o.mainBlock() == null || bindsDunderName() ? null : o.mainBlock();
          result.add(
              new NameReference(
                  name,
                  o.span(),
                  o.evaluation(),
                  mainBlock == null && o.atImportTime(),
                  o.function(),
                  mainBlock,
                  o.path(),
                  o.annotationInspected(),
                  o.inSyntaxError()));
        }
      }
      return result;
    }

    /**
     * Whether the module binds {@code __name__} anywhere (assigns, imports, deletes, declares it global, takes
     * it as a parameter...): then {@code if __name__ == "__main__":} may hold on import after all.
     */
    private boolean bindsDunderName() {
      if (bindsDunderName == null) {
        bindsDunderName =
            occurrences(DUNDER_NAME).stream()
                .anyMatch(o -> o.role() != Role.LOAD && o.role() != Role.STRING_ANNOTATION);
      }
      return bindsDunderName;
    }

    private static boolean resolvesToModule(
        Occurrence o, Set<Frame> local, Set<Frame> global, Map<Frame, List<Integer>> classBindings) {
      List<Frame> frames = o.frames();
      for (int i = 0; i < frames.size(); i++) {
        Frame frame = frames.get(i);
        switch (frame.kind()) {
          case MODULE -> {
            return true;
          }
          case CLASS -> {
            // a class body sees its own earlier bindings; nested scopes do not see the class at all
            if (i == 0) {
              for (int offset : classBindings.getOrDefault(frame, List.of())) {
                if (offset < o.span().start()) {
                  return false;
                }
              }
            }
          }
          default -> {
            if (global.contains(frame)) {
              return true;
            }
            if (local.contains(frame)) {
              return false;
            }
          }
        }
      }
      return true;
    }

    /** Module-level (re)bindings of {@code name}, plus stores in functions that declare it global. */
    List<NameBinding> moduleBindings(String name, List<Occurrence> occurrences) {
      Set<Frame> globalDeclared = new LinkedHashSet<>();
      for (Occurrence o : occurrences) {
        if (o.role() == Role.GLOBAL) {
          globalDeclared.add(o.innermost());
        }
      }
      List<NameBinding> result = new ArrayList<>();
      for (Occurrence o : occurrences) {
        NameBinding.Kind kind =
            switch (o.role()) {
              case STORE, WALRUS -> NameBinding.Kind.ASSIGNMENT;
              case AUGMENTED -> NameBinding.Kind.AUGMENTED_ASSIGNMENT;
              case DELETE -> NameBinding.Kind.DELETE;
              case DEFINITION -> NameBinding.Kind.DEFINITION;
              case IMPORT -> NameBinding.Kind.IMPORT;
              case GLOBAL -> NameBinding.Kind.GLOBAL_DECLARATION;
              default -> null;
            };
        if (kind == null) {
          continue;
        }
        Frame frame = o.bindingFrame();
        if (frame.kind() == FrameKind.MODULE) {
          result.add(new NameBinding(name, o.span(), kind, null));
        } else if (globalDeclared.contains(frame)) {
          result.add(new NameBinding(name, o.span(), kind, o.function()));
        }
      }
      return List.copyOf(result);
    }

    // ---- strings: annotations and __all__ --------------------------------------------------------

    /** Strings in module-level {@code __all__ = [...]}, {@code __all__ += [...]}, {@code __all__.extend(...)}. */
    Map<String, List<NameReference>> allExports(Set<String> names) {
      Map<String, List<NameReference>> exports = new HashMap<>();
      Set<Span> statements = new LinkedHashSet<>();
      for (Occurrence o : occurrences(ALL)) {
        if (o.innermost().kind() == FrameKind.MODULE && !o.path().isEmpty()) {
          statements.add(o.path().get(o.path().size() - 1).statement());
        }
      }
      for (Span statement : statements) {
        TSNode node =
            root.getNamedDescendantForByteRange(text.offsetToByte(statement.start()), text.offsetToByte(statement.end()));
        for (TSNode content : TreeSitter.captures(STRING_CONTENTS, node)) {
          Span contentSpan = TreeSitter.span(text, content);
          String value = text.slice(contentSpan);
          if (names.contains(value)) {
            exports
                .computeIfAbsent(value, v -> new ArrayList<>())
                .add(new NameReference(
                    value, contentSpan, Evaluation.ALL_EXPORT, true, null, null, List.of(), false, false));
          }
        }
      }
      return exports;
    }
  }
}
