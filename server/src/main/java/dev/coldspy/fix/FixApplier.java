package dev.coldspy.fix;

import dev.coldspy.python.ImportStatement;
import dev.coldspy.python.PythonModule;
import dev.coldspy.rules.FixKind;
import dev.coldspy.text.SpanEdit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Applies several fixes to one file. Each fix is planned on the text the previous ones produced (so two
 * guards share one {@code if TYPE_CHECKING:} block and two lazy-loads of one statement do not collide), and
 * the remaining requests follow their statements through every edit.
 */
public final class FixApplier {
  private final FixPlanner planner;

  public FixApplier(FixPlanner planner) {
    this.planner = planner;
  }

  /**
   * The outcome: the new module and, per request in order, the plan that was applied, or the refusal of
   * the last kind tried.
   */
  public record Result(PythonModule module, List<FixPlan> plans) {
    public boolean changed(PythonModule original) {
      return !module.source().equals(original.source());
    }

    public List<FixPlan.Unsafe> refused() {
      return plans.stream().filter(FixPlan.Unsafe.class::isInstance).map(FixPlan.Unsafe.class::cast).toList();
    }
  }

  /**
   * Applies the safe ones of {@code requests} (statement indexes refer to {@code module}'s import index). A
   * request whose statement was removed by an earlier fix, or whose names are no longer bound by it, is
   * skipped.
   */
  public Result apply(PythonModule module, List<FixRequest> requests) {
    PythonModule current = module;
    // Edits renumber statements: each request follows its statement's start through them.
    List<Integer> offsets = new ArrayList<>();
    for (FixRequest request : requests) {
      offsets.add(module.imports().statement(request.statement()).map(s -> s.span().start()).orElse(-1));
    }
    List<FixPlan> plans = new ArrayList<>();
    for (int i = 0; i < requests.size(); i++) {
      FixRequest request = requests.get(i);
      FixKind firstKind = request.kinds().get(0);
      Optional<ImportStatement> statement = statementAt(current, offsets.get(i));
      if (statement.isEmpty()) {
        plans.add(new FixPlan.Unsafe(firstKind, "the import statement is gone (changed by an earlier fix)"));
        continue;
      }
      List<String> names =
          request.names().stream().filter(n -> statement.get().name(n).isPresent()).sorted().toList();
      if (!request.names().isEmpty() && names.isEmpty()) {
        plans.add(new FixPlan.Unsafe(firstKind, "the names were already moved by an earlier fix"));
        continue;
      }
      FixPlan plan = null;
      List<String> reasons = new ArrayList<>();
      for (FixKind kind : request.kinds()) {
        plan = planner.plan(current, statement.get(), names, kind);
        if (plan instanceof FixPlan.Safe) {
          break;
        }
        reasons.add(kind.title() + ": " + ((FixPlan.Unsafe) plan).reason());
      }
      if (plan instanceof FixPlan.Unsafe && reasons.size() > 1) {
        plan = new FixPlan.Unsafe(firstKind, String.join("; ", reasons));
      }
      plans.add(plan);
      if (plan instanceof FixPlan.Safe safe) {
        for (int j = i + 1; j < requests.size(); j++) {
          offsets.set(j, shift(offsets.get(j), safe.edits()));
        }
        current = current.reparse(SpanEdit.applyAll(current.source(), safe.edits()));
      }
    }
    return new Result(current, List.copyOf(plans));
  }

  private static Optional<ImportStatement> statementAt(PythonModule module, int offset) {
    return module.imports().statements().stream()
        .filter(s -> s.span().start() == offset || (s.lazy() && s.span().start() + "lazy ".length() == offset))
        .findFirst();
  }

  /** Where {@code offset} moves to after {@code edits}; -1 when the text around it was replaced. */
  static int shift(int offset, List<SpanEdit> edits) {
    if (offset < 0) {
      return offset;
    }
    int delta = 0;
    for (SpanEdit edit : edits) {
      if (edit.span().end() <= offset && !(edit.span().isEmpty() && edit.span().start() == offset)) {
        delta += edit.newText().length() - edit.span().length();
      } else if (edit.span().isEmpty() && edit.span().start() == offset) {
        // text inserted right before the statement (e.g. a PEP 810 "lazy " prefix, a new line): it moves
        delta += edit.newText().length();
      } else if (edit.span().start() <= offset && offset < edit.span().end()) {
        return -1;
      }
    }
    return offset + delta;
  }
}
