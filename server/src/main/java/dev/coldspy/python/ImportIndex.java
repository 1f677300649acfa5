package dev.coldspy.python;

import dev.coldspy.text.SourceText;
import dev.coldspy.text.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.treesitter.TSNode;

/**
 * Every import statement of a module, in document order. Found by searching the text for the {@code import}
 * keyword and descending the tree to each occurrence (statements are few, so only their own small subtrees
 * and ancestor chains are visited, never the whole tree).
 */
public final class ImportIndex {
  private static final String KEYWORD = "import";
  private static final Set<String> STATEMENT_TYPES =
      Set.of("import_statement", "import_from_statement", "future_import_statement");
  private static final Pattern CATCHES_IMPORT_ERROR =
      Pattern.compile("\\b(ImportError|ModuleNotFoundError|Exception|BaseException)\\b");
  private static final Pattern WHITESPACE = Pattern.compile("[\\s\\\\]+");

  private final List<ImportStatement> statements;
  private final boolean futureAnnotations;
  private final Optional<LazyModulesDeclaration> lazyModules;

  private ImportIndex(List<ImportStatement> statements, Optional<LazyModulesDeclaration> lazyModules) {
    this.lazyModules = lazyModules;
    this.statements = statements.stream()
        .map(s -> !s.lazy() && lazyModules.filter(d -> d.covers(s)).isPresent() ? s.madeLazy() : s)
        .toList();
    this.futureAnnotations = statements.stream().anyMatch(s -> s.kind() == ImportKind.FUTURE
        && s.names().stream().anyMatch(n -> n.written().equals("annotations")));
  }

  /** All import statements, in document order. */
  public List<ImportStatement> statements() {
    return statements;
  }

  /** The statement at {@code index} in document order ({@link ImportStatement#index()}), if there is one. */
  public Optional<ImportStatement> statement(int index) {
    return index >= 0 && index < statements.size() ? Optional.of(statements.get(index)) : Optional.empty();
  }

  /** Statements directly in module scope (possibly under if/try at module level). */
  public List<ImportStatement> moduleLevel() {
    return statements.stream().filter(ImportStatement::isModuleLevel).toList();
  }

  /** The statement covering 0-based {@code line}, if any. */
  public Optional<ImportStatement> atLine(int line) {
    return statements.stream().filter(s -> s.coversLine(line)).findFirst();
  }

  /** The statement covering a 1-based profile line, if any. */
  public Optional<ImportStatement> atProfileLine(int oneBasedLine) {
    return atLine(oneBasedLine - 1);
  }

  /** The statement whose span contains {@code offset}, if any. */
  public Optional<ImportStatement> atOffset(int offset) {
    return statements.stream().filter(s -> s.span().start() <= offset && offset <= s.span().end()).findFirst();
  }

  /** Module-level statements binding {@code name}. */
  public List<ImportStatement> bindingAtModuleLevel(String name) {
    return statements.stream()
        .filter(s -> s.isModuleLevel() && s.name(name).isPresent())
        .toList();
  }

  /** The module's PEP 810 {@code __lazy_modules__}, if it binds one at top level. */
  public Optional<LazyModulesDeclaration> lazyModules() {
    return lazyModules;
  }

  /** Whether {@code from __future__ import annotations} turns the module's annotations into strings. */
  public boolean hasFutureAnnotations() {
    return futureAnnotations;
  }

  // ---- building ------------------------------------------------------------------------------------

  static ImportIndex build(SourceText text, NodePath.Finder finder, ModuleIdentity identity) {
    // Find the `import` keywords by text and descend to each: cheaper than a query over the whole tree,
    // and the descent yields the statement's ancestors for free.
    List<ImportStatement> found = new ArrayList<>();
    String source = text.text();
    int from = 0;
    int at;
    while ((at = source.indexOf(KEYWORD, from)) >= 0) {
      from = at + KEYWORD.length();
      if (!isWord(source, at, KEYWORD.length())) {
        continue;
      }
      NodePath path = finder.pathTo(text.offsetToByte(at));
      int statement = path.leaf() - 1;
      if (!path.type(path.leaf()).equals(KEYWORD)
          || !STATEMENT_TYPES.contains(path.type(statement))
          || path.startByte(path.leaf()) != text.offsetToByte(at)) {
        continue; // in a string, a comment or a syntax error
      }
      found.add(new StatementReader(text, identity, found.size()).read(path, statement));
    }
    return new ImportIndex(found, LazyModulesDeclaration.find(text, finder));
  }

  static boolean isWord(String source, int at, int length) {
    return (at == 0 || !isNameChar(source.charAt(at - 1)))
        && (at + length >= source.length() || !isNameChar(source.charAt(at + length)));
  }

  private static boolean isNameChar(char c) {
    return c == '_' || Character.isLetterOrDigit(c) || Character.isSurrogate(c);
  }

  /** Reads one statement node. */
  private static final class StatementReader {
    private final SourceText text;
    private final ModuleIdentity identity;
    private final int index;
    private final List<ImportedName> names = new ArrayList<>();
    private Noqa noqa = Noqa.NONE;
    private boolean star;

    StatementReader(SourceText text, ModuleIdentity identity, int index) {
      this.text = text;
      this.identity = identity;
      this.index = index;
    }

    ImportStatement read(NodePath path, int depth) {
      TSNode node = path.node(depth);
      String type = node.getType();
      ImportKind kind =
          switch (type) {
            case "import_statement" -> ImportKind.IMPORT;
            case "future_import_statement" -> ImportKind.FUTURE;
            default -> ImportKind.FROM;
          };
      Span span = TreeSitter.span(text, node);
      String writtenModule = null;
      String module = null;
      int level = 0;
      TSNode moduleNode = kind == ImportKind.FROM ? node.getChildByFieldName("module_name") : null;
      if (kind == ImportKind.FUTURE) {
        writtenModule = "__future__";
        module = "__future__";
      } else if (!TreeSitter.isNull(moduleNode)) {
        writtenModule = dotted(TreeSitter.text(text, moduleNode));
        while (level < writtenModule.length() && writtenModule.charAt(level) == '.') {
          level++;
        }
        module = resolve(writtenModule, level);
      }
      int count = node.getChildCount();
      for (int i = 0; i < count; i++) {
        TSNode child = node.getChild(i);
        switch (child.getType()) {
          case "dotted_name" -> {
            if (moduleNode == null || !TSNode.eq(child, moduleNode)) {
              addName(kind, module, child, null);
            }
          }
          case "aliased_import" -> addName(kind, module, child.getChildByFieldName("name"), child);
          case "wildcard_import" -> star = true;
          case "comment" -> noqa = noqa.merge(Noqa.parse(TreeSitter.text(text, child)));
          default -> {}
        }
      }
      int firstLine = text.lineOfOffset(span.start());
      int lastLine = text.lineOfOffset(span.end());
      String rest = text.text().substring(span.end(), text.lineContentEnd(lastLine)).strip();
      if (rest.startsWith("#")) {
        noqa = noqa.merge(Noqa.parse(rest));
      }
      boolean lazy = false;
      TSNode previous = node.getPrevSibling();
      if (!TreeSitter.isNull(previous) && previous.isError()) {
        Span prefix = TreeSitter.span(text, previous);
        if (text.slice(prefix).strip().equals("lazy") && text.lineOfOffset(prefix.start()) == firstLine) {
          lazy = true;
          span = new Span(prefix.start(), span.end());
        }
      }
      Ancestry ancestry = Ancestry.of(text, path, depth);
      List<String> loaded = new ArrayList<>();
      List<String> maybe = new ArrayList<>();
      if (kind == ImportKind.IMPORT) {
        for (ImportedName name : names) {
          addPrefixes(loaded, name.written());
        }
      } else if (module != null && !module.startsWith(".")) {
        addPrefixes(loaded, module);
        if (kind == ImportKind.FROM) {
          for (ImportedName n : names) {
            maybe.add(module + "." + n.written());
          }
        }
      }
      return new ImportStatement(
          index,
          kind,
          span,
          firstLine,
          lastLine,
          kind == ImportKind.IMPORT ? null : module,
          kind == ImportKind.IMPORT ? null : writtenModule,
          level,
          List.copyOf(names),
          star,
          lazy,
          ancestry.scope(),
          ancestry.context(),
          noqa,
          List.copyOf(loaded),
          List.copyOf(maybe),
          path.type(depth - 1).equals("block") && aloneInBlock(path.node(depth - 1)));
    }

    private static boolean aloneInBlock(TSNode block) {
      // comments are children of the block too: only statements count
      int count = block.getNamedChildCount();
      int statements = 0;
      for (int i = 0; i < count && statements < 2; i++) {
        if (!block.getNamedChild(i).getType().equals("comment")) {
          statements++;
        }
      }
      return statements == 1;
    }

    private void addName(ImportKind kind, String module, TSNode nameNode, TSNode aliasedNode) {
      if (TreeSitter.isNull(nameNode)) {
        return;
      }
      String written = dotted(TreeSitter.text(text, nameNode));
      String alias = null;
      Span span = TreeSitter.span(text, nameNode);
      if (aliasedNode != null) {
        TSNode aliasNode = aliasedNode.getChildByFieldName("alias");
        if (!TreeSitter.isNull(aliasNode)) {
          alias = TreeSitter.text(text, aliasNode);
        }
        span = TreeSitter.span(text, aliasedNode);
      }
      if (written.isEmpty()) {
        return;
      }
      String bound;
      String target;
      if (kind == ImportKind.IMPORT) {
        bound = alias != null ? alias : written.split("\\.", 2)[0];
        target = alias != null ? written : bound;
      } else {
        bound = alias != null ? alias : written;
        target = module == null ? written : module + "." + written;
      }
      names.add(new ImportedName(bound, target, written, alias, span));
    }

    /** The absolute module of a relative import, or the written form when it cannot be resolved. */
    private String resolve(String written, int level) {
      if (level == 0) {
        return written;
      }
      String packageName = identity.packageName();
      if (packageName == null || packageName.isEmpty()) {
        return written;
      }
      List<String> parts = new ArrayList<>(List.of(packageName.split("\\.")));
      for (int up = 1; up < level; up++) {
        if (parts.isEmpty()) {
          return written;
        }
        parts.remove(parts.size() - 1);
      }
      String rest = written.substring(level);
      if (!rest.isEmpty()) {
        parts.add(rest);
      }
      return parts.isEmpty() ? written : String.join(".", parts);
    }

    private static void addPrefixes(List<String> out, String dottedName) {
      int dot = -1;
      do {
        dot = dottedName.indexOf('.', dot + 1);
        String prefix = dot < 0 ? dottedName : dottedName.substring(0, dot);
        if (!out.contains(prefix)) {
          out.add(prefix);
        }
      } while (dot >= 0);
    }

    private static String dotted(String written) {
      return WHITESPACE.matcher(written).replaceAll("");
    }
  }

  /** Scope and conditions found by climbing from a statement to the module. */
  record Ancestry(EnclosingScope scope, ImportContext context) {
    static Ancestry of(SourceText text, NodePath path, int statement) {
      EnclosingScope scope = null;
      boolean fallback = false;
      boolean typeChecking = false;
      boolean conditional = false;
      boolean inTry = false;
      boolean inWith = false;
      for (int i = statement - 1; i >= 0 && scope == null; i--) {
        String childField = path.field(i + 1);
        switch (path.type(i)) {
          case "function_definition" ->
              scope = new EnclosingScope(ScopeKind.FUNCTION, nameOf(text, path.node(i)), path.span(text, i));
          case "class_definition" ->
              scope = new EnclosingScope(ScopeKind.CLASS, nameOf(text, path.node(i)), path.span(text, i));
          case "try_statement" -> {
            inTry = true;
            conditional = true;
            if (childField.equals("body") || path.type(i + 1).equals("except_clause")) {
              fallback |= catchesImportError(text, path.node(i));
            }
          }
          case "if_statement" -> {
            if (childField.equals("consequence") && isTypeCheckingTest(text, path.node(i))) {
              typeChecking = true;
            } else {
              conditional = true;
            }
          }
          case "with_statement" -> {
            inWith = true;
            conditional = true;
          }
          case "for_statement", "while_statement", "match_statement", "elif_clause", "else_clause" ->
              conditional = true;
          default -> {}
        }
      }
      return new Ancestry(
          scope == null ? EnclosingScope.MODULE : scope,
          new ImportContext(fallback, typeChecking, conditional, inTry, inWith));
    }

    static boolean isTypeCheckingTest(SourceText text, TSNode ifStatement) {
      TSNode condition = ifStatement.getChildByFieldName("condition");
      if (TreeSitter.isNull(condition)) {
        return false;
      }
      String test = TreeSitter.text(text, condition).strip();
      return test.equals("TYPE_CHECKING") || test.endsWith(".TYPE_CHECKING");
    }

    private static boolean catchesImportError(SourceText text, TSNode tryStatement) {
      int count = tryStatement.getNamedChildCount();
      for (int i = 0; i < count; i++) {
        TSNode clause = tryStatement.getNamedChild(i);
        if (!clause.getType().equals("except_clause")) {
          continue;
        }
        TSNode first = clause.getNamedChildCount() > 0 ? clause.getNamedChild(0) : null;
        if (TreeSitter.isNull(first) || first.getType().equals("block")) {
          return true; // bare except
        }
        if (CATCHES_IMPORT_ERROR.matcher(TreeSitter.text(text, first)).find()) {
          return true;
        }
      }
      return false;
    }

    private static String nameOf(SourceText text, TSNode definition) {
      TSNode name = definition.getChildByFieldName("name");
      return TreeSitter.isNull(name) ? "" : TreeSitter.text(text, name);
    }
  }
}
