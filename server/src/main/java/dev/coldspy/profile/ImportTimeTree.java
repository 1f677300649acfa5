package dev.coldspy.profile;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Predicate;

/**
 * Rebuilds the import tree from {@code -X importtime} records. CPython prints a record when an import
 * finishes, so children come before their parent (post-order) and the indentation gives the nesting; a
 * record's parent is the next record with a smaller indentation. This class turns such records into modules
 * in the order their imports started (pre-order), each with its parent.
 */
final class ImportTimeTree {
  /**
   * One importtime record.
   *
   * @param name module name
   * @param file origin path, or null (raw importtime logs do not name files)
   * @param selfUs self time
   * @param cumulativeUs cumulative time
   * @param indent indentation in spaces; only comparisons between records matter
   */
  record Entry(String name, String file, long selfUs, long cumulativeUs, int indent) {}

  /** A module in import order with its parent entry, or null for a top-level import. */
  record Node(Entry entry, Entry parent) {}

  private ImportTimeTree() {}

  /**
   * Orders records as imports started and links each to its parent, leaving out every subtree whose root
   * record matches {@code excludeSubtree}.
   */
  static List<Node> inImportOrder(List<Entry> postOrder, Predicate<Entry> excludeSubtree) {
    int n = postOrder.size();
    int[] parent = new int[n];
    Deque<Integer> open = new ArrayDeque<>();
    for (int i = n - 1; i >= 0; i--) {
      int indent = postOrder.get(i).indent();
      while (!open.isEmpty() && postOrder.get(open.peek()).indent() >= indent) {
        open.pop();
      }
      parent[i] = open.isEmpty() ? -1 : open.peek();
      open.push(i);
    }
    List<List<Integer>> children = new ArrayList<>(n);
    List<Integer> roots = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      children.add(new ArrayList<>());
    }
    for (int i = 0; i < n; i++) {
      (parent[i] < 0 ? roots : children.get(parent[i])).add(i);
    }
    List<Node> ordered = new ArrayList<>(n);
    Deque<Integer> stack = new ArrayDeque<>();
    for (int r = roots.size() - 1; r >= 0; r--) {
      stack.push(roots.get(r));
    }
    while (!stack.isEmpty()) {
      int i = stack.pop();
      Entry entry = postOrder.get(i);
      if (excludeSubtree.test(entry)) {
        continue;
      }
      ordered.add(new Node(entry, parent[i] < 0 ? null : postOrder.get(parent[i])));
      List<Integer> kids = children.get(i);
      for (int k = kids.size() - 1; k >= 0; k--) {
        stack.push(kids.get(k));
      }
    }
    return ordered;
  }
}
