package dev.coldspy.intellij.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coldspy.intellij.core.StatusParams;
import dev.coldspy.intellij.core.StatusText;
import org.junit.jupiter.api.Test;

/** The IntelliJ status bar widget's texts for the server's {@code coldspy/status}. */
class StatusTextTest {

  @Test
  void theHandlersInitCostAndThePossibleSaving() {
    StatusText text = StatusText.of(new StatusParams("handler.py:handler", 812.3, 640.1, 3));

    assertEquals("handler: 812 ms init (−640 ms possible)", text.text());
    assertEquals("ColdSpy: handler.py:handler spends 812 ms in imports per cold start; the suggested fixes would save"
        + " about 640 ms (from 3 profiles).", text.tooltip());
  }

  @Test
  void secondsAboveOneThousandMillisecondsAndNoSavingWhenThereIsNone() {
    StatusText text = StatusText.of(new StatusParams("src/app.py:main", 1534, 0, 1));

    assertEquals("main: 1.53 s init", text.text());
    assertEquals("ColdSpy: src/app.py:main spends 1.53 s in imports per cold start (from 1 profile).", text.tooltip());
    assertEquals("h: 12.0 s init", StatusText.of(new StatusParams("h.py:h", 12000, 0, 1)).text());
  }

  @Test
  void noProfileSaysHowToMakeOne() {
    for (StatusParams none : new StatusParams[] {new StatusParams(null, 0, 0, 0), new StatusParams("h.py:h", 5, 1, 0), null}) {
      StatusText text = StatusText.of(none);
      assertEquals("ColdSpy: no profile", text.text());
      assertTrue(text.tooltip().contains("coldspy.jar profile handler.py:handler --event events/"), text.tooltip());
    }
  }
}
