package dev.coldspy.python;

import dev.coldspy.text.Span;

/**
 * One level of the statement nesting around a reference: the statement {@code statement} directly inside
 * the block (or module) {@code block}.
 */
public record StatementStep(Span block, Span statement) {}
