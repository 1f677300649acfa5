package dev.coldspy.engine;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps the absolute paths a profile recorded (often {@code /var/task/...} in Lambda) onto the application's
 * source files, so a workspace anywhere maps a profile recorded anywhere. With the recorded application root
 * the path below it must be the end of a file's relative path, on whole segments, the shortest such file
 * winning (a path outside the root is a library's). Without a
 * root (pickles, importtime logs) the file whose relative path is the longest suffix of the recorded path, on
 * whole path segments, wins; paths inside an installation ({@code site-packages}, {@code dist-packages},
 * the standard library) are never the application's.
 */
final class RecordedPaths {
  private final String root;
  private final List<SourceFile> files;
  private final Map<String, SourceFile> cache = new HashMap<>();
  private static final SourceFile NONE = new SourceFile("", "", "", List.of());

  RecordedPaths(String recordedRoot, List<SourceFile> files) {
    this.root = recordedRoot == null ? null : stripSlash(recordedRoot.replace('\\', '/'));
    this.files = files;
  }

  /** The source file a recorded path refers to, or null when it is not one of the application's files. */
  SourceFile map(String recorded) {
    if (recorded == null) {
      return null;
    }
    SourceFile found = cache.computeIfAbsent(recorded, this::lookup);
    return found == NONE ? null : found;
  }

  private SourceFile lookup(String recorded) {
    String path = recorded.replace('\\', '/');
    if (root != null) {
      if (!path.startsWith(root + "/")) {
        return NONE;
      }
      String belowRoot = path.substring(root.length() + 1);
      SourceFile best = NONE;
      for (SourceFile file : files) {
        String relative = file.relativePath();
        boolean suffix = relative.equals(belowRoot) || relative.endsWith("/" + belowRoot);
        if (suffix && (best == NONE || relative.length() < best.relativePath().length())) {
          best = file;
        }
      }
      return best;
    }
    if (path.contains("/site-packages/") || path.contains("/dist-packages/") || path.contains("/lib/python")
        || path.startsWith("<")) {
      return NONE;
    }
    SourceFile best = NONE;
    for (SourceFile file : files) {
      String relative = file.relativePath();
      boolean suffix = path.equals(relative) || path.endsWith("/" + relative);
      if (suffix && relative.length() > best.relativePath().length()) {
        best = file;
      }
    }
    return best;
  }

  private static String stripSlash(String path) {
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}
