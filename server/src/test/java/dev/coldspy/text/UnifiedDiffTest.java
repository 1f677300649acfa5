package dev.coldspy.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UnifiedDiffTest {

  @Test
  void equalTextsHaveNoDiff() {
    assertEquals("", UnifiedDiff.of("a.py", "x\n", "x\n"));
  }

  @Test
  void changesAreShownWithThreeLinesOfContext() {
    String before = "import json\nimport os\n\n\ndef f():\n    return json.dumps(1)\n";
    String after = "import os\n\n\ndef f():\n    import json\n    return json.dumps(1)\n";
    assertEquals(
        "--- a/app/h.py\n"
            + "+++ b/app/h.py\n"
            + "@@ -1,6 +1,6 @@\n"
            + "-import json\n"
            + " import os\n"
            + " \n"
            + " \n"
            + " def f():\n"
            + "+    import json\n"
            + "     return json.dumps(1)\n",
        UnifiedDiff.of("app/h.py", before, after));
  }

  @Test
  void distantChangesMakeSeparateHunks() {
    StringBuilder before = new StringBuilder();
    for (int i = 1; i <= 20; i++) {
      before.append("line").append(i).append('\n');
    }
    String after = before.toString().replace("line2\n", "LINE2\n").replace("line19\n", "");
    String diff = UnifiedDiff.of("f.py", before.toString(), after);
    assertEquals(2, diff.lines().filter(l -> l.startsWith("@@")).count());
    assertTrue(diff.contains("@@ -1,5 +1,5 @@\n line1\n-line2\n+LINE2\n line3\n"));
    assertTrue(diff.contains("@@ -16,5 +16,4 @@\n line16\n line17\n line18\n-line19\n line20\n"));
  }

  @Test
  void aMissingFinalNewlineIsMarked() {
    assertEquals(
        "--- a/f.py\n+++ b/f.py\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+b\n\\ No newline at end of file\n",
        UnifiedDiff.of("f.py", "a", "b"));
  }
}
