package dev.coldspy.profile;

import static dev.coldspy.profile.JsonProfileReaderTest.failure;
import static dev.coldspy.profile.TestProfiles.reportAppPickle;
import static dev.coldspy.profile.TestProfiles.templateAppPickle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import net.razorvine.pickle.Pickler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pickles written by the original ColdSpy research profiler (copies of ../shared/coldspy-pkl). */
class PickleProfileReaderTest {
  @TempDir Path dir;

  @Test
  void reportAppTopLevelImportsWithTheirHandlerLines() throws Exception {
    Profile profile = ProfileReader.read(reportAppPickle());

    assertEquals(SourceKind.PICKLE, profile.source().kind());
    assertEquals(new App("report_app", null, "/var/task"), profile.app());
    assertEquals("3.11", profile.environment().pythonVersion());
    assertEquals(UsageSignal.NONE, profile.settings().usageSignal());
    ColdStart run = profile.coldStarts().get(0);
    List<ModuleImport> topLevel = run.modules().stream().filter(m -> m.parent() == null).toList();

    assertEquals(List.of("numpy", "pandas", "rich.console"), topLevel.stream().map(ModuleImport::name).toList());
    assertEquals(new Trigger("/var/task/handler.py", 3), topLevel.get(0).trigger());
    assertEquals(new Trigger("/var/task/handler.py", 4), topLevel.get(1).trigger());
    assertNull(topLevel.get(2).trigger(), "rich.console was never sampled while importing");
    assertEquals(312632, topLevel.get(1).cumulativeUs());
    assertEquals(97571 + 312632 + 58326, run.initUs());
  }

  @Test
  void theResearchProfilerItselfIsLeftOut() throws Exception {
    ColdStart run = ProfileReader.read(reportAppPickle()).coldStarts().get(0);

    assertTrue(run.modules().stream().noneMatch(m -> m.name().startsWith("profiler")));
    assertTrue(run.modules().stream().noneMatch(m -> m.name().equals("traceback")),
        "traceback was imported by the profiler before the handler ran");
  }

  @Test
  void anAppPackageCalledProfilerIsKept() throws Exception {
    // post-order importtime records: (module, file, self_us, cumulative_us, indent)
    List<Object> importTimes = List.of(
        new Object[] {"profiler.rules", "/var/task/profiler/rules.py", 300, 300, 3},
        new Object[] {"profiler", "/var/task/profiler/__init__.py", 200, 500, 1},
        new Object[] {"json", "/usr/lib/python3.11/json/__init__.py", 100, 100, 1});
    Path own = pickle("own_profiler-1.pkl", Map.of("import_times", importTimes, "cct", rootNode()));

    List<String> names = ProfileReader.read(own).coldStarts().get(0).modules().stream()
        .map(ModuleImport::name).toList();

    assertEquals(List.of("profiler", "profiler.rules", "json"), names);
  }

  @Test
  void nestedModulesKeepTheirImporterAndImportOrder() throws Exception {
    ColdStart run = ProfileReader.read(templateAppPickle()).coldStarts().get(0);
    Map<String, ModuleImport> byName = run.modulesByName();

    assertEquals("chameleon.template", byName.get("pkg_resources").parent());
    assertEquals(new Trigger("/usr/lib/python3/dist-packages/chameleon/template.py", 17),
        byName.get("pkg_resources").trigger());
    List<String> names = run.modules().stream().map(ModuleImport::name).toList();
    assertEquals("chameleon", names.get(0));
    assertTrue(names.indexOf("chameleon.template") < names.indexOf("pkg_resources"));
  }

  @Test
  void samplesUnderImportMachineryAreImportPhaseAndTheHandlerCallIsExecution() throws Exception {
    Profile profile = ProfileReader.read(reportAppPickle());
    ColdStart run = profile.coldStarts().get(0);

    assertEquals(5, run.importSamples());
    assertEquals(1, run.executionSamples());
    // The one execution sample: handler.py <module>:32 → handler → numpy's sum.
    assertEquals(new ModuleUsage(1, false), run.usageOf("numpy.core.fromnumeric"));
    assertEquals(new ModuleUsage(1, false), run.usageOf("handler"));
    assertEquals(new ModuleUsage(0, false), run.usageOf("pandas"), "import-phase samples never count as use");
    assertTrue(profile.hasSamples());
    assertFalse(profile.hasExactUsage());
  }

  @Test
  void callTreeCountsAndModulesOfFrames() throws Exception {
    CallTree tree = ProfileReader.read(templateAppPickle()).callTree();

    assertEquals(1, tree.totalImportSamples());
    assertEquals(0, tree.totalExecutionSamples());
    int outermost = tree.firstChildOf(0);
    assertEquals("/var/task/handler.py:2 <module>", tree.describeFrame(tree.frameOf(outermost)));
    assertEquals("handler", tree.frameModule(tree.frameOf(outermost)));
    assertEquals(1, tree.importInclusive(outermost));
  }

  @Test
  void pickleOfAnotherShapeIsRejected() throws Exception {
    Path list = pickle("list.pkl", List.of(1, 2, 3));
    Path noCct = pickle("no-cct.pkl", Map.of("import_times", List.of()));
    Path badTuple = pickle("bad-tuple.pkl", Map.of(
        "import_times", Collections.singletonList(new Object[] {"numpy", null, "12", 30, 1}), "cct", rootNode()));

    assertEquals(list + ": unexpected pickle shape: expected a dict with 'import_times' (a list) and 'cct' (a dict),"
        + " found a sequence of 3 items", failure(list));
    assertEquals(noCct + ": unexpected pickle shape: expected a dict with 'import_times' (a list) and 'cct' (a dict),"
        + " found a dict with keys [import_times]", failure(noCct));
    assertEquals(badTuple + ": unexpected pickle shape: import_times[0] is not a (module, file or None, self_us,"
        + " cumulative_us, indent) tuple: a sequence of 5 items", failure(badTuple));
  }

  @Test
  void malformedCallTreeNodeIsNamed() throws Exception {
    Map<String, Object> child = Map.of("frame", new Object[] {"/var/task/handler.py", "<module>"}, "samples", 1,
        "children", Map.of());
    Map<String, Object> root = Map.of("frame", new Object[] {"root", "", 0}, "samples", 0,
        "children", Map.of("('/var/task/handler.py', '<module>')", child));
    Path bad = pickle("bad-node.pkl", Map.of("import_times", List.of(), "cct", root));

    assertTrue(failure(bad).startsWith(bad + ": unexpected pickle shape: cct > ('/var/task/handler.py', '<module>')"
        + " is not a {'frame': (file, function, line), 'samples': n, 'children': {...}} dict"), failure(bad));
  }

  @Test
  void truncatedOrNonPickleBytesAreReported() throws Exception {
    byte[] bytes = Files.readAllBytes(reportAppPickle());
    Path truncated = dir.resolve("report_app-1.pkl");
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 3));
    Path text = dir.resolve("notes.pkl");
    Files.writeString(text, "hello");

    assertEquals(truncated + ": truncated pickle: the file ends before the pickle does (the item at byte 24519"
        + " declares 30 bytes, 5 remain)", failure(truncated));
    assertTrue(failure(text).startsWith(text + ": not a readable pickle: "), failure(text));
  }

  @Test
  void aHostilePickleIsRefusedWithoutRunningItsCode() throws Exception {
    Path marker = dir.resolve("pwned");
    Path hostile = dir.resolve("hostile_app-1.pkl");
    // What pickle.dumps writes for an object whose __reduce__ is (os.system, ("touch <marker>",)):
    // PROTO 2, GLOBAL 'os system', the command as a unicode string, TUPLE1, REDUCE, STOP. A Python
    // unpickler would call os.system here.
    byte[] command = ("touch " + marker).getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write(new byte[] {(byte) 0x80, 2});
    bytes.write("cos\nsystem\n".getBytes(StandardCharsets.US_ASCII));
    bytes.write('X');
    bytes.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(command.length).array());
    bytes.write(command);
    bytes.write(new byte[] {(byte) 0x85, 'R', '.'});
    Files.write(hostile, bytes.toByteArray());

    String error = failure(hostile);

    assertTrue(error.startsWith(hostile + ": "), error);
    assertEquals(1, error.lines().count(), error);
    assertFalse(Files.exists(marker), "the pickle's os.system call ran");
  }

  @Test
  void everyPickleProtocolPassesThePreScanAndReadsAlike() throws Exception {
    // The template app's pickle as Python's pickle.dumps writes it with each protocol (0 and 1 are text opcodes).
    Profile original = ProfileReader.read(templateAppPickle());
    for (int protocol = 0; protocol <= 5; protocol++) {
      Profile again = ProfileReader.read(TestProfiles.resource("pkl/protocols/template_app-" + protocol + ".pkl"));

      assertEquals(original.app(), again.app(), "protocol " + protocol);
      assertEquals(original.coldStarts().get(0).modules(), again.coldStarts().get(0).modules(), "protocol " + protocol);
      assertEquals(original.callTree().nodeCount(), again.callTree().nodeCount(), "protocol " + protocol);
    }
  }

  @Test
  void sharedCallTreeDictsCountAtEveryPlaceTheyOccur() throws Exception {
    // Each level has two children, 'a' and 'b', that are one dict: 1 + 2 + 4 + 8 nodes of one sample each.
    Path shared = dir.resolve("shared_app-1.pkl");
    Files.write(shared, HostileProfiles.sharedChildren(3));

    CallTree tree = ProfileReader.read(shared).callTree();

    assertEquals(15, tree.totalImportSamples() + tree.totalExecutionSamples());
    assertEquals(4, tree.nodeCount(), "equal frames under one parent are one node");
    int leaf = tree.firstChildOf(tree.firstChildOf(tree.firstChildOf(0)));
    assertEquals("/var/task/leaf.py:1 leaf", tree.describeFrame(tree.frameOf(leaf)));
    assertEquals(8, tree.importSelf(leaf) + tree.executionSelf(leaf));
  }

  @Test
  void aCallTreeThatContainsItselfIsNamedWhereItLoops() throws Exception {
    Path cycle = dir.resolve("cycle_app-1.pkl");
    Files.write(cycle, HostileProfiles.selfContainingCallTree());

    assertEquals(cycle + ": unexpected pickle shape: cct > ('/var/task/handler.py', '<module>', 1) >"
        + " ('/var/task/handler.py', 'loop', 3) contains itself: it is the dict at cct", failure(cycle));
  }

  private static Map<String, Object> rootNode() {
    return Map.of("frame", new Object[] {"root", "", 0}, "samples", 0, "children", Map.of());
  }

  private Path pickle(String name, Object value) throws Exception {
    Path file = dir.resolve(name);
    Files.write(file, new Pickler().dumps(value));
    return file;
  }
}
