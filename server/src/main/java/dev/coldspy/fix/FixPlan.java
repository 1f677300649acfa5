package dev.coldspy.fix;

import dev.coldspy.rules.FixKind;
import dev.coldspy.text.SpanEdit;
import java.util.List;

/** The answer of the fix planner for one import statement and one fix kind: edits, or why not. */
public sealed interface FixPlan permits FixPlan.Safe, FixPlan.Unsafe {
  FixKind kind();

  /**
   * The fix is safe: apply {@code edits} (all against the planned text, non-overlapping). {@code caveat} is a
   * behaviour difference the user accepts with the fix (from the knowledge file), or empty.
   */
  record Safe(FixKind kind, String title, List<SpanEdit> edits, String caveat) implements FixPlan {
    public Safe {
      edits = List.copyOf(edits);
      caveat = caveat == null ? "" : caveat;
    }

    public Safe(FixKind kind, String title, List<SpanEdit> edits) {
      this(kind, title, edits, "");
    }
  }

  /** The fix would change behaviour or cannot be expressed; {@code reason} says why, for the user. */
  record Unsafe(FixKind kind, String reason) implements FixPlan {}
}
