package dev.coldspy.engine;

import dev.coldspy.rules.RuleCode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The rules that turn the facts about one import statement into a pattern, a saving and a message. Pure and
 * deterministic.
 *
 * <p>The estimated saving is the import time a fix avoids per cold start: {@code cost × (cold starts that do
 * not use it / cold starts)} for the usage patterns (a lazy import is still paid when the code needs the
 * module); for knowledge-file patterns the whole cost when the statement imports the library itself, else
 * the cost of the library it pulls in (a removed feature or a lighter library is saved on every cold start);
 * the whole cost for typing-only imports; for an unused part of a used library the import time of the parts
 * that never ran ({@link UnusedPartRule}). Modules used at init (called by module-level code) are used:
 * neither never nor rarely used. A module-level statement that is no import is judged only on what it loads
 * (unused parts, knowledge-file libraries), never on its names' use. When several patterns apply, a verdict the evidence supports
 * firmly beats one drawn from thin evidence (sparse samples), then the largest saving wins, then the
 * rule's {@link RuleCode#precedence()}.
 */
public final class Classifier {
  private Classifier() {}

  /** The verdict for a statement, or empty when it is cheap or well used. */
  public static Optional<Verdict> classify(StatementFacts facts, EngineSettings settings) {
    double minUs = settings.minMs() * 1000;
    if (facts.costUs() < minUs) {
      return Optional.empty();
    }
    List<Verdict> candidates = new ArrayList<>();
    if (facts.staticUse() == StaticUse.ANNOTATIONS_ONLY) {
      candidates.add(typingOnly(facts));
    }
    for (KnowledgeHit hit : facts.hits()) {
      if (hit.costUs() >= minUs) {
        knowledge(facts, hit, settings).ifPresent(candidates::add);
      }
    }
    if (facts.importStatement()) {
      usage(facts, settings).ifPresent(candidates::add);
    }
    UnusedPartRule.evaluate(facts.subject(), facts.costUs(), facts.costP90Us(), facts.tree(), facts.unusedParts(),
            facts.usage(), facts.initUse(), settings, facts.remedies())
        .map(outcome -> new Verdict(RuleCode.UNUSED_PART, outcome.savingUs(), outcome.savingFormula(),
            pattern(RuleCode.UNUSED_PART) + outcome.detail(), true))
        .ifPresent(candidates::add);
    // min-ms is the least saving worth reporting; a rule without an estimate has only the statement's cost.
    return candidates.stream()
        .filter(v -> !v.rule().estimatesSaving() || v.savingUs() >= minUs)
        .max(
            Comparator.comparing(Verdict::confident)
                .thenComparingDouble(Verdict::savingUs)
                .thenComparing(v -> -v.rule().precedence()));
  }

  private static Verdict typingOnly(StatementFacts facts) {
    String formula = "the whole cost: the import never needs to run";
    return new Verdict(
        RuleCode.TYPING_ONLY,
        facts.costUs(),
        formula,
        pattern(RuleCode.TYPING_ONLY)
            + facts.subject() + cost(facts)
            + "; its names appear only in annotations: import it under 'if TYPE_CHECKING:'; "
            + saves(facts.costUs(), formula),
        true);
  }

  private static Optional<Verdict> knowledge(
      StatementFacts facts, KnowledgeHit hit, EngineSettings settings) {
    LibraryEntry entry = hit.entry();
    boolean direct = !hit.modulePath().contains(" -> ");
    if (!direct && hit.costUs() < settings.transitiveShare() * facts.costUs()) {
      return Optional.empty(); // a small part of what the statement costs: not what the statement is about
    }
    double savingUs = direct ? facts.costUs() : hit.costUs();
    String loads = direct
        ? facts.subject() + cost(facts)
        : facts.subject() + cost(facts) + ", " + Units.ms(hit.costUs()) + " of it for " + entry.module()
            + " (" + hit.modulePath() + ")";
    String formula = direct ? "the whole cost, on every cold start"
        : "the import time of " + entry.module() + ", on every cold start";
    if (entry.rule() == RuleCode.FEATURE_REDUNDANCY) {
      return Optional.of(
          new Verdict(
              RuleCode.FEATURE_REDUNDANCY,
              savingUs,
              formula,
              pattern(RuleCode.FEATURE_REDUNDANCY)
                  + loads + (direct ? " for " : ", which serves ") + entry.what()
                  + ": a feature a serverless function does not need; " + entry.advice() + "; "
                  + saves(savingUs, formula),
              true));
    }
    String lightUse = "";
    if (entry.applies() == LibraryEntry.Applies.LIGHT_USE) {
      UsageEvidence use = hit.usage();
      double runUs = use.executionUsPerColdStart();
      if (!use.known() || !use.conclusive(settings.denseSamplesPerColdStart()) || runUs < 0
          || runUs >= settings.lightUseRatio() * hit.costUs()) {
        return Optional.empty();
      }
      lightUse = "; its code ran only ~" + Units.ms(runUs) + " per cold start ("
          + Units.count(use.samples()) + " of " + Units.count(use.totalSamples())
          + " execution samples)";
    }
    return Optional.of(
        new Verdict(
            RuleCode.LIBRARY_CHOICE,
            savingUs,
            formula,
            pattern(RuleCode.LIBRARY_CHOICE)
                + loads + lightUse
                + "; a lighter choice: " + entry.what() + "; " + entry.advice() + "; "
                + saves(savingUs, formula),
            true));
  }

  private static Optional<Verdict> usage(StatementFacts facts, EngineSettings settings) {
    UsageEvidence use = facts.usage();
    if (facts.staticUse() == StaticUse.MODULE_LEVEL || facts.initUse().any()) {
      // code that runs at import time needs it (the module's own, or a function module-level code calls): it is
      // used, just not in a handler call, and deferring it saves nothing
      return Optional.empty();
    }
    if (facts.origin() == StatementFacts.Origin.STANDARD_LIBRARY && facts.staticUse() != StaticUse.UNREFERENCED) {
      return Optional.empty();
    }
    if (!use.known() || facts.origin() == StatementFacts.Origin.NATIVE && use.coldStartsUsed() == 0) {
      String formula = "unknown: at most the whole cost, as the profiles record no usage";
      return Optional.of(
          new Verdict(
              RuleCode.USAGE_UNKNOWN,
              facts.costUs(),
              formula,
              pattern(RuleCode.USAGE_UNKNOWN)
                  + facts.subject() + cost(facts)
                  + (use.known()
                      ? "; it is compiled code, whose calls neither samples nor the usage signal see, so whether"
                          + " the code uses it is unknown; up to "
                      : use.sampleIntervalUs() > 0
                          // Sampled, yet not one execution-phase sample: the handler's calls are shorter
                          // than the sampling interval; only the exact signal can tell.
                          ? "; the profiles hold no execution-phase samples (the handler's calls are shorter than"
                              + " the sampling interval) and no exact usage signal, so whether the code uses it"
                              + " is unknown; profile again with the exact usage signal (`--usage-signal"
                              + " setprofile`, automatic on Python 3.12+) to find out; up to "
                          : "; the profiles hold no samples (e.g. an -X importtime log), so whether the code uses"
                              + " it is unknown; profile with ColdSpy's agent to find out; up to ")
                  + Units.ms(facts.costUs()) + " per cold start",
              false));
    }
    int unused = use.coldStarts() - use.coldStartsUsed();
    double savingUs = facts.costUs() * unused / use.coldStarts();
    String formula = "cost " + Units.ms(facts.costUs()) + " × " + unused + " of "
        + use.coldStarts() + " cold starts that do not use it";
    boolean conclusive = use.conclusive(settings.denseSamplesPerColdStart());
    String where = facts.useSite() == null ? "" : " (" + facts.useSite() + ")";
    if (use.coldStartsUsed() == 0) {
      boolean unreferenced = facts.staticUse() == StaticUse.UNREFERENCED;
      if (conclusive || unreferenced) {
        String advice = unreferenced
            ? "nothing in the code refers to it: remove it"
            : "lazy-load it where it is used" + where + " or remove the code that needs it";
        return Optional.of(
            new Verdict(
                RuleCode.NEVER_USED,
                savingUs,
                formula,
                pattern(RuleCode.NEVER_USED) + facts.subject() + cost(facts) + "; " + evidence(use)
                    + sparseNote(use, settings) + "; " + advice + "; " + saves(savingUs, formula),
                conclusive));
      }
      // Too few samples to call it never used: it is at least rarely used.
      return Optional.of(rarelyUsed(facts, settings, savingUs, formula, where, false));
    }
    if (use.usedFraction() < settings.rarelyUsedFraction()) {
      return Optional.of(rarelyUsed(facts, settings, savingUs, formula, where, conclusive));
    }
    return Optional.empty();
  }

  private static Verdict rarelyUsed(StatementFacts facts, EngineSettings settings, double savingUs, String formula,
      String where, boolean conclusive) {
    UsageEvidence use = facts.usage();
    return new Verdict(
        RuleCode.RARELY_USED,
        savingUs,
        formula,
        pattern(RuleCode.RARELY_USED) + facts.subject() + cost(facts) + "; " + evidence(use)
            + sparseNote(use, settings) + "; lazy-load it where it is used" + where + "; "
            + saves(savingUs, formula),
        conclusive);
  }

  private static String pattern(RuleCode rule) {
    return rule.pattern() + ": ";
  }

  private static String cost(StatementFacts facts) {
    return " costs " + Units.ms(facts.costUs()) + " per cold start (p90 " + Units.ms(facts.costP90Us()) + ")";
  }

  /** "used in 3 of 40 cold starts (5 of 120 invocations; 57 of 86,689 execution samples)". */
  static String evidence(UsageEvidence use) {
    StringBuilder text = new StringBuilder();
    text.append("used in ").append(use.coldStartsUsed()).append(" of ");
    text.append(use.coldStarts()).append(use.coldStarts() == 1 ? " cold start" : " cold starts");
    List<String> details = new ArrayList<>();
    if (use.exact() && use.invocationsObserved() > 0) {
      details.add(use.invocationsUsed() + " of " + use.invocationsObserved() + " invocations");
    }
    if (use.totalSamples() > 0 || !use.exact()) {
      details.add(Units.count(use.samples()) + " of " + samples(use.totalSamples()));
    }
    if (!details.isEmpty()) {
      text.append(" (").append(String.join("; ", details)).append(')');
    }
    return text.toString();
  }

  private static String sparseNote(UsageEvidence use, EngineSettings settings) {
    if (use.conclusive(settings.denseSamplesPerColdStart())) {
      return "";
    }
    String interval = use.sampleIntervalUs() > 0 ? ", one every " + Units.ms(use.sampleIntervalUs()) : "";
    return "; samples are sparse (" + samples(use.totalSamples()) + interval
        + ") and there is no exact usage signal, so it may run more often than seen";
  }

  private static String samples(long count) {
    return Units.count(count) + (count == 1 ? " execution sample" : " execution samples");
  }

  private static String saves(double savingUs, String formula) {
    return "saves ~" + Units.ms(savingUs) + " per cold start (" + formula + ")";
  }
}
