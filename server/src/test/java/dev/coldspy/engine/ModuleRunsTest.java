package dev.coldspy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.coldspy.profile.ProfileReader;
import dev.coldspy.profile.ProfileSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  /**
   * Python 3.11, no exact record of use at init: {@code TARIFFS = load_tariffs()} calls openpyxl's
   * load_workbook during init, and numpy's function is called by openpyxl.compat.numbers' module body while it
   * is imported. The cold start's import-phase call samples say that the module's function was called at init;
   * the call tree says by whom, and whether app code was running (use) or a library's import (no use).
   */
  @Test
  void sampledCallsDuringInitAreUseByTheCallingFramesModules(@TempDir Path dir) throws Exception {
    ModuleRuns sampled = ModuleRuns.of(shipping(dir, "/site"));
    // load_workbook called by the handler's load_tariffs; ExcelReader.read, called from its own file, is no
    // other caller
    assertEquals(ModuleRun.calledAtInitBy("handler"), sampled.of(0, "openpyxl.reader.excel"));
    // numpy's sctype called by openpyxl.compat.numbers' module body while it is imported, and directly by the
    // import machinery: what importing them costs, no use
    assertEquals(ModuleRun.NONE, sampled.of(0, "numpy._core.numerictypes"));
    // pyparsing's module body reads a functools.cached_property that calls back into pyparsing: no other caller
    assertEquals(ModuleRun.NONE, sampled.of(0, "pyparsing.core"));
    // cold start 1 has no import-phase call sample of openpyxl: no sampled use there
    assertEquals(ModuleRun.NONE, sampled.of(1, "openpyxl.reader.excel"));
    ModuleRuns.InitUse openpyxl = sampled.initUse(List.of("openpyxl"));
    assertEquals(1, openpyxl.coldStarts());
    assertEquals(List.of("handler"), List.copyOf(openpyxl.callers()));
  }

  /**
   * The same app deployed in Lambda's zip layout, its libraries vendored beside handler.py: openpyxl's module
   * body calling numpy while it is imported is still what importing them costs, as with the libraries installed.
   * (Taken for the app's code, such calls made a library's part "used at init" in the cold starts where a
   * sample happened to fall on them, and findings changed from run to run.)
   */
  @Test
  void vendoredLibrariesModuleBodiesAreLibraryCodeNotTheApps(@TempDir Path dir) throws Exception {
    ProfileSet vendoredLayout = shipping(dir, "/var/task");
    ModuleRuns sampled = ModuleRuns.of(vendoredLayout,
        path -> path.startsWith("openpyxl/") || path.startsWith("numpy/") || path.startsWith("pyparsing/"));
    assertEquals(ModuleRun.calledAtInitBy("handler"), sampled.of(0, "openpyxl.reader.excel"));
    assertEquals(ModuleRun.NONE, sampled.of(0, "numpy._core.numerictypes"));
    assertEquals(ModuleRun.NONE, sampled.of(0, "pyparsing.core"));
    // without knowing they are vendored, openpyxl's module body reads as the app's
    assertEquals(ModuleRun.calledAtInitBy("openpyxl.compat.numbers"),
        ModuleRuns.of(vendoredLayout).of(0, "numpy._core.numerictypes"));
  }

  /** The shipping app's profile with its libraries' files under {@code libraries} ("/site", or the app root). */
  private static ProfileSet shipping(Path dir, String libraries) throws Exception {
    Path profile = dir.resolve("shipping.json");
    Files.writeString(profile, """
        {"format": "coldspy-profile", "schemaVersion": 1, "agent": {"name": "coldspy", "version": "0.1.0"},
         "app": {"handler": "handler.py:handler", "root": "/var/task", "name": "shipping"},
         "environment": {"pythonVersion": "3.11.7", "implementation": "CPython", "platform": "Linux",
           "machine": "x86_64", "lambda": false, "memoryLimitMb": null},
         "settings": {"sampleIntervalUs": 1000, "clock": "wall", "usageSignal": "none", "memoryMethod": "none",
           "coldStarts": 2},
         "startedAt": "2026-12-02T18:00:00Z",
         "files": ["/var/task/handler.py", "<frozen importlib._bootstrap>", "LIBS/openpyxl/reader/excel.py",
           "LIBS/openpyxl/compat/numbers.py", "LIBS/numpy/_core/numerictypes.py",
           "/var/lang/lib/python3.11/functools.py", "LIBS/pyparsing/core.py"],
         "coldStarts": [
           {"index": 0, "initUs": 1000, "samples": {"import": 9, "execution": 0}, "modules": [], "invocations": [],
            "moduleUsage": {"openpyxl.reader.excel": {"samples": 0, "executed": false, "importPhaseCallSamples": 4},
                            "numpy._core.numerictypes": {"samples": 0, "executed": false,
                                                         "importPhaseCallSamples": 2},
                            "pyparsing.core": {"samples": 0, "executed": false, "importPhaseCallSamples": 1}}},
           {"index": 1, "initUs": 1000, "samples": {"import": 3, "execution": 0}, "modules": [], "invocations": [],
            "moduleUsage": {"openpyxl.reader.excel": {"samples": 0, "executed": false}}}],
         "callTree": {
           "frames": [[0, "<module>", 11, "handler"], [0, "load_tariffs", 7, "handler"],
             [2, "load_workbook", 310, "openpyxl.reader.excel"], [2, "ExcelReader.read", 280, "openpyxl.reader.excel"],
             [1, "_call_with_frames_removed", 241, "importlib._bootstrap"],
             [3, "<module>", 9, "openpyxl.compat.numbers"], [4, "sctype", 40, "numpy._core.numerictypes"],
             [5, "cached_property.__get__", 1001, "functools"], [6, "Regex.re", 90, "pyparsing.core"],
             [6, "<module>", 1, "pyparsing.core"]],
           "nodes": [[-1, -1, 0, 0], [0, 0, 1, 0], [1, 1, 0, 0], [2, 2, 2, 0], [3, 3, 2, 0],
             [1, 4, 0, 0], [5, 5, 1, 0], [6, 6, 2, 0], [5, 6, 1, 0],
             [5, 9, 0, 0], [9, 7, 0, 0], [10, 8, 1, 0]]}}
        """.replace("LIBS", libraries));
    return ProfileSet.of(List.of(ProfileReader.read(profile)));
  }
}
