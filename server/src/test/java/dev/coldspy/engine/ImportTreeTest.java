package dev.coldspy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coldspy.profile.ModuleImport;
import dev.coldspy.profile.Phase;
import dev.coldspy.profile.Trigger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The tree below {@code import igraph}: igraph's {@code __init__} imports its drawing sub-package, which pulls
 * in matplotlib and numpy; the handler only ever runs igraph.graph.
 */
class ImportTreeTest {
  static final String SITE = "/var/lang/lib/python3.11/site-packages/";

  static ModuleImport module(String name, String parent, long selfMs, String file, Trigger trigger) {
    return new ModuleImport(name, parent, file == null ? null : SITE + file, selfMs * 1000, selfMs * 1000,
        Phase.INIT, trigger, null);
  }

  static Trigger at(String file, int line) {
    return new Trigger(SITE + file, line);
  }

  /** What {@code import igraph} (handler.py:1) loads first, in import order. */
  static List<ModuleImport> igraphImport(long jitterMs) {
    return List.of(
        module("igraph", null, 10, "igraph/__init__.py", new Trigger("/var/task/handler.py", 1)),
        module("igraph._igraph", "igraph", 5, "igraph/_igraph.cpython-311-x86_64-linux-gnu.so",
            at("igraph/__init__.py", 3)),
        module("igraph.graph", "igraph", 3, "igraph/graph.py", at("igraph/__init__.py", 5)),
        module("igraph.drawing", "igraph", 2, "igraph/drawing/__init__.py", at("igraph/__init__.py", 12)),
        module("matplotlib", "igraph.drawing", 50 + jitterMs, "matplotlib/__init__.py",
            at("igraph/drawing/__init__.py", 3)),
        module("numpy", "matplotlib", 80, "numpy/__init__.py", at("matplotlib/__init__.py", 9)),
        module("matplotlib.pyplot", "igraph.drawing", 200, "matplotlib/pyplot.py",
            at("igraph/drawing/__init__.py", 4)),
        module("igraph.io", "igraph", 2, "igraph/io/__init__.py", at("igraph/__init__.py", 14)));
  }

  /** Ten cold starts; igraph.graph runs in handler calls of every one; {@code atInit} modules run at init. */
  static ImportTree igraphTree(Map<String, ModuleRun> atInit) {
    ImportTree.Builder builder = new ImportTree.Builder(10);
    for (int coldStart = 0; coldStart < 10; coldStart++) {
      for (ModuleImport module : igraphImport(coldStart % 2 * 10)) {
        builder.add(coldStart, module, module.name().equals("igraph.graph") ? ModuleRun.duringCalls()
            : atInit.getOrDefault(module.name(), ModuleRun.NONE));
      }
    }
    return builder.build();
  }

  @Test
  void eachSubtreeCostsItsModulesSelfTimeSummedMedianOverColdStarts() {
    ImportTree tree = igraphTree(Map.of());
    assertEquals(1, tree.roots().size());
    ImportTree.Node igraph = tree.roots().get(0);
    assertEquals("igraph", igraph.module());
    assertEquals(8, igraph.moduleCount());
    // 10+5+3+2+50+80+200+2 = 352 ms, and 362 ms in the odd cold starts (matplotlib 10 ms slower)
    assertEquals(357_000, igraph.costUs(), 0.001);
    ImportTree.Node drawing = igraph.children().get(0);
    assertEquals("igraph.drawing", drawing.module());
    assertEquals(337_000, drawing.costUs(), 0.001);
    assertEquals(List.of("matplotlib.pyplot", "matplotlib"),
        drawing.children().stream().map(ImportTree.Node::module).toList());
    assertEquals(at("igraph/__init__.py", 12), drawing.trigger());
    assertEquals(10, drawing.coldStartsLoaded());
  }

  @Test
  void theUnusedPartIsTheSubPackageTheLibraryImportsNotItsLeaves() {
    ImportTree tree = igraphTree(Map.of());
    assertTrue(tree.anyRan());
    List<ImportTree.Unused> unused = tree.unused();
    // igraph._igraph is a compiled extension: its running is never seen, so it is never called unused
    assertEquals(List.of("igraph.drawing", "igraph.io"), unused.stream().map(u -> u.node().module()).toList());
    assertEquals(List.of("igraph"), unused.get(0).ancestors());
    assertFalse(unused.get(0).isRoot());
    assertEquals(List.of("igraph.drawing", "matplotlib.pyplot"), unused.get(0).node().heavyPath());
  }

  @Test
  void codeRunDuringInitFromOutsideIsUse() {
    ImportTree tree = igraphTree(Map.of("numpy", ModuleRun.calledAtInitBy("handler")));
    List<String> unused = tree.unused().stream().map(u -> u.node().module()).toList();
    // numpy ran at init: matplotlib and igraph.drawing above it are used; matplotlib.pyplot is not
    assertEquals(List.of("matplotlib.pyplot", "igraph.io"), unused);
    ImportTree.Node drawing = tree.roots().get(0).children().get(0);
    assertTrue(drawing.ranOnlyAtInit());
    assertEquals(10, drawing.coldStartsRunAtInit());
  }

  @Test
  void codeRunDuringInitByTheSubtreesOwnImportIsNoUseOfIt() {
    // matplotlib's import calls numpy: part of importing matplotlib, no use of igraph.drawing
    ImportTree tree = igraphTree(Map.of("numpy", ModuleRun.calledAtInitBy("matplotlib")));
    assertEquals(List.of("igraph.drawing", "igraph.io"), tree.unused().stream().map(u -> u.node().module()).toList());
    ImportTree.Node numpy = tree.roots().get(0).children().get(0).children().get(1).children().get(0);
    assertEquals("numpy", numpy.module());
    // matplotlib's own code was never used, so its calls are no use of numpy either
    assertFalse(numpy.ran());
    // a caller of no known module counts as outside
    assertEquals(List.of("matplotlib.pyplot", "igraph.io"),
        igraphTree(Map.of("numpy", ModuleRun.calledAtInitBy())).unused().stream().map(u -> u.node().module()).toList());
  }

  @Test
  void aCallByAModuleWhoseOwnCodeWasUsedIsUse() {
    // the handler calls matplotlib at init, and matplotlib's code calls numpy: all of igraph.drawing ran
    ImportTree tree = igraphTree(Map.of("matplotlib", ModuleRun.calledAtInitBy("handler"),
        "numpy", ModuleRun.calledAtInitBy("matplotlib")));
    ImportTree.Node numpy = tree.roots().get(0).children().get(0).children().get(1).children().get(0);
    assertTrue(numpy.ranOnlyAtInit());
    assertEquals(List.of("matplotlib.pyplot", "igraph.io"), tree.unused().stream().map(u -> u.node().module()).toList());
    // used in a handler call counts too: igraph.graph's code calling igraph.io at init
    assertEquals(List.of("igraph.drawing"), igraphTree(Map.of("igraph.io", ModuleRun.calledAtInitBy("igraph.graph")))
        .unused().stream().map(u -> u.node().module()).toList());
  }

  @Test
  void aStatementWhoseCodeNeverRanIsOneUnusedRoot() {
    ImportTree.Builder builder = new ImportTree.Builder(2);
    for (int coldStart = 0; coldStart < 2; coldStart++) {
      for (ModuleImport module : igraphImport(0)) {
        builder.add(coldStart, module, ModuleRun.NONE);
      }
    }
    ImportTree tree = builder.build();
    assertFalse(tree.anyRan());
    assertEquals(1, tree.unused().size());
    assertTrue(tree.unused().get(0).isRoot());
  }

  @Test
  void aSubtreeLoadedInSomeColdStartsCountsZeroInTheOthers() {
    ImportTree.Builder builder = new ImportTree.Builder(4);
    for (int coldStart = 0; coldStart < 4; coldStart++) {
      builder.add(coldStart, module("app_lib", null, 10, "app_lib/__init__.py", null), ModuleRun.duringCalls());
      if (coldStart == 3) {
        builder.add(coldStart, module("app_lib.rare", "app_lib", 40, "app_lib/rare.py", null), ModuleRun.NONE);
      }
    }
    ImportTree.Node rare = builder.build().roots().get(0).children().get(0);
    assertEquals(0, rare.costUs(), 0.001);
    assertEquals(28_000, rare.costP90Us(), 0.001);
    assertEquals(1, rare.coldStartsLoaded());
  }

  @Test
  void coldStartsNestingDifferentlyTakeTheMostFrequentParentWithoutCycles() {
    ImportTree.Builder builder = new ImportTree.Builder(3);
    // cold starts 0 and 1: a imports b; cold start 2: b imports a
    for (int coldStart = 0; coldStart < 2; coldStart++) {
      builder.add(coldStart, module("a", null, 1, "a.py", null), ModuleRun.NONE);
      builder.add(coldStart, module("b", "a", 1, "b.py", null), ModuleRun.NONE);
    }
    builder.add(2, module("b", null, 1, "b.py", null), ModuleRun.NONE);
    builder.add(2, module("a", "b", 1, "a.py", null), ModuleRun.NONE);
    ImportTree tree = builder.build();
    assertEquals(List.of("a"), tree.roots().stream().map(ImportTree.Node::module).toList());
    assertEquals("b", tree.roots().get(0).children().get(0).module());
  }

  @Test
  void coldStartsMustComeInOrder() {
    ImportTree.Builder builder = new ImportTree.Builder(3);
    builder.add(1, module("a", null, 1, "a.py", null), ModuleRun.NONE);
    assertThrows(IllegalArgumentException.class,
        () -> builder.add(0, module("b", null, 1, "b.py", null), ModuleRun.NONE));
    assertThrows(IllegalArgumentException.class,
        () -> builder.add(3, module("b", null, 1, "b.py", null), ModuleRun.NONE));
  }
}
