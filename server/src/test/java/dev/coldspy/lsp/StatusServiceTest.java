package dev.coldspy.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.coldspy.engine.Estimate;
import dev.coldspy.engine.HandlerSummary;
import dev.coldspy.profile.Distribution;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusServiceTest {
  @Test
  void theStatusCarriesTheHandlerInitSavingAndCompileTimeInMilliseconds() {
    HandlerSummary summary = new HandlerSummary("rules_engine", "handler.py:handler", 2, 10, 10,
        Distribution.of(476_900, 480_000, 470_000), 362_500, Estimate.removing(334_840), List.of(), 88_660);

    assertEquals(new StatusParams("handler.py:handler", 476.9, 334.8, 2, 88.7), StatusService.status(summary));
  }

  @Test
  void withoutAHandlerTheAppNamesTheStatusAndNoCompilingIsZero() {
    HandlerSummary summary = new HandlerSummary("rules_engine", null, 1, 3, 3, Distribution.of(100_000), 0,
        Estimate.NONE, List.of(), 0);

    assertEquals(new StatusParams("rules_engine", 100.0, 0.0, 1, 0.0), StatusService.status(summary));
  }
}
