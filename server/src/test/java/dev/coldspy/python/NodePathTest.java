package dev.coldspy.python;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.treesitter.TSNode;
import org.treesitter.TSTreeCursor;

/** The path finder picks the root's child by binary search: the same path a cursor descent finds. */
class NodePathTest {
  private static final String SOURCE =
      """
      \"\"\"Docstring.\"\"\"
      import json  # first
      # a comment between statements

      from os import path as p


      def handler(event, context):
          return json.dumps(event)
      class Broken(:
          pass
      if p:
          x = [json for json in event]
      # trailing comment
      """;

  /** Types and fields down to the leaf at {@code startByte}, descending with a cursor from the root. */
  private static List<String> descent(TSNode root, int startByte) {
    List<String> steps = new ArrayList<>();
    steps.add(TreeSitter.type(root));
    TSTreeCursor cursor = new TSTreeCursor(root);
    while (cursor.gotoFirstChildForByte(startByte) >= 0) {
      steps.add(TreeSitter.type(cursor.currentNode()) + ":" + TreeSitter.fieldName(cursor.currentFieldId()));
    }
    return steps;
  }

  private static List<String> steps(NodePath path) {
    List<String> steps = new ArrayList<>();
    steps.add(path.type(0));
    for (int i = 1; i < path.size(); i++) {
      steps.add(path.type(i) + ":" + path.field(i));
    }
    return steps;
  }

  @Test
  void everyOffsetGetsThePathOfACursorDescentFromTheRoot() {
    PythonModule module = PythonModule.parse(SOURCE);
    int bytes = SOURCE.getBytes(StandardCharsets.UTF_8).length;
    synchronized (module) {
      NodePath.Finder forward = module.finder();
      for (int offset = 0; offset <= bytes + 1; offset++) {
        assertEquals(descent(module.root(), offset), steps(forward.pathTo(offset)), "at byte " + offset);
      }
      NodePath.Finder backward = module.finder();
      for (int offset = bytes + 1; offset >= 0; offset -= 7) {
        assertEquals(descent(module.root(), offset), steps(backward.pathTo(offset)), "at byte " + offset);
      }
    }
  }
}
