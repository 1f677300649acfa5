package dev.coldspy.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The fix order is the preference order: the CLI applies the first safe one, editors list them in order. */
class RuleCodeTest {
  @Test
  void aFixThatEndsTheCostForGoodComesBeforeDeferringIt() {
    assertEquals(List.of(FixKind.REPLACE, FixKind.PEP810_LAZY, FixKind.LAZY_LOAD), RuleCode.LIBRARY_CHOICE.fixes());
    assertEquals(List.of(FixKind.TYPE_CHECKING_GUARD, FixKind.LAZY_LOAD), RuleCode.TYPING_ONLY.fixes());
    assertEquals(List.of(FixKind.REMOVE, FixKind.PEP810_LAZY, FixKind.LAZY_LOAD), RuleCode.NEVER_USED.fixes());
  }

  @Test
  void pep810IsPreferredToMovingTheImportIntoFunctions() {
    assertEquals(List.of(FixKind.PEP810_LAZY, FixKind.LAZY_LOAD), RuleCode.RARELY_USED.fixes());
  }

  @Test
  void theRuleWithTheSimplerFixWinsATieAndTheOneWithoutAnEstimateComesLast() {
    // The rules that compete for one import statement (CS107 is a finding on the handler, never on an import).
    List<RuleCode> byPrecedence = java.util.Arrays.stream(RuleCode.values())
        .filter(rule -> rule != RuleCode.COMPILED_FROM_SOURCE)
        .sorted(java.util.Comparator.comparingInt(RuleCode::precedence)).toList();
    assertEquals(List.of(RuleCode.TYPING_ONLY, RuleCode.NEVER_USED, RuleCode.FEATURE_REDUNDANCY,
        RuleCode.LIBRARY_CHOICE, RuleCode.RARELY_USED, RuleCode.UNUSED_PART, RuleCode.USAGE_UNKNOWN), byPrecedence);
    assertEquals(List.of(RuleCode.USAGE_UNKNOWN),
        java.util.Arrays.stream(RuleCode.values()).filter(rule -> !rule.estimatesSaving()).toList());
    assertEquals("note", RuleCode.USAGE_UNKNOWN.sarifLevel());
    assertEquals("warning", RuleCode.NEVER_USED.sarifLevel());
  }

  @Test
  void aFeatureNobodyNeedsAtImportTimeIsRemovedEvenWhenReferenced() {
    FixSituation referencedInFunctions = new FixSituation(RuleCode.FEATURE_REDUNDANCY, true, false, false, false,
        false, false);
    assertEquals(true, FixKind.REMOVE.appliesTo(referencedInFunctions));
    assertEquals(false, FixKind.REMOVE.appliesTo(new FixSituation(RuleCode.RARELY_USED, true, false, false, false,
        false, false)));
    assertEquals(false, FixKind.PEP810_LAZY.appliesTo(referencedInFunctions));
    assertEquals(true, FixKind.LAZY_LOAD.appliesTo(referencedInFunctions));
  }
}
