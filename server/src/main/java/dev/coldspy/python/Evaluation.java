package dev.coldspy.python;

/** Why and when the expression holding a name reference is evaluated. */
public enum Evaluation {
  /** Ordinary code: a module, class or function body, a lambda or comprehension. */
  CODE,
  /** A decorator expression: evaluated when the decorated definition runs. */
  DECORATOR,
  /** A parameter default: evaluated when the {@code def}/{@code lambda} runs. */
  DEFAULT_ARGUMENT,
  /** A base class or class keyword ({@code metaclass=...}): evaluated when the class statement runs. */
  BASE_CLASS,
  /** An annotation Python evaluates when its definition runs (no {@code from __future__ import annotations}). */
  ANNOTATION,
  /**
   * An annotation Python never evaluates: a local variable's in a function, or any annotation under
   * {@code from __future__ import annotations}. Tools may still evaluate it with {@code get_type_hints}.
   */
  ANNOTATION_NOT_EVALUATED,
  /** A name inside a string annotation ({@code x: "Policy"}): never evaluated by Python itself. */
  STRING_ANNOTATION,
  /** A string in the module's {@code __all__}: {@code from module import *} exports it. */
  ALL_EXPORT;

  /** Whether this kind of reference is an annotation of some form. */
  public boolean isAnnotation() {
    return this == ANNOTATION || this == ANNOTATION_NOT_EVALUATED || this == STRING_ANNOTATION;
  }
}
