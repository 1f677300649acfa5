package dev.coldspy.fix;

import dev.coldspy.rules.FixKind;
import dev.coldspy.text.TextEdit;
import java.util.List;

/** The answer of the fix planner for one import statement and one fix kind: edits, or why not. */
public sealed interface FixPlan permits FixPlan.Safe, FixPlan.Unsafe {
  FixKind kind();

  /** The fix is safe: apply {@code edits} (all against the planned text, non-overlapping). */
  record Safe(FixKind kind, String title, List<TextEdit> edits) implements FixPlan {
    public Safe {
      edits = List.copyOf(edits);
    }
  }

  /** The fix would change behaviour or cannot be expressed; {@code reason} says why, for the user. */
  record Unsafe(FixKind kind, String reason) implements FixPlan {}
}
