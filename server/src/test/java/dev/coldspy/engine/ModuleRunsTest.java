package dev.coldspy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code MODEL = load_model()} at the handler's module level calls joblib during init, in 2 of 3 cold starts. */
class ModuleRunsTest {
  private final ModuleRuns runs = new ModuleRuns(List.of(
      Map.of("joblib.numpy_pickle", ModuleRun.calledAtInitBy("handler"),
          "joblib._utils", ModuleRun.calledAtInitBy("joblib.numpy_pickle")),
      Map.of("joblib.numpy_pickle", ModuleRun.calledAtInitBy("handler", "models.loader"),
          "markdown.core", ModuleRun.duringCalls()),
      Map.of("joblib._utils", ModuleRun.calledAtInitBy("joblib.numpy_pickle"),
          "markdown.core", new ModuleRun(false, true, Set.of()))));

  @Test
  void callsFromOutsideTheModulesAtInitAreUse() {
    ModuleRuns.InitUse joblib = runs.initUse(List.of("joblib"));
    assertEquals(2, joblib.coldStarts());
    assertEquals(List.of("handler", "models.loader"), List.copyOf(joblib.callers()));
  }

  @Test
  void callsAmongTheModulesThemselvesAreNot() {
    // cold start 2: only joblib's own numpy_pickle called joblib._utils
    ModuleRuns.InitUse utils = runs.initUse(List.of("joblib._utils"));
    assertEquals(2, utils.coldStarts());
    assertEquals(List.of("joblib.numpy_pickle"), List.copyOf(utils.callers()));
    assertEquals(2, runs.initUse(List.of("joblib")).coldStarts());
  }

  @Test
  void anUnknownCallerCountsAndCallsDuringHandlerCallsDoNot() {
    ModuleRuns.InitUse markdown = runs.initUse(List.of("markdown"));
    assertEquals(1, markdown.coldStarts());
    assertEquals(List.of(), List.copyOf(markdown.callers()));
    assertFalse(runs.initUse(List.of("requests")).any());
    assertEquals(ModuleRun.duringCalls(), runs.of(1, "markdown.core"));
    assertEquals(ModuleRun.NONE, runs.of(0, "markdown.core"));
  }
}
