package dev.coldspy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.coldspy.profile.ModuleLevelStatement;
import java.util.List;
import org.junit.jupiter.api.Test;

class CodePathsTest {
  @Test
  void installedStandardVendoredAndOtherPaths() {
    assertEquals("igraph/__init__.py",
        CodePaths.display("/var/lang/lib/python3.11/site-packages/igraph/__init__.py", "/var/task"));
    assertEquals("pickle.py", CodePaths.display("/usr/lib/python3.12/pickle.py", "/var/task"));
    assertEquals("rich/console.py", CodePaths.display("/var/task/rich/console.py", "/var/task/"));
    assertEquals("/opt/python/requests/api.py", CodePaths.display("/opt/python/requests/api.py", "/var/task"));
    assertEquals("C:/app/x.py", CodePaths.display("C:\\app\\x.py", null));
  }

  @Test
  void modulesOfDisplayedFiles() {
    assertEquals("joblib.numpy_pickle", CodePaths.module("joblib/numpy_pickle.py"));
    assertEquals("igraph", CodePaths.module("igraph/__init__.py"));
    assertEquals("/opt/python/requests/api.py", CodePaths.module("/opt/python/requests/api.py"));
  }

  @Test
  void aModuleLevelCallsPathDownToTheImport() {
    String site = "/var/lang/lib/python3.11/site-packages/";
    ModuleLevelStatement statement = new ModuleLevelStatement("/var/task/handler.py", 7, List.of(
        new ModuleLevelStatement.Call(site + "joblib/numpy_pickle.py", 650, "load"),
        new ModuleLevelStatement.Call(site + "joblib/numpy_pickle.py", 580, "_unpickle"),
        new ModuleLevelStatement.Call("/var/lang/lib/python3.11/pickle.py", 1213, "_Unpickler.load"),
        new ModuleLevelStatement.Call("/var/lang/lib/python3.11/pickle.py", 1580, "_Unpickler.find_class")), 0);
    assertEquals("joblib.numpy_pickle → pickle", CodePaths.callPath(statement, "/var/task"));
    ModuleLevelStatement shortened = new ModuleLevelStatement("/var/task/handler.py", 7, statement.calls(), 5);
    assertEquals("joblib.numpy_pickle → … → pickle", CodePaths.callPath(shortened, "/var/task"));
  }
}
