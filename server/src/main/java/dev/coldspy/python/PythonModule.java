package dev.coldspy.python;

import dev.coldspy.text.SourceText;
import dev.coldspy.text.Span;
import dev.coldspy.text.TsPoint;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.treesitter.TSInputEdit;
import org.treesitter.TSNode;
import org.treesitter.TSPoint;
import org.treesitter.TSQuery;
import org.treesitter.TSTree;

/**
 * A parsed Python module: its text, its tree-sitter syntax tree (error-tolerant: a syntax error becomes an
 * {@code ERROR}/{@code MISSING} node and the rest of the file is still analysed) and, computed on first use
 * and cached, its {@link ImportIndex}, {@link ScopeModel} and function definitions.
 *
 * <p>Immutable from the outside; {@link #reparse(String)} returns a new module, re-using the old tree for an
 * incremental parse. Tree access is serialised on the instance, so one module can be shared between threads.
 */
public final class PythonModule {
  private static final String DEF = "def";
  private static final TSQuery ERRORS = TreeSitter.query("[(ERROR) (MISSING)] @error");
  /** Expressions that can be pasted into any expression without parentheses. */
  private static final Set<String> ATOMIC_EXPRESSIONS =
      Set.of(
          "identifier", "attribute", "call", "subscript", "string", "concatenated_string", "integer", "float",
          "true", "false", "none", "parenthesized_expression", "list", "dictionary", "set", "tuple",
          "list_comprehension", "dictionary_comprehension", "set_comprehension", "generator_expression");

  private final SourceText text;
  private final ModuleIdentity identity;
  private final TSTree tree;
  private ImportIndex imports;
  private ScopeModel scopes;
  private List<FunctionDefinition> functions;
  private NodePath.TopLevel topLevel;
  private Optional<Span> topLevelEffect;
  private Optional<Span> outwardEffect;
  /** Marks a class name among the names {@link #outwardEffect()} collects (no identifier holds a space). */
  private static final String CLASS_PREFIX = "class ";
  /** The module's top-level {@code def}s without decorators, by name: what a call of one at import time runs. */
  private Map<String, TSNode> plainFunctions;
  /** Its own functions whose bodies {@link #outwardEffect()} is looking into (a recursive call adds nothing). */
  private final Set<String> functionsBeingRead = new HashSet<>();
  /** {@code sys.modules[__name__]}: the module object itself, looked up by its own name. */
  public static final Pattern MODULE_ITSELF = Pattern.compile("\\bsys\\s*\\.\\s*modules\\s*\\[\\s*__name__\\s*\\]");
  /** Names bound at the top level to the module object itself ({@code module = sys.modules[__name__]}). */
  private Set<String> selfNames;

  private PythonModule(SourceText text, ModuleIdentity identity, TSTree tree) {
    this.text = text;
    this.identity = identity;
    this.tree = tree;
  }

  public static PythonModule parse(String source) {
    return parse(source, ModuleIdentity.UNKNOWN);
  }

  public static PythonModule parse(String source, ModuleIdentity identity) {
    SourceText text = SourceText.of(source);
    return new PythonModule(text, identity, TreeSitter.parse(text, null));
  }

  /**
   * The module for {@code newSource}, parsed incrementally from this one: the changed region is found as
   * the difference between the common prefix and suffix of the two texts.
   */
  public PythonModule reparse(String newSource) {
    SourceText next = SourceText.of(newSource);
    String before = text.text();
    String after = next.text();
    int limit = Math.min(before.length(), after.length());
    int prefix = 0;
    while (prefix < limit && before.charAt(prefix) == after.charAt(prefix)) {
      prefix++;
    }
    // a \r whose meaning depends on the next character, or half a surrogate pair, must be re-read
    while (prefix > 0
        && (before.charAt(prefix - 1) == '\r' || Character.isHighSurrogate(before.charAt(prefix - 1)))) {
      prefix--;
    }
    int suffix = 0;
    while (suffix < limit - prefix
        && before.charAt(before.length() - 1 - suffix) == after.charAt(after.length() - 1 - suffix)) {
      suffix++;
    }
    while (suffix > 0 && Character.isLowSurrogate(before.charAt(before.length() - suffix))) {
      suffix--;
    }
    int oldEnd = before.length() - suffix;
    int newEnd = after.length() - suffix;
    TSInputEdit edit =
        new TSInputEdit(
            text.offsetToByte(prefix),
            text.offsetToByte(oldEnd),
            next.offsetToByte(newEnd),
            point(text.toTsPoint(prefix)),
            point(text.toTsPoint(oldEnd)),
            point(next.toTsPoint(newEnd)));
    TSTree edited;
    synchronized (this) {
      edited = tree.copy();
    }
    edited.edit(edit);
    return new PythonModule(next, identity, TreeSitter.parse(next, edited));
  }

  private static TSPoint point(TsPoint p) {
    return new TSPoint(p.row(), p.byteColumn());
  }

  public SourceText text() {
    return text;
  }

  public String source() {
    return text.text();
  }

  public ModuleIdentity identity() {
    return identity;
  }

  /** Whether the tree has any syntax error. */
  public synchronized boolean hasSyntaxErrors() {
    return tree.getRootNode().hasError();
  }

  /** The spans of {@code ERROR} and {@code MISSING} nodes (outermost first). */
  public synchronized List<Span> syntaxErrors() {
    List<Span> spans = new ArrayList<>();
    for (TSNode node : TreeSitter.captures(ERRORS, tree.getRootNode())) {
      spans.add(TreeSitter.span(text, node));
    }
    return spans;
  }

  /** The import index, built on first use. */
  public synchronized ImportIndex imports() {
    if (imports == null) {
      imports = ImportIndex.build(text, finder(), identity);
    }
    return imports;
  }

  /** The scope model (uses of every name bound by a module-level import), built on first use. */
  public synchronized ScopeModel scopes() {
    if (scopes == null) {
      scopes = ScopeModel.build(this);
    }
    return scopes;
  }

  /**
   * The module docstring (the string statement first in the file), or null. A {@code from __future__}
   * import must come right after it.
   */
  public synchronized Span docstring() {
    TSNode root = tree.getRootNode();
    TSNode first = null;
    int count = root.getNamedChildCount();
    for (int i = 0; i < count && first == null; i++) {
      TSNode child = root.getNamedChild(i);
      if (!child.getType().equals("comment")) {
        first = child;
      }
    }
    if (first == null || !first.getType().equals("expression_statement") || first.getNamedChildCount() != 1) {
      return null;
    }
    String type = first.getNamedChild(0).getType();
    return type.equals("string") || type.equals("concatenated_string") ? TreeSitter.span(text, first) : null;
  }

  /** Every function definition of the module, nested ones included, in document order (found on first use). */
  public synchronized List<FunctionDefinition> functions() {
    if (functions == null) {
      functions = findFunctions();
    }
    return functions;
  }

  /**
   * Found as the import index finds statements: by searching the text for the {@code def} keyword and
   * descending the tree to each occurrence (the path down holds the classes and functions around it). A walk
   * over the whole tree would make native calls for every node of every function body.
   */
  private List<FunctionDefinition> findFunctions() {
    List<FunctionDefinition> found = new ArrayList<>();
    NodePath.Finder finder = finder();
    Map<Integer, String> definitionNames = new HashMap<>();
    String source = text.text();
    int from = 0;
    int at;
    while ((at = source.indexOf(DEF, from)) >= 0) {
      from = at + DEF.length();
      if (!ImportIndex.isWord(source, at, DEF.length())) {
        continue;
      }
      int startByte = text.offsetToByte(at);
      NodePath path = finder.pathTo(startByte);
      int definition = path.leaf() - 1;
      if (!path.type(path.leaf()).equals(DEF)
          || !path.type(definition).equals("function_definition")
          || path.startByte(path.leaf()) != startByte) {
        continue; // in a string, a comment or a syntax error
      }
      String name = definitionName(path, definition, definitionNames);
      if (name == null) {
        continue;
      }
      StringBuilder qualified = new StringBuilder();
      for (int i = 0; i < definition; i++) {
        String type = path.type(i);
        boolean function = type.equals("function_definition");
        if (function || type.equals("class_definition")) {
          String enclosing = definitionName(path, i, definitionNames);
          if (enclosing != null) {
            qualified.append(enclosing).append(function ? ".<locals>." : ".");
          }
        }
      }
      Span span = path.span(text, definition);
      found.add(new FunctionDefinition(qualified.append(name).toString(), text.lineOfOffset(span.start()),
          text.lineOfOffset(span.end())));
    }
    return List.copyOf(found);
  }

  /** The name of the class or function definition at {@code path[i]}, or null; remembered by start byte. */
  private String definitionName(NodePath path, int i, Map<Integer, String> names) {
    return names.computeIfAbsent(path.startByte(i), start -> {
      TSNode name = path.node(i).getChildByFieldName("name");
      return TreeSitter.isNull(name) ? null : TreeSitter.text(text, name);
    });
  }

  /**
   * The whole annotation a reference is part of: the outermost {@code type} node around it, so that for
   * {@code x: list[Decimal]} it is {@code list[Decimal]}, not the inner {@code Decimal}; null when the
   * reference is in no annotation.
   */
  public synchronized Span annotationAround(NameReference reference) {
    Span span = reference.span();
    TSNode node =
        tree.getRootNode()
            .getNamedDescendantForByteRange(text.offsetToByte(span.start()), text.offsetToByte(span.end()));
    TSNode outermost = null;
    for (TSNode at = node; !TreeSitter.isNull(at); at = at.getParent()) {
      if (at.getType().equals("type")) {
        outermost = at;
      }
    }
    return outermost == null ? null : TreeSitter.span(text, outermost);
  }

  /**
   * The first module-level statement that does more than define things, or null: importing a module whose
   * top level only has imports, {@code def}s, undecorated classes, assignments of literals and conditions
   * without calls over such statements changes nothing outside it, so an unused import of it may go.
   * Decorators count as effects (they often register the definition somewhere).
   */
  public synchronized Span topLevelEffect() {
    if (topLevelEffect == null) {
      topLevelEffect = Optional.ofNullable(firstEffect(tree.getRootNode()));
    }
    return topLevelEffect.orElse(null);
  }

  /**
   * The first statement of the module's top level (inside {@code if}/{@code try}/{@code with}/loop blocks too)
   * that acts on the world outside the module: a call whose value is dropped, on something the module did
   * not create itself ({@code codecs.register(f)}, {@code warnings.simplefilter(...)},
   * {@code sys.path.append(...)}, {@code register()}), or an assignment or deletion of an attribute or item
   * of such a thing ({@code json.dumps = ...}, {@code os.environ["TZ"] = ...}); or null. Looser than
   * {@link #topLevelEffect()}: a library's {@code PATTERN = re.compile(...)} or
   * {@code _registry.update(...)} on its own {@code _registry = {}} keeps the result to itself, so importing
   * the library for nothing does nothing and may be dropped. Nor do these act: importing other modules by
   * name ({@code __import__(dependency)}), a deprecation notice ({@code warnings.warn(...)}), registering an
   * own class with an ABC, setting up the library's own logger
   * ({@code logging.getLogger(__name__).addHandler(NullHandler())}), setting names on the module itself
   * ({@code setattr(sys.modules[__name__], name, value)}, PIL's enum constants), and calling one of its own
   * undecorated functions whose body does none of the above to anything but its own module, its parameters and
   * its locals (requests' {@code check_compatibility(...)}, which asserts on versions and warns).
   */
  public synchronized Span outwardEffect() {
    if (outwardEffect == null) {
      Set<String> own = new HashSet<>();
      collectAssignedNames(tree.getRootNode(), own);
      plainFunctions = new HashMap<>();
      selfNames = new HashSet<>();
      TSNode root = tree.getRootNode();
      for (int i = 0; i < root.getNamedChildCount(); i++) {
        TSNode statement = root.getNamedChild(i);
        if (statement.getType().equals("function_definition")) {
          plainFunctions.put(TreeSitter.text(text, statement.getChildByFieldName("name")), statement);
        } else if (statement.getType().equals("expression_statement") && statement.getNamedChildCount() == 1
            && statement.getNamedChild(0).getType().equals("assignment")) {
          TSNode assignment = statement.getNamedChild(0);
          TSNode left = assignment.getChildByFieldName("left");
          TSNode right = assignment.getChildByFieldName("right");
          if (!TreeSitter.isNull(left) && left.getType().equals("identifier") && !TreeSitter.isNull(right)
              && MODULE_ITSELF.matcher(TreeSitter.text(text, right)).matches()) {
            selfNames.add(TreeSitter.text(text, left));
          }
        }
      }
      outwardEffect = Optional.ofNullable(firstOutwardEffect(tree.getRootNode(), own));
    }
    return outwardEffect.orElse(null);
  }

  private Span firstOutwardEffect(TSNode block, Set<String> own) {
    int count = block.getNamedChildCount();
    for (int i = 0; i < count; i++) {
      TSNode statement = block.getNamedChild(i);
      String type = statement.getType();
      boolean acts = type.equals("expression_statement")
          ? actsOutward(statement.getNamedChildCount() == 1 ? statement.getNamedChild(0) : statement, own)
          : type.equals("delete_statement") && targetsOther(statement, own);
      if (acts) {
        return TreeSitter.span(text, statement);
      }
      // the blocks of if/try/with/for/while run at import time too; definitions' bodies and the script part
      // (`if __name__ == "__main__":`) do not
      if (type.endsWith("_statement") && !type.equals("expression_statement") && !isMainGuard(text, statement)) {
        Span nested = firstOutwardEffectIn(statement, own);
        if (nested != null) {
          return nested;
        }
      }
    }
    return null;
  }

  private Span firstOutwardEffectIn(TSNode compound, Set<String> own) {
    int count = compound.getNamedChildCount();
    for (int i = 0; i < count; i++) {
      TSNode child = compound.getNamedChild(i);
      Span effect = child.getType().equals("block") ? firstOutwardEffect(child, own)
          : child.getType().endsWith("_clause") ? firstOutwardEffectIn(child, own) : null;
      if (effect != null) {
        return effect;
      }
    }
    return null;
  }

  /**
   * Names the top level (and its if/try/with/loop blocks) assigns — objects the module creates itself — and,
   * prefixed with {@link #CLASS_PREFIX}, the classes it defines.
   */
  private void collectAssignedNames(TSNode block, Set<String> names) {
    int count = block.getNamedChildCount();
    for (int i = 0; i < count; i++) {
      TSNode statement = block.getNamedChild(i);
      String type = statement.getType();
      if (type.equals("class_definition")) {
        names.add(CLASS_PREFIX + TreeSitter.text(text, statement.getChildByFieldName("name")));
      } else if (type.equals("expression_statement") && statement.getNamedChildCount() == 1
          && statement.getNamedChild(0).getType().equals("assignment")) {
        TSNode left = statement.getNamedChild(0).getChildByFieldName("left");
        if (!TreeSitter.isNull(left) && left.getType().equals("identifier")) {
          names.add(TreeSitter.text(text, left));
        }
      } else if (type.endsWith("_statement") || type.equals("block") || type.endsWith("_clause")) {
        collectAssignedNames(statement, names);
      }
    }
  }

  private boolean actsOutward(TSNode expression, Set<String> own) {
    return switch (expression.getType()) {
      case "call" -> {
        TSNode function = expression.getChildByFieldName("function");
        String root = rootName(function);
        yield root != null && !own.contains(root) && !registersOwnClass(expression, own)
            && !importsByNameOrWarns(expression) && !configuresOwnLogger(expression) && !setsOwnName(expression)
            && !(function.getType().equals("identifier") && ownFunctionIsInert(root, own));
      }
      case "await" -> true;
      case "assignment", "augmented_assignment" -> targetsOther(expression.getChildByFieldName("left"), own);
      default -> false;
    };
  }

  /** {@code setattr(module, name, value)} where {@code module} is the module itself: defining one of its names. */
  private boolean setsOwnName(TSNode call) {
    TSNode arguments = call.getChildByFieldName("arguments");
    if (!TreeSitter.text(text, call.getChildByFieldName("function")).equals("setattr") || TreeSitter.isNull(arguments)
        || arguments.getNamedChildCount() != 3) {
      return false;
    }
    TSNode target = arguments.getNamedChild(0);
    return target.getType().equals("identifier") && selfNames.contains(TreeSitter.text(text, target));
  }

  /**
   * Whether calling the module's own undecorated function {@code name} at import time acts on nothing outside
   * it: its body, read with its parameters and locals as its own, has no outward effect (a call it makes of
   * itself, directly or through another, adds none). False for any other name.
   */
  private boolean ownFunctionIsInert(String name, Set<String> own) {
    TSNode definition = plainFunctions.get(name);
    if (definition == null) {
      return false;
    }
    if (!functionsBeingRead.add(name)) {
      return true;
    }
    try {
      Set<String> inside = new HashSet<>(own);
      TSNode parameters = definition.getChildByFieldName("parameters");
      for (int i = 0; !TreeSitter.isNull(parameters) && i < parameters.getNamedChildCount(); i++) {
        TSNode parameter = parameters.getNamedChild(i);
        TSNode named = parameter.getType().equals("identifier") ? parameter
            : !TreeSitter.isNull(parameter.getChildByFieldName("name")) ? parameter.getChildByFieldName("name")
            : parameter.getNamedChildCount() > 0 ? parameter.getNamedChild(0) : parameter;
        if (named.getType().equals("identifier")) {
          inside.add(TreeSitter.text(text, named));
        }
      }
      TSNode body = definition.getChildByFieldName("body");
      collectAssignedNames(body, inside);
      return firstOutwardEffect(body, inside) == null && !returnsOutwardCall(body, inside);
    } finally {
      functionsBeingRead.remove(name);
    }
  }

  /** Whether a {@code return} of the block (or of its if/try/with/loop blocks) hands back a call that acts. */
  private boolean returnsOutwardCall(TSNode block, Set<String> own) {
    for (int i = 0; i < block.getNamedChildCount(); i++) {
      TSNode statement = block.getNamedChild(i);
      String type = statement.getType();
      if (type.equals("return_statement")) {
        if (statement.getNamedChildCount() == 1 && actsOutward(statement.getNamedChild(0), own)) {
          return true;
        }
      } else if ((type.endsWith("_statement") && !type.equals("expression_statement")) || type.equals("block")
          || type.endsWith("_clause")) {
        if (returnsOutwardCall(statement, own)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * {@code SomeABC.register(OwnClass)}: declaring one of the module's own classes a virtual subclass changes
   * only {@code isinstance} checks on objects of that class, which cannot exist before the module is imported.
   */
  private boolean registersOwnClass(TSNode call, Set<String> own) {
    TSNode function = call.getChildByFieldName("function");
    TSNode arguments = call.getChildByFieldName("arguments");
    if (!function.getType().equals("attribute") || TreeSitter.isNull(arguments)
        || arguments.getNamedChildCount() != 1) {
      return false;
    }
    TSNode argument = arguments.getNamedChild(0);
    return TreeSitter.text(text, function.getChildByFieldName("attribute")).equals("register")
        && argument.getType().equals("identifier") && own.contains(CLASS_PREFIX + TreeSitter.text(text, argument));
  }

  /**
   * {@code __import__(name)} or {@code importlib.import_module(name)}: an import, like an import statement;
   * {@code warnings.warn(...)}: a notice to the developer (a deprecation), not state anything relies on.
   */
  private boolean importsByNameOrWarns(TSNode call) {
    String function = TreeSitter.text(text, call.getChildByFieldName("function")).replaceAll("\\s", "");
    return function.equals("__import__") || function.equals("importlib.import_module")
        || function.equals("warnings.warn");
  }

  /**
   * {@code logging.getLogger(__name__).addHandler(...)} or with the library's own package name: a library
   * setting up its own logger changes only its own log output.
   */
  private boolean configuresOwnLogger(TSNode call) {
    TSNode node = call.getChildByFieldName("function");
    while (!TreeSitter.isNull(node) && node.getType().equals("attribute")) {
      TSNode object = node.getChildByFieldName("object");
      if (object.getType().equals("call")
          && TreeSitter.text(text, object.getChildByFieldName("function")).replaceAll("\\s", "")
              .equals("logging.getLogger")) {
        TSNode arguments = object.getChildByFieldName("arguments");
        if (TreeSitter.isNull(arguments) || arguments.getNamedChildCount() != 1) {
          return false;
        }
        String name = TreeSitter.text(text, arguments.getNamedChild(0));
        String top = identity.moduleName() == null ? null : identity.moduleName().split("\\.")[0];
        return name.equals("__name__")
            || (top != null && name.matches("[\"']" + java.util.regex.Pattern.quote(top) + "(\\.[\\w.]*)?[\"']"));
      }
      node = object;
    }
    return false;
  }

  /** Whether assignment or deletion targets include an attribute or item of something the module did not create. */
  private boolean targetsOther(TSNode targets, Set<String> own) {
    if (TreeSitter.isNull(targets)) {
      return false;
    }
    String type = targets.getType();
    if (type.equals("attribute") || type.equals("subscript")) {
      String root = rootName(targets);
      return root != null && !own.contains(root);
    }
    if (!(type.endsWith("_list") || type.endsWith("_pattern") || type.equals("delete_statement")
        || type.equals("parenthesized_expression") || type.equals("tuple") || type.equals("list"))) {
      return false;
    }
    int count = targets.getNamedChildCount();
    for (int i = 0; i < count; i++) {
      if (targetsOther(targets.getNamedChild(i), own)) {
        return true;
      }
    }
    return false;
  }

  /** The name an expression like {@code a.b(c).d[e]} starts from ({@code a}), or null (a literal's method). */
  private String rootName(TSNode expression) {
    TSNode node = expression;
    while (!TreeSitter.isNull(node)) {
      switch (node.getType()) {
        case "identifier" -> {
          return TreeSitter.text(text, node);
        }
        case "attribute" -> node = node.getChildByFieldName("object");
        case "call" -> node = node.getChildByFieldName("function");
        case "subscript" -> node = node.getChildByFieldName("value");
        default -> {
          return null;
        }
      }
    }
    return null;
  }

  private Span firstEffect(TSNode block) {
    int count = block.getNamedChildCount();
    for (int i = 0; i < count; i++) {
      TSNode statement = block.getNamedChild(i);
      boolean inert =
          switch (statement.getType()) {
            case "comment", "import_statement", "import_from_statement", "future_import_statement",
                "function_definition", "pass_statement" -> true;
            case "class_definition" -> isLiteral(statement.getChildByFieldName("superclasses"))
                && firstEffect(statement.getChildByFieldName("body")) == null;
            case "expression_statement" -> isLiteral(statement);
            case "if_statement", "try_statement" -> !containsCall(statement, true) && firstEffectIn(statement) == null;
            default -> false;
          };
      if (!inert) {
        return TreeSitter.span(text, statement);
      }
    }
    return null;
  }

  /** The first effect in the blocks and clauses directly under a compound statement. */
  private Span firstEffectIn(TSNode compound) {
    int count = compound.getNamedChildCount();
    for (int i = 0; i < count; i++) {
      TSNode child = compound.getNamedChild(i);
      String type = child.getType();
      if (type.equals("block")) {
        Span effect = firstEffect(child);
        if (effect != null) {
          return effect;
        }
      } else if (type.endsWith("_clause")) {
        Span effect = containsCall(child, true) ? TreeSitter.span(text, child) : firstEffectIn(child);
        if (effect != null) {
          return effect;
        }
      }
    }
    return null;
  }

  /** Whether a node (outside nested blocks when {@code shallow}) contains a call. */
  private static boolean containsCall(TSNode node, boolean shallow) {
    int count = node.getNamedChildCount();
    for (int i = 0; i < count; i++) {
      TSNode child = node.getNamedChild(i);
      String type = child.getType();
      if (type.equals("call") || type.equals("await")) {
        return true;
      }
      boolean nestedBlock = type.equals("block") || type.endsWith("_clause");
      if (!(shallow && nestedBlock) && containsCall(child, false)) {
        return true;
      }
    }
    return false;
  }

  /**
   * An absent node, or one built only of literals, names, attribute reads and operators: evaluating it calls
   * no code that could act outside the module (an assignment of one, a docstring, a tuple of bases).
   */
  private static boolean isLiteral(TSNode node) {
    if (TreeSitter.isNull(node)) {
      return true;
    }
    return switch (node.getType()) {
      case "call", "await", "yield", "named_expression", "subscript", "lambda", "list_comprehension",
          "dictionary_comprehension", "set_comprehension", "generator_expression", "augmented_assignment" -> false;
      default -> {
        int count = node.getNamedChildCount();
        for (int i = 0; i < count; i++) {
          if (!isLiteral(node.getNamedChild(i))) {
            yield false;
          }
        }
        yield true;
      }
    };
  }

  /** The attribute chain, call and trailing attributes around a reference (see {@link ReferenceExpression}). */
  public synchronized ReferenceExpression expressionAround(NameReference reference) {
    Span span = reference.span();
    TSNode node =
        tree.getRootNode()
            .getNamedDescendantForByteRange(text.offsetToByte(span.start()), text.offsetToByte(span.end()));
    List<String> attributes = new ArrayList<>();
    TSNode parent = node.getParent();
    while (!TreeSitter.isNull(parent)
        && parent.getType().equals("attribute")
        && TSNode.eq(parent.getChildByFieldName("object"), node)) {
      attributes.add(TreeSitter.text(text, parent.getChildByFieldName("attribute")));
      node = parent;
      parent = node.getParent();
    }
    Span chain = new Span(span.start(), TreeSitter.span(text, node).end());
    ReferenceExpression.Call call = null;
    List<String> trailing = new ArrayList<>();
    List<Span> trailingSpans = new ArrayList<>();
    if (!TreeSitter.isNull(parent)
        && parent.getType().equals("call")
        && TSNode.eq(parent.getChildByFieldName("function"), node)) {
      call = new ReferenceExpression.Call(TreeSitter.span(text, parent), arguments(parent.getChildByFieldName("arguments")));
      node = parent;
      parent = node.getParent();
      while (!TreeSitter.isNull(parent)
          && parent.getType().equals("attribute")
          && TSNode.eq(parent.getChildByFieldName("object"), node)) {
        trailing.add(TreeSitter.text(text, parent.getChildByFieldName("attribute")));
        trailingSpans.add(new Span(span.start(), TreeSitter.span(text, parent).end()));
        node = parent;
        parent = node.getParent();
      }
    }
    return new ReferenceExpression(span, List.copyOf(attributes), chain, call, List.copyOf(trailing), List.copyOf(trailingSpans));
  }

  private List<ReferenceExpression.Argument> arguments(TSNode argumentList) {
    List<ReferenceExpression.Argument> arguments = new ArrayList<>();
    if (TreeSitter.isNull(argumentList)) {
      return arguments;
    }
    int count = argumentList.getNamedChildCount();
    for (int i = 0; i < count; i++) {
      TSNode argument = argumentList.getNamedChild(i);
      String type = argument.getType();
      if (type.equals("comment")) {
        continue;
      }
      ReferenceExpression.ArgumentKind kind =
          switch (type) {
            case "keyword_argument" -> ReferenceExpression.ArgumentKind.KEYWORD;
            case "list_splat", "dictionary_splat" -> ReferenceExpression.ArgumentKind.SPLAT;
            default -> ReferenceExpression.ArgumentKind.POSITIONAL;
          };
      Span argumentSpan = TreeSitter.span(text, argument);
      arguments.add(
          new ReferenceExpression.Argument(argumentSpan, text.slice(argumentSpan), kind, ATOMIC_EXPRESSIONS.contains(type)));
    }
    return arguments;
  }

  /**
   * The module's top-level statements other than imports and comments, in document order: what runs when the
   * module is imported besides its imports ({@code model = joblib.load(...)}, a decorated definition, a class
   * body), where a call may import modules.
   */
  public synchronized List<Span> moduleLevelStatements() {
    List<Span> statements = new ArrayList<>();
    TSNode root = tree.getRootNode();
    int count = root.getNamedChildCount();
    for (int i = 0; i < count; i++) {
      TSNode child = root.getNamedChild(i);
      switch (child.getType()) {
        case "comment", "import_statement", "import_from_statement", "future_import_statement" -> { }
        default -> statements.add(TreeSitter.span(text, child));
      }
    }
    return statements;
  }

  /**
   * The spans of the module-level functions that run while the module is imported: called by name from
   * module-level code (an assignment, an expression, a decorator, a class body), or from such a function, as
   * {@code TARIFFS = load_tariffs(path)} calls {@code load_tariffs}. Names they use are needed at start-up:
   * moving an import into them saves nothing. Calls through other names (attributes, aliases) are not
   * followed.
   */
  public synchronized List<Span> functionsRunAtImport() {
    TSNode root = tree.getRootNode();
    Map<String, TSNode> functions = new HashMap<>();
    List<TSNode> moduleCode = new ArrayList<>();
    int count = root.getNamedChildCount();
    for (int i = 0; i < count; i++) {
      TSNode statement = root.getNamedChild(i);
      TSNode definition = statement.getType().equals("decorated_definition")
          ? statement.getChildByFieldName("definition") : statement;
      if (!TreeSitter.isNull(definition) && definition.getType().equals("function_definition")) {
        TSNode name = definition.getChildByFieldName("name");
        if (!TreeSitter.isNull(name)) {
          functions.putIfAbsent(TreeSitter.text(text, name), definition);
        }
        if (statement != definition) {
          moduleCode.add(statement); // the decorators run at import; the body's calls are skipped below
        }
        for (String parameter : List.of("parameters", "return_type")) {
          TSNode part = definition.getChildByFieldName(parameter);
          if (!TreeSitter.isNull(part)) {
            moduleCode.add(part); // default values and evaluated annotations run at import too
          }
        }
      } else if (!isMainGuard(text, statement)) {
        moduleCode.add(statement);
      }
    }
    Set<String> called = new LinkedHashSet<>();
    Deque<TSNode> pending = new ArrayDeque<>(moduleCode);
    while (!pending.isEmpty()) {
      collectCalls(pending.pop(), functions.keySet(), called, callee -> {
        TSNode body = functions.get(callee).getChildByFieldName("body");
        if (!TreeSitter.isNull(body)) {
          pending.push(body);
        }
      });
    }
    List<Span> spans = new ArrayList<>();
    for (String name : called) {
      spans.add(TreeSitter.span(text, functions.get(name)));
    }
    return spans;
  }

  /**
   * {@code if __name__ == "__main__":} (or {@code "__main__" == __name__}, either quote), whose block runs when
   * the file is a script, never on import; a condition with more to it ({@code and debug}) is not one.
   */
  static boolean isMainGuard(SourceText text, TSNode statement) {
    if (!statement.getType().equals("if_statement")) {
      return false;
    }
    TSNode condition = statement.getChildByFieldName("condition");
    if (TreeSitter.isNull(condition)) {
      return false;
    }
    String written = TreeSitter.text(text, condition).replaceAll("\\s+", "").replace('\'', '"');
    return written.equals("__name__==\"__main__\"") || written.equals("\"__main__\"==__name__");
  }

  /**
   * Adds to {@code called} the names of {@code functions} that {@code node} calls by name outside any nested
   * function or lambda body, telling {@code firstCall} of each one not seen before.
   */
  private void collectCalls(TSNode node, Set<String> functions, Set<String> called,
      Consumer<String> firstCall) {
    String type = node.getType();
    if (type.equals("function_definition") || type.equals("lambda")) {
      return;
    }
    if (type.equals("call") || type.equals("decorator")) {
      // `@register` calls register as much as `@register()` or `register(f)`
      TSNode callee = type.equals("call") ? node.getChildByFieldName("function") : node.getNamedChild(0);
      if (!TreeSitter.isNull(callee) && callee.getType().equals("identifier")) {
        String name = TreeSitter.text(text, callee);
        if (functions.contains(name) && called.add(name)) {
          firstCall.accept(name);
        }
      }
    }
    int count = node.getNamedChildCount();
    for (int i = 0; i < count; i++) {
      collectCalls(node.getNamedChild(i), functions, called, firstCall);
    }
  }

  /** The root's children, listed on first use, for code in this package that holds the instance lock. */
  NodePath.TopLevel topLevel() {
    if (topLevel == null) {
      topLevel = NodePath.TopLevel.of(tree.getRootNode());
    }
    return topLevel;
  }

  /** A new path finder over the tree, for code in this package that holds the instance lock. */
  NodePath.Finder finder() {
    return new NodePath.Finder(tree.getRootNode(), topLevel());
  }

  /** The root node, for code in this package that holds the instance lock. */
  TSNode root() {
    return tree.getRootNode();
  }
}
