package dev.coldspy.lsp;

import dev.coldspy.python.FunctionDefinition;
import dev.coldspy.python.PythonModule;
import dev.coldspy.text.SourceText;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The functions of a module that AWS Lambda can call as a handler, for the "Profile cold starts…" lens of a file
 * no profile covers: top-level functions called as {@code f(event, context)} — two positional parameters (any
 * further one has a default, no keyword-only one without), either named so ({@code event…}, {@code context}/
 * {@code ctx…}) or with a conventional handler name ({@code handler}, {@code lambda_handler}, {@code
 * *_handler}) — that are not decorators or factories (used as {@code @name}, or returning a function they
 * define). The same rule as the VS Code client's handler picker (vscode-client/src/handlers.ts).
 */
final class HandlerCandidates {
  private static final Pattern EVENT = Pattern.compile("event|evt", Pattern.CASE_INSENSITIVE);
  private static final Pattern CONTEXT = Pattern.compile("context|ctx", Pattern.CASE_INSENSITIVE);
  private static final Pattern HANDLER_NAME = Pattern.compile("^(lambda_)?handler$|_handler$");
  private static final Pattern DECORATOR = Pattern.compile("^[ \\t]*@([A-Za-z_]\\w*)[ \\t]*(?:\\(|$)", Pattern.MULTILINE);
  private static final Pattern RETURNED_NAME = Pattern.compile("^\\s+return\\s+(\\w+)\\s*(?:#.*)?$");
  private static final Pattern NESTED_DEF = Pattern.compile("^\\s+(?:async\\s+)?def\\s+(\\w+)");

  private HandlerCandidates() {}

  /** The candidate functions, in document order. */
  static List<FunctionDefinition> of(PythonModule module) {
    SourceText text = module.text();
    List<String> decorators = new ArrayList<>();
    Matcher decorator = DECORATOR.matcher(text.text());
    while (decorator.find()) {
      decorators.add(decorator.group(1));
    }
    List<FunctionDefinition> found = new ArrayList<>();
    for (FunctionDefinition function : module.functions()) {
      if (function.qualifiedName().contains(".") || decorators.contains(function.name())) {
        continue; // nested, a method, or a decorator
      }
      List<String> parameters = parameters(text, function);
      if (parameters == null || !callableWithEventAndContext(parameters)) {
        continue;
      }
      boolean namedLikeLambda = EVENT.matcher(name(parameters.get(0))).find()
          || CONTEXT.matcher(name(parameters.get(1))).find();
      if ((namedLikeLambda || HANDLER_NAME.matcher(function.name()).find()) && !returnsNestedFunction(text, function)) {
        found.add(function);
      }
    }
    return found;
  }

  /**
   * The parameter list's entries ({@code "event"}, {@code "retries=3"}, {@code "*"}, {@code "**kwargs"}),
   * comments and the positional-only marker {@code /} dropped; null when the list has no closing parenthesis.
   */
  static List<String> parameters(SourceText text, FunctionDefinition function) {
    String source = text.text();
    int open = source.indexOf('(', text.lineStart(function.firstLine()));
    if (open < 0) {
      return null;
    }
    List<String> parts = new ArrayList<>();
    StringBuilder part = new StringBuilder();
    int depth = 0;
    boolean comment = false;
    for (int i = open + 1; i < source.length(); i++) {
      char c = source.charAt(i);
      if (comment) {
        comment = c != '\n';
        continue;
      }
      if (c == '#') {
        comment = true;
      } else if (c == ')' && depth == 0) {
        add(parts, part);
        return parts;
      } else if (c == ',' && depth == 0) {
        add(parts, part);
        part.setLength(0);
      } else {
        depth += c == '(' || c == '[' || c == '{' ? 1 : c == ')' || c == ']' || c == '}' ? -1 : 0;
        part.append(c);
      }
    }
    return null;
  }

  private static void add(List<String> parts, StringBuilder part) {
    String entry = part.toString().strip();
    if (!entry.isEmpty() && !entry.equals("/")) {
      parts.add(entry);
    }
  }

  /** Two positional parameters before any {@code *}; every further one has a default. */
  private static boolean callableWithEventAndContext(List<String> parameters) {
    int star = 0;
    while (star < parameters.size() && !parameters.get(star).startsWith("*")) {
      star++;
    }
    List<String> positional = parameters.subList(0, star);
    if (positional.size() < 2 || List.of("self", "cls").contains(name(positional.get(0)))) {
      return false;
    }
    boolean laterWithoutDefault = positional.subList(2, positional.size()).stream().anyMatch(p -> !p.contains("="));
    boolean keywordOnlyWithoutDefault = parameters.subList(star, parameters.size()).stream()
        .skip(1).anyMatch(p -> !p.startsWith("**") && !p.contains("="));
    return !laterWithoutDefault && !keywordOnlyWithoutDefault;
  }

  private static String name(String parameter) {
    return parameter.split("[:=]", 2)[0].strip();
  }

  /** A factory or decorator: its body returns a function it defines, so Lambda would get a function back. */
  private static boolean returnsNestedFunction(SourceText text, FunctionDefinition function) {
    List<String> nested = new ArrayList<>();
    List<String> returned = new ArrayList<>();
    for (int line = function.firstLine() + 1; line <= function.lastLine() && line < text.lineCount(); line++) {
      String body = text.lineText(line);
      Matcher definition = NESTED_DEF.matcher(body);
      if (definition.find()) {
        nested.add(definition.group(1));
      }
      Matcher result = RETURNED_NAME.matcher(body);
      if (result.matches()) {
        returned.add(result.group(1));
      }
    }
    return returned.stream().anyMatch(nested::contains);
  }
}
