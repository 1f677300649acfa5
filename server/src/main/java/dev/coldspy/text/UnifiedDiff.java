package dev.coldspy.text;

import java.util.ArrayList;
import java.util.List;

/**
 * A unified diff ({@code diff -u}, three lines of context) between two texts, computed with Myers' O(ND)
 * algorithm on lines — fast when, as with fixes, the texts differ in few places. Line terminators are
 * kept as they are, so a CRLF file shows CRLF lines.
 */
public final class UnifiedDiff {
  private static final int CONTEXT = 3;

  private UnifiedDiff() {}

  /** The diff of {@code before} → {@code after} with {@code a/path}, {@code b/path} headers; "" if equal. */
  public static String of(String path, String before, String after) {
    if (before.equals(after)) {
      return "";
    }
    List<String> a = lines(before);
    List<String> b = lines(after);
    List<int[]> edits = script(a, b); // {kind, indexA, indexB}: 0 keep, -1 delete, +1 insert
    StringBuilder out = new StringBuilder("--- a/").append(path).append('\n');
    out.append("+++ b/").append(path).append('\n');
    int i = 0;
    while (i < edits.size()) {
      if (edits.get(i)[0] == 0) {
        i++;
        continue;
      }
      int start = Math.max(0, i - CONTEXT);
      int end = i;
      // extend the hunk while the next change is within 2 * CONTEXT unchanged lines
      while (true) {
        while (end < edits.size() && edits.get(end)[0] != 0) {
          end++;
        }
        int keep = end;
        while (keep < edits.size() && edits.get(keep)[0] == 0 && keep - end < 2 * CONTEXT) {
          keep++;
        }
        if (keep < edits.size() && edits.get(keep)[0] != 0) {
          end = keep;
        } else {
          end = Math.min(edits.size(), end + CONTEXT);
          break;
        }
      }
      appendHunk(out, edits.subList(start, end), a, b);
      i = end;
    }
    return out.toString();
  }

  private static void appendHunk(StringBuilder out, List<int[]> hunk, List<String> a, List<String> b) {
    int firstA = -1;
    int firstB = -1;
    int countA = 0;
    int countB = 0;
    for (int[] e : hunk) {
      if (e[0] <= 0) {
        countA++;
        if (firstA < 0) {
          firstA = e[1];
        }
      }
      if (e[0] >= 0) {
        countB++;
        if (firstB < 0) {
          firstB = e[2];
        }
      }
    }
    out.append("@@ -").append(range(firstA, countA, hunk, true)).append(" +").append(range(firstB, countB, hunk, false)).append(" @@\n");
    for (int[] e : hunk) {
      String line = e[0] < 0 ? a.get(e[1]) : b.get(e[2]);
      out.append(e[0] < 0 ? '-' : e[0] > 0 ? '+' : ' ').append(line);
      if (!line.endsWith("\n") && !line.endsWith("\r")) {
        out.append("\n\\ No newline at end of file\n");
      }
    }
  }

  /** {@code start,count} 1-based; for an empty side, the line before the change. */
  private static String range(int first, int count, List<int[]> hunk, boolean left) {
    if (count == 0) {
      int[] e = hunk.get(0);
      return (left ? e[1] : e[2]) + ",0";
    }
    return (first + 1) + (count == 1 ? "" : "," + count);
  }

  /** Lines with their terminators. */
  static List<String> lines(String text) {
    List<String> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r') {
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        lines.add(text.substring(start, i + 1));
        start = i + 1;
      }
    }
    if (start < text.length()) {
      lines.add(text.substring(start));
    }
    return lines;
  }

  /** Myers' shortest edit script as {kind, indexA, indexB} steps in order. */
  private static List<int[]> script(List<String> a, List<String> b) {
    int n = a.size();
    int m = b.size();
    int max = n + m;
    int offset = max + 1;
    int[] v = new int[2 * max + 3];
    List<int[]> trace = new ArrayList<>();
    int found = -1;
    for (int d = 0; d <= max && found < 0; d++) {
      trace.add(v.clone());
      for (int k = -d; k <= d; k += 2) {
        int x = k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
        int y = x - k;
        while (x < n && y < m && a.get(x).equals(b.get(y))) {
          x++;
          y++;
        }
        v[offset + k] = x;
        if (x >= n && y >= m) {
          found = d;
          break;
        }
      }
    }
    List<int[]> steps = new ArrayList<>();
    int x = n;
    int y = m;
    for (int d = found; d > 0; d--) {
      int[] previous = trace.get(d);
      int k = x - y;
      int prevK = k == -d || (k != d && previous[offset + k - 1] < previous[offset + k + 1]) ? k + 1 : k - 1;
      int prevX = previous[offset + prevK];
      int prevY = prevX - prevK;
      while (x > prevX && y > prevY) {
        steps.add(new int[] {0, --x, --y});
      }
      if (x == prevX) {
        steps.add(new int[] {1, x, --y});
      } else {
        steps.add(new int[] {-1, --x, y});
      }
    }
    while (x > 0 && y > 0) {
      steps.add(new int[] {0, --x, --y});
    }
    java.util.Collections.reverse(steps);
    return steps;
  }
}
