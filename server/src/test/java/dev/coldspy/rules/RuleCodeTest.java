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
}
