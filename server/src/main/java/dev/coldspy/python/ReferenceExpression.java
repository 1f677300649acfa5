package dev.coldspy.python;

import dev.coldspy.text.Span;
import java.util.List;

/**
 * The expression around a name reference, as far as mechanical rewrites need it: the attribute chain
 * ({@code pkg_resources.resource_filename}), the call applied to it and attributes read from the call's
 * result ({@code get_distribution(x).version}).
 *
 * @param reference the name itself
 * @param attributes attribute names read from the name, in order ({@code [resource_filename]})
 * @param chain the name plus those attributes
 * @param call the call whose callee is {@code chain}, or null
 * @param trailingAttributes attributes read from the call's result, or empty
 * @param trailingSpans for each trailing attribute, the span from the chain's start through that attribute
 */
public record ReferenceExpression(
    Span reference,
    List<String> attributes,
    Span chain,
    Call call,
    List<String> trailingAttributes,
    List<Span> trailingSpans) {

  /** A call: its whole span and its arguments. */
  public record Call(Span span, List<Argument> arguments) {
    /** Whether every argument is a plain positional one (no keywords, no {@code *args}/{@code **kwargs}). */
    public boolean onlyPositional() {
      return arguments.stream().allMatch(a -> a.kind() == ArgumentKind.POSITIONAL);
    }
  }

  /**
   * One call argument.
   *
   * @param atomic a primary expression (name, literal, call, attribute, subscript, parenthesised or display)
   *     that can be pasted into any expression without parentheses
   */
  public record Argument(Span span, String text, ArgumentKind kind, boolean atomic) {}

  public enum ArgumentKind {
    POSITIONAL,
    KEYWORD,
    SPLAT
  }
}
