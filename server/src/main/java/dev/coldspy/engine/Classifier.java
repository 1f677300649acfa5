package dev.coldspy.engine;

import dev.coldspy.profile.SampledColdStarts;
import dev.coldspy.rules.RuleCode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The rules that turn the facts about one import statement into a pattern, an estimate and a message. Pure
 * and deterministic.
 *
 * <p>The unit is the cold start a user waits for: init plus the first invocation ({@link Estimate}).
 * Deferring a statement used in k of n cold starts saves its cost in init and moves it into the first
 * invocation of the k that use it, so the never/rarely-used estimate is the net {@code cost × (n − k) / n}.
 * The knowledge-file patterns' remedy removes the library (another library, no feature): the whole cost when
 * the statement imports the library itself, else the cost of the library it pulls in, all of it from init.
 * Typing-only imports never need to run: the whole cost. For an unused part of a used library: the import
 * time of the parts that never ran ({@link UnusedPartRule}). Modules used at init (called by module-level
 * code) are used: neither never nor rarely used. A module-level statement that is no import is judged only on
 * what it loads (unused parts, knowledge-file libraries), never on its names' use. When several patterns
 * apply, a verdict the evidence supports firmly beats one drawn from thin evidence (sparse samples) or a
 * borderline ratio, then the largest saving wins, then the rule's {@link RuleCode#precedence()}.
 *
 * <p>Decisions rest on evidence that does not scale with machine speed where they can: usage counts and
 * fractions, sample shares and the knowledge file. The two ratio cut-offs (light use, a pulled-in library's
 * share) compare times that machine load and bytecode shift unevenly: a value within
 * {@link EngineSettings#borderlineFactor()} of the cut-off on the far side still gives the finding, marked
 * borderline (information), so that it does not appear and vanish from run to run.
 *
 * <p>Messages are short, as a linter's are: what, the remedy and how much, at most {@link #MESSAGE_LIMIT}
 * characters; the evidence goes into the verdict's {@code detail}.
 */
public final class Classifier {
  /** The longest message, in characters: a Problems panel or a terminal line shows it whole. */
  public static final int MESSAGE_LIMIT = 120;
  private static final int SUBJECT_LIMIT = 40;
  private static final String BORDERLINE = ", borderline";

  private Classifier() {}

  /** The verdict for a statement, or empty when it is cheap or well used. */
  public static Optional<Verdict> classify(StatementFacts facts, EngineSettings settings) {
    double minUs = settings.minMs() * 1000;
    // min-ms, the one absolute cut-off, gets the same band as the ratio cut-offs: within borderlineFactor below
    // it a finding stays, marked borderline, so that a statement near it does not come and go with the
    // machine. It judges what the statement costs with bytecode: compiling from source (CS107's) would
    // otherwise add findings to a deployment without bytecode that vanish once it is precompiled.
    double floorUs = minUs / settings.borderlineFactor();
    double bytecodeShare = facts.loadedFromBytecodeShare();
    if (facts.costUs() * bytecodeShare < floorUs) {
      return Optional.empty();
    }
    List<Draft> candidates = new ArrayList<>();
    if (facts.staticUse() == StaticUse.ANNOTATIONS_ONLY) {
      candidates.add(typingOnly(facts));
    }
    for (KnowledgeHit hit : facts.hits()) {
      if (hit.costUs() * bytecodeShare >= floorUs) {
        knowledge(facts, hit, settings).ifPresent(candidates::add);
      }
    }
    if (facts.importStatement()) {
      usage(facts, settings).ifPresent(candidates::add);
    }
    UnusedPartRule.evaluate(facts.subject(), facts.costUs(), facts.costP90Us(), facts.tree(), facts.unusedParts(),
            facts.usage(), facts.initUse(), settings, facts.remedies())
        .map(outcome -> unusedPart(facts, outcome))
        .ifPresent(candidates::add);
    // min-ms is the least saving worth reporting; a rule without an estimate has only the statement's cost.
    return candidates.stream()
        .flatMap(d -> {
          double withBytecodeUs = deciding(d, facts) * bytecodeShare;
          return withBytecodeUs < floorUs ? Stream.empty()
              : Stream.of(withBytecodeUs < minUs ? nearMinimum(d, withBytecodeUs, settings) : d);
        })
        .max(
            Comparator.comparing((Draft d) -> d.confident() && !d.borderline())
                .thenComparingDouble(Draft::savingUs)
                .thenComparing(d -> -d.rule().precedence()))
        .map(d -> d.render(facts.subject()));
  }

  /**
   * A verdict before its message is made: the message for a given (shortened) subject, made once whether the
   * verdict is borderline is known (min-ms's band is applied after the rules), so that the message is fitted
   * into the room the borderline mark leaves and the mark is never cut off.
   */
  private record Draft(RuleCode rule, Estimate estimate, String savingFormula, Function<String, String> message,
      String detail, boolean confident, boolean borderline) {
    Draft(RuleCode rule, Estimate estimate, String savingFormula, Function<String, String> message, String detail,
        boolean confident) {
      this(rule, estimate, savingFormula, message, detail, confident, false);
    }

    double savingUs() {
      return estimate.netUs();
    }

    Verdict render(String subject) {
      String text = borderline ? fit(message, subject, MESSAGE_LIMIT - BORDERLINE.length()) + BORDERLINE
          : fit(message, subject, MESSAGE_LIMIT);
      return new Verdict(rule, estimate, savingFormula, text, detail, confident, borderline);
    }
  }

  /** What min-ms is compared with: the saving, or the statement's cost for a rule without an estimate. */
  private static double deciding(Draft draft, StatementFacts facts) {
    return draft.rule().estimatesSaving() ? draft.savingUs() : facts.costUs();
  }

  /** A verdict whose saving (with bytecode) lies in min-ms's band below it: kept, marked borderline. */
  private static Draft nearMinimum(Draft draft, double valueUs, EngineSettings settings) {
    if (draft.borderline()) {
      return draft;
    }
    return new Draft(draft.rule(), draft.estimate(), draft.savingFormula(), draft.message(),
        draft.detail() + " Borderline: ~" + Units.ms(valueUs) + " with bytecode, near the min-ms cut-off of "
            + Units.ms(settings.minMs() * 1000) + "; machine load or bytecode may shift it.",
        draft.confident(), true);
  }

  /** The parts that never ran are not imported at all once deferred: their cost leaves init, nothing moves. */
  private static Draft unusedPart(StatementFacts facts, UnusedPartRule.Outcome outcome) {
    Estimate estimate = Estimate.removing(outcome.savingUs());
    List<UnusedPart> culprits = outcome.culprits();
    String parts = culprits.size() == 1 ? culprits.get(0).module() + ", which never ran"
        : culprits.get(0).module() + " and " + (culprits.size() - 1) + " more part"
            + (culprits.size() == 2 ? "" : "s") + " that never ran";
    return new Draft(
        RuleCode.UNUSED_PART,
        estimate,
        outcome.savingFormula(),
        subject -> subject + " loads " + parts + saves(estimate),
        pattern(RuleCode.UNUSED_PART) + outcome.detail(),
        true);
  }

  private static Draft typingOnly(StatementFacts facts) {
    Estimate estimate = Estimate.removing(facts.costUs());
    String formula = "the whole cost: the import never needs to run";
    return new Draft(
        RuleCode.TYPING_ONLY,
        estimate,
        formula,
        subject -> subject + " used only in annotations — import it under TYPE_CHECKING"
            + saves(estimate),
        pattern(RuleCode.TYPING_ONLY) + facts.subject() + cost(facts)
            + "; its names appear only in annotations: import it under 'if TYPE_CHECKING:'. "
            + estimateSentence(estimate, formula),
        true);
  }

  private static Optional<Draft> knowledge(
      StatementFacts facts, KnowledgeHit hit, EngineSettings settings) {
    LibraryEntry entry = hit.entry();
    boolean direct = !hit.modulePath().contains(" -> ");
    double share = hit.costUs() / facts.costUs();
    if (!direct && share < settings.transitiveShare() / settings.borderlineFactor()) {
      return Optional.empty(); // a small part of what the statement costs: not what the statement is about
    }
    boolean borderline = !direct && share < settings.transitiveShare();
    Estimate estimate = Estimate.removing(direct ? facts.costUs() : hit.costUs());
    String loads = direct
        ? facts.subject() + cost(facts)
        : facts.subject() + cost(facts) + ", " + Units.ms(hit.costUs()) + " of it for " + entry.module()
            + " (" + hit.modulePath() + ")";
    String formula = direct ? "the whole cost, on every cold start"
        : "the import time of " + entry.module() + ", on every cold start";
    String deferring = deferringSentence(facts);
    String what = withoutParentheses(entry.what());
    if (entry.rule() == RuleCode.FEATURE_REDUNDANCY) {
      String suffix = saves(estimate);
      Function<String, String> message = direct
          ? subject -> subject + " only serves " + what + " — remove it" + suffix
          : subject -> subject + " loads " + entry.module() + " for " + what + " — avoid it" + suffix;
      return Optional.of(
          new Draft(
              RuleCode.FEATURE_REDUNDANCY,
              estimate,
              formula,
              message,
              pattern(RuleCode.FEATURE_REDUNDANCY)
                  + loads + (direct ? " for " : ", which serves ") + entry.what()
                  + ": a feature a serverless function does not need; " + entry.advice() + ". "
                  + estimateSentence(estimate, formula) + deferring + borderlineSentence(borderline, share, -1, settings),
              true,
              borderline));
    }
    String lightUse = "";
    double runShare = -1;
    if (entry.applies() == LibraryEntry.Applies.LIGHT_USE) {
      UsageEvidence use = hit.usage();
      double runUs = use.executionUsPerColdStart();
      if (!use.known() || !use.conclusive(settings.denseSamplesPerColdStart()) || runUs < 0
          || runUs >= settings.lightUseRatio() * settings.borderlineFactor() * hit.costUs()) {
        return Optional.empty();
      }
      runShare = runUs / hit.costUs();
      borderline |= runShare >= settings.lightUseRatio();
      lightUse = "; its code ran only ~" + Units.ms(runUs) + " per cold start ("
          + Units.count(use.samples()) + " of " + Units.count(use.totalSamples())
          + " execution samples)";
    }
    String suffix = saves(estimate);
    Function<String, String> message = direct
        ? subject -> subject + " has a lighter alternative: " + what + suffix
        : subject -> subject + " loads " + entry.module() + " — lighter: " + what + suffix;
    return Optional.of(
        new Draft(
            RuleCode.LIBRARY_CHOICE,
            estimate,
            formula,
            message,
            pattern(RuleCode.LIBRARY_CHOICE)
                + loads + lightUse
                + "; a lighter choice: " + entry.what() + "; " + entry.advice() + ". "
                + estimateSentence(estimate, formula) + deferring + borderlineSentence(borderline, share, runShare, settings),
            true,
            borderline));
  }

  private static Optional<Draft> usage(StatementFacts facts, EngineSettings settings) {
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
      return Optional.of(usageUnknown(facts));
    }
    int unused = use.coldStarts() - use.coldStartsUsed();
    boolean unreferenced = facts.staticUse() == StaticUse.UNREFERENCED;
    Estimate estimate = unreferenced ? Estimate.removing(facts.costUs()) : Estimate.deferring(facts.costUs(), use);
    String formula = "cost " + Units.ms(facts.costUs()) + " × " + unused + " of "
        + use.coldStarts() + " cold starts that do not use it";
    boolean conclusive = use.conclusive(settings.denseSamplesPerColdStart());
    String where = facts.useSite() == null ? "" : " (" + facts.useSite() + ")";
    if (use.coldStartsUsed() == 0) {
      if (conclusive || unreferenced) {
        String advice = unreferenced
            ? "nothing in the code refers to it: remove it"
            : "lazy-load it where it is used" + where + " or remove the code that needs it";
        String coldStarts = use.coldStarts() + (use.coldStarts() == 1 ? " cold start" : " cold starts");
        return Optional.of(
            new Draft(
                RuleCode.NEVER_USED,
                estimate,
                formula,
                subject -> subject + " never used in " + coldStarts + " — "
                    + (unreferenced ? "remove it" : "lazy-load or remove it") + saves(estimate),
                pattern(RuleCode.NEVER_USED) + facts.subject() + cost(facts) + "; " + evidence(use)
                    + sparseNote(use, settings) + "; " + advice + ". " + estimateSentence(estimate, formula),
                conclusive));
      }
      // Too few samples to call it never used: it is at least rarely used.
      return Optional.of(rarelyUsed(facts, settings, estimate, formula, where, false));
    }
    if (use.usedFraction() < settings.rarelyUsedFraction()) {
      return Optional.of(rarelyUsed(facts, settings, estimate, formula, where, conclusive));
    }
    return Optional.empty();
  }

  private static Draft usageUnknown(StatementFacts facts) {
    UsageEvidence use = facts.usage();
    String formula = "unknown: at most the whole cost, as the profiles record no usage";
    String why = use.known()
        ? "it is compiled code, whose calls neither samples nor the usage signal see, so whether"
            + " the code uses it is unknown"
        : use.sampleIntervalUs() > 0 && use.coldStarts() == 0
            ? "no cold start of the profiles served an invocation (environments initialized ahead of requests"
                + " that did not come, or ended during init), so whether the code uses it is unknown"
        : use.sampleIntervalUs() > 0
            // Sampled, yet not one execution-phase sample: the handler's calls are shorter than the sampling
            // interval; only the exact signal can tell.
            ? "the profiles hold no execution-phase samples (the handler's calls are shorter than"
                + " the sampling interval) and no exact usage signal, so whether the code uses it"
                + " is unknown; profile again with an exact usage signal (automatic on Python 3.12+;"
                + " before: `COLDSPY_USAGE_SIGNAL=code-counters` in Lambda, the local runner's default"
                + " `--usage-signal exact`) to find out"
            : "the profiles hold no samples (e.g. an -X importtime log), so whether the code uses"
                + " it is unknown; profile with ColdSpy's agent to find out";
    return new Draft(
        RuleCode.USAGE_UNKNOWN,
        Estimate.removing(facts.costUs()),
        formula,
        subject -> subject + " costs ~" + Units.roundMs(facts.costUs()) + " per cold start; "
            + (use.known() ? "compiled code: use unseen" : "usage unknown"),
        pattern(RuleCode.USAGE_UNKNOWN) + facts.subject() + cost(facts) + "; " + why + "; up to "
            + Units.ms(facts.costUs()) + " per cold start",
        false);
  }

  private static Draft rarelyUsed(StatementFacts facts, EngineSettings settings, Estimate estimate,
      String formula, String where, boolean conclusive) {
    UsageEvidence use = facts.usage();
    String seen = (conclusive ? " used in " : " seen in ") + use.coldStartsUsed() + "/" + use.coldStarts()
        + " cold starts" + (conclusive ? "" : " (sparse samples)");
    return new Draft(
        RuleCode.RARELY_USED,
        estimate,
        formula,
        subject -> subject + seen + " — lazy-load saves ~" + Units.roundMs(estimate.netUs()),
        pattern(RuleCode.RARELY_USED) + facts.subject() + cost(facts) + "; " + evidence(use)
            + sparseNote(use, settings) + "; lazy-load it where it is used" + where + ". "
            + estimateSentence(estimate, formula),
        conclusive);
  }

  /**
   * Why a finding is borderline: the deciding ratio and its cut-off. {@code runShare} is the light-use ratio
   * (run time over import time), or -1 when that did not decide.
   */
  private static String borderlineSentence(boolean borderline, double share, double runShare,
      EngineSettings settings) {
    if (!borderline) {
      return "";
    }
    return runShare >= settings.lightUseRatio()
        ? " Borderline: its code ran " + percent(runShare) + " of its import time, near the "
            + percent(settings.lightUseRatio()) + " light-use cut-off; machine load or bytecode may shift it."
        : " Borderline: the library is " + percent(share) + " of the statement's cost, near the "
            + percent(settings.transitiveShare()) + " cut-off; machine load or bytecode may shift it.";
  }

  private static String percent(double fraction) {
    return Math.round(fraction * 100) + " %";
  }

  /**
   * The message with its subject shortened until it fits {@code limit} characters (a statement importing many
   * modules), and cut as a last resort.
   */
  static String fit(Function<String, String> message, String subject, int limit) {
    String whole = message.apply(shorten(subject, SUBJECT_LIMIT));
    int excess = whole.length() - limit;
    if (excess > 0 && subject.length() > 1) {
      whole = message.apply(shorten(subject, Math.max(8, Math.min(subject.length(), SUBJECT_LIMIT) - excess)));
    }
    return whole.length() <= limit ? whole : whole.substring(0, limit - 1) + "…";
  }

  private static String shorten(String text, int limit) {
    return text.length() <= limit ? text : text.substring(0, limit - 1) + "…";
  }

  /** "colour, tables (in a terminal)" → "colour, tables": the short form of a knowledge-file phrase. */
  private static String withoutParentheses(String text) {
    int open = text.indexOf(" (");
    return open < 0 ? text : text.substring(0, open);
  }

  private static String pattern(RuleCode rule) {
    return rule.pattern() + ": ";
  }

  private static String cost(StatementFacts facts) {
    return " costs " + Units.ms(facts.costUs()) + " per cold start (p90 " + Units.ms(facts.costP90Us()) + ")";
  }

  private static String saves(Estimate estimate) {
    return " (saves ~" + Units.roundMs(estimate.netUs()) + ")";
  }

  /** "Per cold start: init −480.0 ms, first invocation +48.0 ms, cold start −432.0 ms (cost … × …)." */
  private static String estimateSentence(Estimate estimate, String formula) {
    return "Per cold start: " + estimate.parts() + " (" + formula + ").";
  }

  /**
   * What deferring the statement instead of the knowledge file's remedy would do: for an import most cold
   * starts use, it only moves the cost into the first request.
   */
  private static String deferringSentence(StatementFacts facts) {
    UsageEvidence use = facts.usage();
    if (!use.known() || use.coldStarts() == 0) {
      return "";
    }
    Estimate deferring = Estimate.deferring(facts.costUs(), use);
    String used = " (used in " + use.coldStartsUsed() + " of " + use.coldStarts() + " cold starts)";
    return deferring.netUs() <= 0
        ? " Lazy-loading it would only move its cost into the first request" + used + "."
        : " Lazy-loading it instead: " + deferring.parts() + used + ".";
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
    int dense = settings.denseSamplesPerColdStart();
    List<String> groups = new ArrayList<>();
    SampledColdStarts withoutExact = use.withoutExactSignal();
    if (!withoutExact.dense(dense)) {
      groups.add(samples(withoutExact.executionSamples()) + (withoutExact.coldStarts() == use.coldStarts() ? ""
          : " over the " + coldStarts(withoutExact.coldStarts()) + " without an exact usage signal"));
    }
    if (!use.unseen().dense(dense)) {
      groups.add(samples(use.unseen().executionSamples()) + " over the " + coldStarts(use.unseen().coldStarts())
          + " whose exact usage signal could not tell");
    }
    if (groups.isEmpty()) { // no cold start to judge: no evidence of use beyond the samples there are
      groups.add(samples(use.totalSamples()));
    }
    // The interval belongs to all groups: after a comma with one, as a group of its own with two.
    String interval = use.sampleIntervalUs() <= 0 ? ""
        : (groups.size() > 1 ? "; " : ", ") + "one every " + Units.ms(use.sampleIntervalUs());
    return "; samples are sparse (" + String.join("; ", groups) + interval
        + ") and no exact usage signal could tell in every cold start, so it may run more often than seen";
  }

  private static String coldStarts(int count) {
    return count == 1 ? "cold start" : count + " cold starts";
  }

  private static String samples(long count) {
    return Units.count(count) + (count == 1 ? " execution sample" : " execution samples");
  }
}
