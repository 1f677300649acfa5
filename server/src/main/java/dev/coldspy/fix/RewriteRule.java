package dev.coldspy.fix;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A mechanical rewrite from a heavy library to a lighter one, as the knowledge file carries it.
 *
 * <p>Two forms:
 *
 * <ul>
 *   <li><b>module rename</b> — {@code pattern} is a module name, {@code replacement} an API-compatible one:
 *       {@code pathlib2} → {@code pathlib}. The import statement is rewritten; uses keep working.
 *   <li><b>call rewrite</b> — {@code pattern} is a call of a qualified name with numbered placeholders,
 *       optionally followed by attributes read from the result; {@code replacement} is an expression over the
 *       same placeholders; {@code imports} are the modules the replacement needs:
 *       {@code pkg_resources.resource_filename($1, $2)} → {@code str(importlib.resources.files($1) / $2)},
 *       imports {@code [importlib.resources]}; {@code pkg_resources.get_distribution($1).version} →
 *       {@code importlib.metadata.version($1)}, imports {@code [importlib.metadata]}.
 * </ul>
 *
 * A call rewrite matches a use only when the call has exactly the placeholders' number of plain positional
 * arguments; an argument that is not a primary expression is parenthesised when pasted.
 *
 * @param pattern what to match
 * @param replacement what to write instead
 * @param imports modules the replacement needs ({@code import x.y} is added when missing)
 * @param advice what to tell the user when some use has no mechanical rewrite (may be null)
 */
public record RewriteRule(String pattern, String replacement, List<String> imports, String advice) {
  private static final Pattern DOTTED = Pattern.compile("[A-Za-z_]\\w*(?:\\.[A-Za-z_]\\w*)*");
  private static final Pattern CALL =
      Pattern.compile("([A-Za-z_]\\w*(?:\\.[A-Za-z_]\\w*)*)\\(\\s*((?:\\$\\d+\\s*(?:,\\s*\\$\\d+\\s*)*)?)\\)((?:\\.[A-Za-z_]\\w*)*)");

  public RewriteRule {
    Objects.requireNonNull(pattern, "pattern");
    Objects.requireNonNull(replacement, "replacement");
    imports = imports == null ? List.of() : List.copyOf(imports);
    pattern = pattern.strip();
    replacement = replacement.strip();
    if (!DOTTED.matcher(pattern).matches() && !CALL.matcher(pattern).matches()) {
      throw new IllegalArgumentException(
          "rewrite pattern '" + pattern + "' is neither a module name nor a call like 'mod.func($1, $2)'");
    }
  }

  public static RewriteRule moduleRename(String module, String replacement, String advice) {
    return new RewriteRule(module, replacement, List.of(), advice);
  }

  public static RewriteRule call(String pattern, String replacement, List<String> imports, String advice) {
    return new RewriteRule(pattern, replacement, imports, advice);
  }

  public boolean isModuleRename() {
    return DOTTED.matcher(pattern).matches();
  }

  /** For a call rewrite: the qualified callee ({@code pkg_resources.resource_filename}). */
  public String callee() {
    return isModuleRename() ? pattern : callMatcher().group(1);
  }

  /** For a call rewrite: placeholder numbers in argument order ({@code [1, 2]}). */
  public List<Integer> placeholders() {
    List<Integer> numbers = new ArrayList<>();
    if (!isModuleRename()) {
      for (String part : callMatcher().group(2).split(",")) {
        if (!part.isBlank()) {
          numbers.add(Integer.parseInt(part.strip().substring(1)));
        }
      }
    }
    return numbers;
  }

  /** For a call rewrite: attributes read from the call's result ({@code [version]}). */
  public List<String> resultAttributes() {
    if (isModuleRename() || callMatcher().group(3).isEmpty()) {
      return List.of();
    }
    return List.of(callMatcher().group(3).substring(1).split("\\."));
  }

  /** Whether the rule concerns code that imports {@code dotted} (a module or a name inside one). */
  public boolean concerns(String dotted) {
    String root = callee();
    return root.equals(dotted) || root.startsWith(dotted + ".") || dotted.startsWith(root + ".");
  }

  private Matcher callMatcher() {
    Matcher m = CALL.matcher(pattern);
    if (!m.matches()) {
      throw new IllegalStateException("not a call rewrite: " + pattern);
    }
    return m;
  }
}
