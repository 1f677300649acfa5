package dev.coldspy.profile;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The hostile inputs of issue 13 (and a few more of the same families), written as files: each must end in a
 * one-line error naming the file, within seconds and a bounded heap. Used by the reader-level test and by the
 * packaged-CLI test.
 */
final class HostileProfiles {
  /**
   * One hostile input.
   *
   * @param name what it is
   * @param file where it was written (or the device it is)
   * @param problem a part of the expected one-line problem
   */
  record Case(String name, Path file, String problem) {
    @Override
    public String toString() {
      return name;
    }
  }

  private HostileProfiles() {}

  /** Writes every hostile input into {@code dir}; {@code goodJson} is a valid JSON profile to corrupt. */
  static List<Case> write(Path dir, Path goodJson) throws IOException {
    List<Case> cases = new ArrayList<>();
    cases.add(new Case("call tree containing itself", write(dir, "cycle_app-1.pkl", selfContainingCallTree()),
        "contains itself"));
    cases.add(new Case("shared children 40 deep", write(dir, "shared_app-1.pkl", sharedChildren(40)),
        "more than 1000000 nodes"));
    cases.add(new Case("self-containing list as a dict key", write(dir, "key_app-1.pkl", selfContainingKey()),
        "a list used as a dict key"));
    cases.add(new Case("10-byte pickle declaring a 2 GB string", write(dir, "big_app-1.pkl", declaresTwoGigabytes()),
        "declares 2147483647 bytes"));
    cases.add(new Case("5 MB text LONG", write(dir, "long_app-1.pkl", textLong(5_000_000)),
        "a number written with more than 64 characters"));
    cases.add(new Case("ten million empty dicts", write(dir, "dicts_app-1.pkl", manyEmptyDicts(10_000_000)),
        "more than 128 MB of memory"));
    cases.add(new Case("lists nested a million deep", write(dir, "nested_app-1.pkl", nestedLists(1_000_000)),
        "expected a dict with 'import_times'"));
    cases.add(new Case("pickled import time near 2^63", write(dir, "time_app-1.pkl", pickledImportTime(1L << 62)),
        "beyond one day"));
    cases.add(new Case("JSON module time 2^63 - 1",
        TestProfiles.editedCopy(goodJson, dir, "time_app.json", "\"selfUs\":", "\"selfUs\":9223372036854775807,\"x\":"),
        "beyond one day"));
    Path log = dir.resolve("time_app.log");
    Files.writeString(log, "import time: 9223372036854775807 | 9223372036854775807 | numpy\n");
    cases.add(new Case("importtime record of 2^63 - 1 us", log, "beyond one day"));
    cases.add(new Case("control characters in a JSON profile",
        TestProfiles.editedCopy(goodJson, dir, "escape_app.json", "\"coldspy-profile\"",
            "\"\\u001b[2J\\u001b]0;owned\\u0007\\u202e\""),
        "format is '\\x1b[2J\\x1b]0;owned\\x07\\u202e'"));
    Path endlessLine = dir.resolve("line_app.log");
    Files.write(endlessLine, "x".repeat(20_000_000).getBytes(StandardCharsets.US_ASCII));
    cases.add(new Case("one 20 MB line", endlessLine, "no '-X importtime' records found (1 lines read)"));
    Path deepJson = dir.resolve("deep_app.json");
    Files.writeString(deepJson, "{\"unknown\": " + "[".repeat(1_000_000));
    cases.add(new Case("JSON nested a million deep", deepJson, "beyond the JSON reader's limits"));
    Path huge = dir.resolve("huge_app.json");
    try (RandomAccessFile sparse = new RandomAccessFile(huge.toFile(), "rw")) {
      sparse.setLength(ReadLimits.MAX_FILE_BYTES + 1); // sparse: no disk space used
    }
    cases.add(new Case("file over the size cap", huge, "is too large to be a profile"));
    Path zero = Path.of("/dev/zero");
    if (Files.exists(zero)) {
      cases.add(new Case("/dev/zero", zero, "is not a regular file"));
    }
    return cases;
  }

  /** The call tree's root has a child whose child is the root again. */
  static byte[] selfContainingCallTree() {
    PickleBytes pickle = new PickleBytes().proto(4).emptyDict().memoize().mark()
        .string("import_times").emptyList()
        .string("cct").openNode("root", "", 0, 0);
    int root = pickle.lastMemo();
    pickle.string("('/var/task/handler.py', '<module>', 1)").openNode("/var/task/handler.py", "<module>", 1, 1)
        .string("('/var/task/handler.py', 'loop', 3)").get(root).op('s')
        .closeNode().op('s')
        .closeNode();
    return pickle.op('u').stop().bytes();
  }

  /** Every level's two children are the same dict one level down: 2^depth paths over depth + 1 dicts. */
  static byte[] sharedChildren(int depth) {
    PickleBytes pickle = new PickleBytes().proto(4).emptyList().mark();
    pickle.openNode("/var/task/leaf.py", "leaf", 1, 1).closeNode();
    for (int level = 1; level <= depth; level++) {
      int below = pickle.lastMemo();
      pickle.openNode("/var/task/level.py", "level" + level, level, 1)
          .string("a").get(below).op('s').string("b").get(below).op('s')
          .closeNode();
    }
    int top = pickle.lastMemo();
    pickle.op('e').op('0'); // the levels were built inside a throw-away list
    return pickle.emptyDict().mark().string("import_times").emptyList().string("cct").get(top).op('u')
        .stop().bytes();
  }

  /** {@code {l: None}} where {@code l} is a list that contains itself: hashing it never ends. */
  static byte[] selfContainingKey() {
    return new PickleBytes().proto(2).emptyDict().emptyList().op('q').op(0).get(0).op('a').op('N').op('s').stop()
        .bytes();
  }

  /** BINUNICODE declaring 2^31 - 1 bytes, followed by three. */
  static byte[] declaresTwoGigabytes() {
    return new PickleBytes().proto(2).op('X').raw(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f})
        .raw("abc".getBytes(StandardCharsets.US_ASCII)).bytes();
  }

  /** A protocol-0 LONG opcode with {@code digits} digits. */
  static byte[] textLong(int digits) {
    return new PickleBytes().proto(2).op('L').raw(("9".repeat(digits) + "L\n").getBytes(StandardCharsets.US_ASCII))
        .stop().bytes();
  }

  /** A list of {@code count} empty dicts: one byte of pickle each. */
  static byte[] manyEmptyDicts(int count) {
    byte[] dicts = new byte[count];
    java.util.Arrays.fill(dicts, (byte) '}');
    return new PickleBytes().proto(4).emptyList().mark().raw(dicts).op('e').stop().bytes();
  }

  /** {@code [[[...]]]} nested {@code depth} deep. */
  static byte[] nestedLists(int depth) {
    byte[] lists = new byte[depth];
    java.util.Arrays.fill(lists, (byte) ']');
    byte[] appends = new byte[depth - 1];
    java.util.Arrays.fill(appends, (byte) 'a');
    return new PickleBytes().proto(4).raw(lists).raw(appends).stop().bytes();
  }

  /** A research-profiler pickle whose only import record has the given self and cumulative time. */
  static byte[] pickledImportTime(long microseconds) {
    PickleBytes pickle = new PickleBytes().proto(4).emptyDict().mark()
        .string("import_times").emptyList().mark().mark()
        .string("numpy").string("/usr/lib/python3.11/numpy/__init__.py").longInteger(microseconds)
        .longInteger(microseconds).integer(1).op('t')
        .op('e')
        .string("cct").openNode("root", "", 0, 0).closeNode();
    return pickle.op('u').stop().bytes();
  }

  private static Path write(Path dir, String name, byte[] bytes) throws IOException {
    return Files.write(dir.resolve(name), bytes);
  }
}
