package dev.coldspy.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class CallTreeTest {

  @Test
  void aFunctionAtTheBottomOfASampledStackHasNoCallerAndIsNotUse() {
    // Frames: 0 the handler's module body, 1 a library function called from it, 2 a library function that is
    // the entry point of a thread the library started (sampled during the import phase, so it has no caller).
    String[] files = {"/app/handler.py", "/site-packages/lib/core.py", "/site-packages/lib/pool.py"};
    String[] functions = {"<module>", "load", "worker"};
    int[] lines = {3, 10, 20};
    String[] modules = {"handler", "lib.core", "lib.pool"};
    int[] parent = {-1, 0, 1, 0};
    int[] frame = {-1, 0, 1, 2};
    int[] importSelf = {0, 1, 4, 3};
    int[] executionSelf = {0, 0, 0, 0};
    CallTree tree = new CallTree(files, functions, lines, modules, parent, frame, importSelf, executionSelf);

    var callers = tree.importPhaseCallers(Set.of("/app/handler.py")::contains);

    assertEquals(Map.of("lib.core", new TreeSet<>(Set.of("handler"))), callers);
  }

  @Test
  void aFrozenStandardLibraryFrameBetweenALibraryAndItsOwnCodeIsNoCaller() {
    // A vendored library (under the app root, so "app code" for the tree) whose module body calls a Mapping
    // method of <frozen _collections_abc>, which calls back into the library's own helper (pyarrow's docscrape
    // at import): the helper's caller is the library itself, not _collections_abc.
    String[] files = {"/app/handler.py", "/app/lib/__init__.py", "<frozen _collections_abc>", "/app/lib/docs.py"};
    String[] functions = {"<module>", "<module>", "get", "__getitem__"};
    int[] lines = {3, 10, 770, 20};
    String[] modules = {"handler", "lib", "_collections_abc", "lib.docs"};
    int[] parent = {-1, 0, 1, 2, 3};
    int[] frame = {-1, 0, 1, 2, 3};
    int[] importSelf = {0, 0, 0, 0, 5};
    int[] executionSelf = {0, 0, 0, 0, 0};
    CallTree tree = new CallTree(files, functions, lines, modules, parent, frame, importSelf, executionSelf);

    var callers = tree.importPhaseCallers(file -> file.startsWith("/app/"));

    assertEquals(Map.of("lib.docs", new TreeSet<>(Set.of("lib"))), callers);
  }
}
