package dev.coldspy.python;

import dev.coldspy.text.SourceText;
import dev.coldspy.text.Span;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.treesitter.TSNode;
import org.treesitter.TSTreeCursor;

/**
 * The chain of nodes from the root down to the leaf at a byte offset, with each node's type, the field it
 * fills in its parent, and (fetched on demand) its byte range. Built with one tree-cursor descent: tree-sitter's
 * {@code ts_node_parent} re-descends from the root on every call, so climbing with it costs depth² native
 * work, while a descent visits each level once. Index 0 is the root; {@link #leaf()} is the last index.
 */
final class NodePath {
  private TSNode[] nodes = new TSNode[32];
  private String[] types = new String[32];
  private String[] fields = new String[32];
  private int[] starts = new int[32];
  private int[] ends = new int[32];
  private int size;

  private NodePath() {}

  /**
   * The children of the root with their types, fields and byte ranges, fetched once per tree. A module's
   * top level can hold hundreds of statements, and tree-sitter finds the child at an offset by scanning the
   * children from the first: a descent from the root would cost a scan of the module per occurrence, where a
   * binary search over these costs nothing.
   */
  static final class TopLevel {
    private final TSNode[] nodes;
    private final String[] types;
    private final String[] fields;
    private final int[] starts;
    private final int[] ends;

    private TopLevel(TSNode[] nodes, String[] types, String[] fields, int[] starts, int[] ends) {
      this.nodes = nodes;
      this.types = types;
      this.fields = fields;
      this.starts = starts;
      this.ends = ends;
    }

    /** The children of {@code root} as a tree cursor visits them (hidden nodes' visible children included). */
    static TopLevel of(TSNode root) {
      List<TSNode> nodes = new ArrayList<>();
      List<String> fields = new ArrayList<>();
      TSTreeCursor cursor = new TSTreeCursor(root);
      if (cursor.gotoFirstChild()) {
        do {
          nodes.add(cursor.currentNode());
          fields.add(TreeSitter.fieldName(cursor.currentFieldId()));
        } while (cursor.gotoNextSibling());
      }
      int count = nodes.size();
      String[] types = new String[count];
      int[] starts = new int[count];
      int[] ends = new int[count];
      for (int i = 0; i < count; i++) {
        TSNode node = nodes.get(i);
        types[i] = TreeSitter.type(node);
        starts[i] = node.getStartByte();
        ends[i] = node.getEndByte();
      }
      return new TopLevel(nodes.toArray(TSNode[]::new), types, fields.toArray(String[]::new), starts, ends);
    }

    /**
     * The first child ending after {@code startByte}, as {@code ts_tree_cursor_goto_first_child_for_byte}
     * chooses it, or -1 (children do not overlap, so their ends never decrease).
     */
    int firstEndingAfter(int startByte) {
      int low = 0;
      int high = ends.length;
      while (low < high) {
        int middle = (low + high) >>> 1;
        if (ends[middle] > startByte) {
          high = middle;
        } else {
          low = middle + 1;
        }
      }
      return low < ends.length ? low : -1;
    }
  }

  /**
   * Finds paths for increasing offsets, re-using the part of the previous path that still contains the
   * next offset (occurrences in one function share the descent through the module and the function).
   */
  static final class Finder {
    private final TSTreeCursor cursor;
    private final TSNode root;
    private final TopLevel topLevel;
    private NodePath last;

    Finder(TSNode root, TopLevel topLevel) {
      this.root = root;
      this.topLevel = topLevel;
      this.cursor = new TSTreeCursor(root);
    }

    /**
     * The path to the smallest node containing {@code startByte}. Byte ranges are fetched only when asked
     * for ({@link #startByte}, {@link #endByte}): each is a native call.
     */
    NodePath pathTo(int startByte) {
      NodePath path = new NodePath();
      int keep = -1;
      if (last != null) {
        for (int i = last.size - 1; i >= 0 && keep < 0; i--) {
          // only nodes whose range is already known: fetching ranges to decide would cost what it saves
          if (last.starts[i] >= 0 && last.starts[i] <= startByte && startByte < last.ends[i]) {
            keep = i;
          }
        }
      }
      if (keep < 0) {
        path.add(root, TreeSitter.type(root), null);
        path.starts[0] = root.getStartByte();
        path.ends[0] = root.getEndByte();
      } else {
        for (int i = 0; i <= keep; i++) {
          path.add(last.nodes[i], last.types[i], last.fields[i]);
          path.starts[i] = last.starts[i];
          path.ends[i] = last.ends[i];
        }
      }
      if (path.size == 1) {
        int child = topLevel.firstEndingAfter(startByte);
        if (child < 0) {
          last = path;
          return path;
        }
        path.add(topLevel.nodes[child], topLevel.types[child], topLevel.fields[child]);
        path.starts[1] = topLevel.starts[child];
        path.ends[1] = topLevel.ends[child];
      }
      cursor.reset(path.nodes[path.size - 1]);
      while (cursor.gotoFirstChildForByte(startByte) >= 0) {
        TSNode node = cursor.currentNode();
        path.add(node, TreeSitter.type(node), TreeSitter.fieldName(cursor.currentFieldId()));
      }
      last = path;
      return path;
    }
  }

  private void add(TSNode node, String type, String field) {
    if (size == nodes.length) {
      int capacity = size * 2;
      nodes = Arrays.copyOf(nodes, capacity);
      types = Arrays.copyOf(types, capacity);
      fields = Arrays.copyOf(fields, capacity);
      starts = Arrays.copyOf(starts, capacity);
      ends = Arrays.copyOf(ends, capacity);
    }
    nodes[size] = node;
    types[size] = type;
    fields[size] = field;
    starts[size] = -1;
    ends[size] = -1;
    size++;
  }

  int size() {
    return size;
  }

  int leaf() {
    return size - 1;
  }

  TSNode node(int i) {
    return nodes[i];
  }

  String type(int i) {
    return i >= 0 && i < size ? types[i] : "";
  }

  /** The field node {@code i} fills in its parent ({@code body}, {@code left}, ...), or "". */
  String field(int i) {
    return i > 0 && i < size && fields[i] != null ? fields[i] : "";
  }

  int startByte(int i) {
    if (starts[i] < 0) {
      starts[i] = nodes[i].getStartByte();
    }
    return starts[i];
  }

  int endByte(int i) {
    if (ends[i] < 0) {
      ends[i] = nodes[i].getEndByte();
    }
    return ends[i];
  }

  Span span(SourceText text, int i) {
    return text.byteSpan(startByte(i), endByte(i));
  }

  /** Index of the innermost node of {@code type}, or -1. */
  int lastIndexOf(String type) {
    for (int i = size - 1; i >= 0; i--) {
      if (types[i].equals(type)) {
        return i;
      }
    }
    return -1;
  }
}
