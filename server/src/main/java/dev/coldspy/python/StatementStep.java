package dev.coldspy.python;

import dev.coldspy.text.Span;

/**
 * One level of the statement nesting around a reference: the statement {@code statement} directly inside
 * the block (or module) {@code block}; {@code statementType} is its tree-sitter node type
 * ({@code if_statement}, {@code for_statement}, {@code class_definition}, {@code expression_statement}...).
 */
public record StatementStep(Span block, Span statement, String statementType) {
  /** A loop: code inside runs once per iteration. */
  public boolean isLoop() {
    return statementType.equals("for_statement") || statementType.equals("while_statement");
  }

  /** A class or function definition (maybe decorated): statements in its body bind in another namespace. */
  public boolean isDefinition() {
    return statementType.equals("class_definition")
        || statementType.equals("function_definition")
        || statementType.equals("decorated_definition");
  }
}
