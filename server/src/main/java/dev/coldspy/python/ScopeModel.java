package dev.coldspy.python;

import dev.coldspy.text.SourceText;
import dev.coldspy.text.Span;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.treesitter.TSNode;
import org.treesitter.TSQuery;

/**
 * Where each name bound by a module-level import is used, following Python's scoping rules.
 *
 * <p>How: every whole-word occurrence of the names in the text is looked up in the tree (one byte-range
 * descent each; strings and comments drop out), and only those identifiers climb their ancestor chain to
 * learn their role (load, store, parameter, {@code del}, {@code global}, ...), the frames around them
 * (module, class, function, lambda, comprehension) and what evaluates them (decorator, default argument,
 * base class, annotation). Scope resolution then follows Python: a function that binds the name anywhere
 * (and does not declare it {@code global}) shadows it everywhere in its body; class scopes are not visible
 * from nested functions; a comprehension's first iterable runs in the enclosing frame; a walrus in a
 * comprehension binds in the enclosing function. The work is proportional to the occurrences of imported
 * names, not to the size of the tree.
 */
public final class ScopeModel {
  private static final TSQuery ANNOTATIONS = TreeSitter.query("(type) @annotation");
  private static final TSQuery STRING_CONTENTS = TreeSitter.query("(string_content) @content");
  /** Calls that read or write a namespace by string: a module using them may reach any name dynamically. */
  private static final Set<String> DYNAMIC_ACCESS = Set.of("globals", "vars", "eval", "exec");
  private static final String ALL = "__all__";
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
  private static final Set<String> SKIPPED_NODES =
      Set.of("string_content", "string", "comment", "escape_sequence", "string_start", "string_end");

  private final Map<String, List<NameReference>> references;
  private final Map<String, List<NameBinding>> bindings;
  private final List<Span> dynamicAccess;

  private ScopeModel(
      Map<String, List<NameReference>> references,
      Map<String, List<NameBinding>> bindings,
      List<Span> dynamicAccess) {
    this.references = references;
    this.bindings = bindings;
    this.dynamicAccess = List.copyOf(dynamicAccess);
  }

  /** The names this model analysed: every name bound by a module-level import. */
  public Set<String> names() {
    return references.keySet();
  }

  /** Uses of the module-level binding of {@code name}, in document order (empty for an unknown name). */
  public List<NameReference> references(String name) {
    return references.getOrDefault(name, List.of());
  }

  /** Every module-level (re)binding of {@code name}, including import statements, in document order. */
  public List<NameBinding> bindings(String name) {
    return bindings.getOrDefault(name, List.of());
  }

  /** Calls of {@code globals()}, {@code vars()}, {@code eval()} or {@code exec()} anywhere in the module. */
  public List<Span> dynamicNamespaceAccess() {
    return dynamicAccess;
  }

  // ---- building ------------------------------------------------------------------------------------

  static ScopeModel build(PythonModule module) {
    return new Builder(module).build();
  }

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
    NONLOCAL
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

  private static final class Builder {
    private final SourceText text;
    private final TSNode root;
    private final ImportIndex imports;
    private final boolean futureAnnotations;

    Builder(PythonModule module) {
      this.text = module.text();
      this.root = module.root();
      this.imports = module.imports();
      this.futureAnnotations = imports.hasFutureAnnotations();
    }

    ScopeModel build() {
      Set<String> names = new LinkedHashSet<>();
      for (ImportStatement statement : imports.moduleLevel()) {
        names.addAll(statement.boundNames());
      }
      Map<String, List<NameReference>> references = new LinkedHashMap<>();
      Map<String, List<NameBinding>> bindings = new LinkedHashMap<>();
      for (String name : names) {
        List<Occurrence> occurrences = occurrences(name);
        references.put(name, resolve(name, occurrences));
        bindings.put(name, moduleBindings(name, occurrences));
      }
      addStringAnnotations(names, references);
      addAllExports(names, references);
      references.replaceAll((name, list) -> sorted(list));
      List<Span> dynamic = new ArrayList<>();
      for (String name : DYNAMIC_ACCESS) {
        for (Occurrence occurrence : occurrences(name)) {
          if (occurrence.role() == Role.LOAD && isCalled(occurrence.span())) {
            dynamic.add(occurrence.span());
          }
        }
      }
      dynamic.sort(null);
      return new ScopeModel(references, bindings, dynamic);
    }

    private static List<NameReference> sorted(List<NameReference> list) {
      List<NameReference> copy = new ArrayList<>(list);
      copy.sort((a, b) -> a.span().compareTo(b.span()));
      return List.copyOf(copy);
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

    /** Every identifier {@code name} in the tree, classified; occurrences in strings/comments drop out. */
    private List<Occurrence> occurrences(String name) {
      List<Occurrence> found = new ArrayList<>();
      String source = text.text();
      int from = 0;
      while (true) {
        int at = source.indexOf(name, from);
        if (at < 0) {
          break;
        }
        from = at + name.length();
        if (!isWordAt(source, at, name.length())) {
          continue;
        }
        Span span = new Span(at, at + name.length());
        int startByte = text.offsetToByte(span.start());
        int endByte = text.offsetToByte(span.end());
        TSNode node = root.getNamedDescendantForByteRange(startByte, endByte);
        if (TreeSitter.isNull(node)) {
          continue;
        }
        String type = node.getType();
        if (type.equals("identifier") && node.getStartByte() == startByte && node.getEndByte() == endByte) {
          Occurrence occurrence = classify(node, span);
          if (occurrence != null) {
            found.add(occurrence);
          }
        } else if (!SKIPPED_NODES.contains(type) && !type.equals("identifier")) {
          // a name the grammar could not place (inside an ERROR node): keep it, flagged, so that nothing
          // concludes "unused" from a broken tree
          found.add(
              new Occurrence(span, Role.LOAD, Evaluation.CODE, List.of(Frame.MODULE), List.of(), false, true));
        }
      }
      return found;
    }

    private static boolean isWordAt(String source, int at, int length) {
      return (at == 0 || !isNameChar(source.charAt(at - 1)))
          && (at + length >= source.length() || !isNameChar(source.charAt(at + length)));
    }

    private static boolean isNameChar(char c) {
      return c == '_' || Character.isLetterOrDigit(c) || Character.isSurrogate(c);
    }

    /** Role, frames and evaluation of one identifier; null when it is not a name (attribute, keyword). */
    private Occurrence classify(TSNode identifier, Span span) {
      TSNode child = identifier;
      TSNode parent = identifier.getParent();
      if (TreeSitter.isNull(parent)) {
        return null;
      }
      String parentType = parent.getType();
      if (parentType.equals("attribute") && isField(parent, "attribute", child)) {
        return null;
      }
      if (parentType.equals("keyword_argument") && isField(parent, "name", child)) {
        return null;
      }
      Role role;
      Role importRole = importRole(span);
      if (importRole != null) {
        role = importRole;
        if (role == Role.LOAD) {
          return null; // a module path inside an import statement, not a name
        }
      } else {
        while (TARGET_CONTAINERS.contains(parent.getType())) {
          child = parent;
          parent = parent.getParent();
        }
        role = targetRole(parent, child);
      }
      // the scope climb starts at the identifier again: target containers are not scopes
      return climb(identifier, span, role);
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
                  : statement.kind() == ImportKind.IMPORT ? span.start() == name.span().start() : true;
          return bindsHere ? Role.IMPORT : Role.LOAD;
        }
        return Role.LOAD;
      }
      return null;
    }

    private Role targetRole(TSNode parent, TSNode child) {
      switch (parent.getType()) {
        case "assignment":
          return isField(parent, "left", child) ? Role.STORE : Role.LOAD;
        case "augmented_assignment":
          return isField(parent, "left", child) ? Role.AUGMENTED : Role.LOAD;
        case "for_statement":
        case "for_in_clause":
          return isField(parent, "left", child) ? Role.STORE : Role.LOAD;
        case "as_pattern_target":
          return Role.STORE;
        case "named_expression":
          return isField(parent, "name", child) ? Role.WALRUS : Role.LOAD;
        case "delete_statement":
          return Role.DELETE;
        case "global_statement":
          return Role.GLOBAL;
        case "nonlocal_statement":
          return Role.NONLOCAL;
        case "function_definition":
        case "class_definition":
          return isField(parent, "name", child) ? Role.DEFINITION : Role.LOAD;
        case "parameters":
        case "lambda_parameters":
          return Role.PARAMETER;
        case "default_parameter":
        case "typed_default_parameter":
          return isField(parent, "name", child) ? Role.PARAMETER : Role.LOAD;
        case "typed_parameter":
          return child.getType().equals("type") ? Role.LOAD : Role.PARAMETER;
        default:
          return Role.LOAD;
      }
    }

    /** Climbs from the identifier to the module, collecting frames, evaluation context and statement path. */
    private Occurrence climb(TSNode identifier, Span span, Role role) {
      List<Frame> frames = new ArrayList<>();
      List<StatementStep> path = new ArrayList<>();
      Evaluation evaluation = Evaluation.CODE;
      String annotationOwner = null; // "parameter", "return", "variable"
      TSNode annotatedDefinition = null;
      boolean inError = false;
      TSNode grandchild = null;
      TSNode child = identifier;
      String childType = "identifier";
      TSNode parent = identifier.getParent();
      while (!TreeSitter.isNull(parent)) {
        String type = parent.getType();
        switch (type) {
          case "type" -> {
            if (evaluation == Evaluation.CODE) {
              evaluation = Evaluation.ANNOTATION;
              TSNode holder = parent.getParent();
              String holderType = TreeSitter.isNull(holder) ? "" : holder.getType();
              annotationOwner =
                  switch (holderType) {
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
              path.add(new StatementStep(TreeSitter.span(text, parent), TreeSitter.span(text, child), childType));
          case "function_definition" -> {
            if (isField(parent, "body", child)) {
              frames.add(functionFrame(parent));
            } else if (isField(parent, "parameters", child)) {
              if (role == Role.PARAMETER) {
                frames.add(functionFrame(parent));
              } else if (evaluation == Evaluation.CODE) {
                evaluation = Evaluation.DEFAULT_ARGUMENT;
              } else if (evaluation == Evaluation.ANNOTATION) {
                annotatedDefinition = parent;
              }
            } else if (evaluation == Evaluation.ANNOTATION) {
              annotatedDefinition = parent; // return annotation
            }
          }
          case "lambda" -> {
            if (isField(parent, "body", child) || role == Role.PARAMETER) {
              frames.add(new Frame(FrameKind.LAMBDA, parent.getStartByte(), parent.getEndByte(), null));
            } else if (evaluation == Evaluation.CODE) {
              evaluation = Evaluation.DEFAULT_ARGUMENT;
            }
          }
          case "class_definition" -> {
            if (isField(parent, "body", child)) {
              frames.add(classFrame(parent));
              if (evaluation == Evaluation.ANNOTATION && "variable".equals(annotationOwner) && frames.size() == 1) {
                annotatedDefinition = parent;
              }
            } else if (isField(parent, "superclasses", child) && evaluation == Evaluation.CODE) {
              evaluation = Evaluation.BASE_CLASS;
            }
          }
          case "ERROR" -> inError = true;
          default -> {
            if (COMPREHENSIONS.contains(type)) {
              // the first iterable is evaluated in the enclosing frame, the rest in the comprehension's
              boolean firstIterable =
                  child.getType().equals("for_in_clause")
                      && grandchild != null
                      && isField(child, "right", grandchild)
                      && isFirstForIn(parent, child);
              if (!firstIterable) {
                frames.add(new Frame(FrameKind.COMPREHENSION, parent.getStartByte(), parent.getEndByte(), null));
              }
            }
          }
        }
        grandchild = child;
        childType = type;
        child = parent;
        parent = parent.getParent();
      }
      frames.add(Frame.MODULE);
      if (evaluation == Evaluation.ANNOTATION && !annotationEvaluated(annotationOwner, frames.get(0))) {
        evaluation = Evaluation.ANNOTATION_NOT_EVALUATED;
      }
      boolean inspected = annotatedDefinition != null && mayInspectAnnotations(annotatedDefinition);
      return new Occurrence(span, role, evaluation, List.copyOf(frames), List.copyOf(path), inspected, inError);
    }

    private boolean annotationEvaluated(String owner, Frame innermost) {
      if (futureAnnotations) {
        return false;
      }
      // a local variable's annotation is never evaluated; module and class ones go to __annotations__
      return !"variable".equals(owner) || !innermost.isFunctionLike();
    }

    /** Decorated definitions and classes with bases may hand their annotations to a library at runtime. */
    private static boolean mayInspectAnnotations(TSNode definition) {
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

    private Frame functionFrame(TSNode definition) {
      return new Frame(
          FrameKind.FUNCTION,
          definition.getStartByte(),
          definition.getEndByte(),
          new EnclosingScope(ScopeKind.FUNCTION, nameOf(definition), TreeSitter.span(text, definition)));
    }

    private Frame classFrame(TSNode definition) {
      return new Frame(
          FrameKind.CLASS,
          definition.getStartByte(),
          definition.getEndByte(),
          new EnclosingScope(ScopeKind.CLASS, nameOf(definition), TreeSitter.span(text, definition)));
    }

    private String nameOf(TSNode definition) {
      TSNode name = definition.getChildByFieldName("name");
      return TreeSitter.isNull(name) ? "" : TreeSitter.text(text, name);
    }

    private static boolean isField(TSNode parent, String field, TSNode child) {
      TSNode fieldNode = parent.getChildByFieldName(field);
      return !TreeSitter.isNull(fieldNode) && TSNode.eq(fieldNode, child);
    }

    // ---- resolution ------------------------------------------------------------------------------

    /** The loads among {@code occurrences} that resolve to the module-level binding. */
    private List<NameReference> resolve(String name, List<Occurrence> occurrences) {
      Set<Frame> localBindings = new LinkedHashSet<>();
      Set<Frame> globalDeclared = new LinkedHashSet<>();
      Map<Frame, List<Integer>> classBindingOffsets = new HashMap<>();
      for (Occurrence o : occurrences) {
        switch (o.role()) {
          case GLOBAL -> globalDeclared.add(o.innermost());
          case NONLOCAL -> localBindings.add(o.innermost()); // bound by an enclosing function, not the module
          case LOAD -> {}
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
        if (o.role() != Role.LOAD && o.role() != Role.AUGMENTED) {
          continue;
        }
        if (resolvesToModule(o, localBindings, globalDeclared, classBindingOffsets)) {
          result.add(
              new NameReference(
                  name,
                  o.span(),
                  o.evaluation(),
                  o.atImportTime(),
                  o.function(),
                  o.path(),
                  o.annotationInspected(),
                  o.inSyntaxError()));
        }
      }
      return result;
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
    private List<NameBinding> moduleBindings(String name, List<Occurrence> occurrences) {
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

    /** Names inside string annotations ({@code x: "Policy"}, {@code Optional["Policy"]}). */
    private void addStringAnnotations(Set<String> names, Map<String, List<NameReference>> references) {
      for (TSNode annotation : TreeSitter.captures(ANNOTATIONS, root)) {
        Span span = TreeSitter.span(text, annotation);
        String source = text.slice(span);
        if (source.indexOf('"') < 0 && source.indexOf('\'') < 0) {
          continue;
        }
        for (TSNode content : TreeSitter.captures(STRING_CONTENTS, annotation)) {
          Span contentSpan = TreeSitter.span(text, content);
          String value = text.slice(contentSpan);
          for (String name : names) {
            int from = 0;
            int at;
            while ((at = value.indexOf(name, from)) >= 0) {
              from = at + name.length();
              if (isWordAt(value, at, name.length())) {
                Span nameSpan = new Span(contentSpan.start() + at, contentSpan.start() + at + name.length());
                references
                    .get(name)
                    .add(
                        new NameReference(
                            name, nameSpan, Evaluation.STRING_ANNOTATION, false, null, List.of(), false, false));
              }
            }
          }
        }
      }
    }

    /** Strings in module-level {@code __all__ = [...]}, {@code __all__ += [...]}, {@code __all__.extend(...)}. */
    private void addAllExports(Set<String> names, Map<String, List<NameReference>> references) {
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
            references
                .get(value)
                .add(new NameReference(value, contentSpan, Evaluation.ALL_EXPORT, true, null, List.of(), false, false));
          }
        }
      }
    }
  }
}
